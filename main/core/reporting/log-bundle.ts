// Packs the shell's log files into one gzip for the upload-logs command, newest lines first in
// priority: when the files are larger than the budget, the oldest part is what is left out.
import { open } from 'node:fs/promises'
import { basename } from 'node:path'
import { promisify } from 'node:util'
import { gzip } from 'node:zlib'

const gzipAsync = promisify(gzip)

export interface LogBundle {
  gz: Buffer
  /** Bytes of log text included, and how many were left out to fit the budget. */
  includedBytes: number
  omittedBytes: number
  files: number
}

/** `files` oldest first (as RotatingLog.files() lists them); reads at most `budgetBytes` of text. */
export async function bundleLogs(files: string[], budgetBytes: number): Promise<LogBundle> {
  let remaining = budgetBytes
  let omitted = 0
  const parts: Buffer[] = []
  // Walk newest to oldest so the budget goes to the most recent lines.
  for (const file of [...files].reverse()) {
    let handle
    try {
      handle = await open(file, 'r')
    } catch {
      continue // rotated away since it was listed
    }
    try {
      const { size } = await handle.stat()
      const take = Math.max(0, Math.min(size, remaining))
      omitted += size - take
      remaining -= take
      const body = Buffer.alloc(take)
      if (take > 0) await handle.read(body, 0, take, size - take)
      parts.unshift(Buffer.from(`==> ${basename(file)}${take < size ? ` (last ${take} of ${size} bytes)` : ''} <==\n`), body)
    } finally {
      await handle.close()
    }
  }
  const text = Buffer.concat(parts)
  return { gz: await gzipAsync(text), includedBytes: budgetBytes - remaining, omittedBytes: omitted, files: parts.length / 2 }
}
