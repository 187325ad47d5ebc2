// Sends an asset's bytes: single HTTP byte ranges, streamed from a buffer or a file. No whole-file
// reads: tests use 100+ MB files. (The faults tests inject are in testing/faulty-body.ts.)
import { createReadStream } from 'node:fs'
import type { ServerResponse } from 'node:http'
import type { AssetSource } from './state'
import type { ByteRange } from '../main/core/protocol/http-range'
export { parseRange, type ByteRange } from '../main/core/protocol/http-range'

const BUFFER_SLICE = 64 * 1024

export async function* readSource(source: AssetSource, range: ByteRange): AsyncGenerator<Buffer> {
  if (source.kind === 'buffer') {
    for (let at = range.start; at <= range.end; at += BUFFER_SLICE) {
      yield source.bytes.subarray(at, Math.min(range.end + 1, at + BUFFER_SLICE))
    }
    return
  }
  // Leaving the loop early (client gone, cut) destroys the stream and closes the file.
  for await (const chunk of createReadStream(source.path, { start: range.start, end: range.end })) yield chunk as Buffer
}

/** Resolves when the response can take more, or is gone. */
export function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    // Already gone: 'close' will not fire again, and waiting would keep the file open forever.
    if (res.destroyed || res.writableEnded) return resolve()
    const done = () => {
      res.off('drain', done)
      res.off('close', done)
      resolve()
    }
    res.on('drain', done)
    res.on('close', done)
  })
}

/** Writes `length` body bytes from `chunks`, waiting whenever the client is slower than the disk. */
export async function sendBody(res: ServerResponse, chunks: AsyncIterable<Buffer>, _length: number, _sha: string, onSent: (bytes: number) => void): Promise<void> {
  for await (const chunk of chunks) {
    if (res.destroyed) return
    const flowing = res.write(chunk)
    onSent(chunk.length)
    if (!flowing) await drained(res)
  }
  res.end()
}
