// Shared pieces of the content-cache tests: hashes, byte sources that end, cut or wait, and a cache in a
// fresh temp folder.
import { createHash } from 'node:crypto'
import { join } from 'node:path'
import { ContentCache, type ContentCacheOptions, type ExpectedFile } from '../../../../main/core/cache/content-cache'
import type { DiskReading } from '../../../../main/core/cache/eviction-policy'

export const sha = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex')

export const expectedOf = (bytes: Uint8Array): ExpectedFile => ({ sha256: sha(bytes), size: bytes.length })

/** A network error as the socket layer reports it. */
export const connectionReset = (): Error => Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })

export async function* bytesOf(...parts: Uint8Array[]): AsyncGenerator<Uint8Array> {
  for (const part of parts) yield part
}

/** Yields `parts`, then fails like a dropped connection. */
export async function* cutAfter(...parts: Uint8Array[]): AsyncGenerator<Uint8Array> {
  for (const part of parts) yield part
  throw connectionReset()
}

/** Splits `bytes` at the given offsets (any order, duplicates and out-of-range ones ignored). */
export function splitAt(bytes: Buffer, offsets: readonly number[]): Buffer[] {
  const cuts = [...new Set(offsets.filter((at) => at > 0 && at < bytes.length))].sort((a, b) => a - b)
  const parts: Buffer[] = []
  let start = 0
  for (const at of [...cuts, bytes.length]) {
    parts.push(bytes.subarray(start, at))
    start = at
  }
  return parts
}

/** Deterministic bytes (distinct for each `seed`), so tests never depend on randomness they cannot replay. */
export function bytesFor(seed: string, length: number): Buffer {
  const out = Buffer.alloc(length)
  let block = createHash('sha256').update(seed).digest()
  for (let at = 0; at < length; at += block.length) {
    block.copy(out, at)
    block = createHash('sha256').update(block).digest()
  }
  return out
}

/** A disk with plenty of room, so a test without a quota does not depend on the machine's free space. */
export const ROOMY_DISK: DiskReading = { freeBytes: 1024 ** 4, totalBytes: 2 * 1024 ** 4 }

export async function openCache(dir: string, options: ContentCacheOptions = {}): Promise<ContentCache> {
  const cache = new ContentCache(join(dir, 'cache'), { disk: async () => ROOMY_DISK, ...options })
  await cache.open()
  return cache
}

/** A wall clock the test moves by hand. */
export function fakeClock(start = Date.UTC(2025, 9, 1, 8, 0, 0)): { now: () => number; advance(ms: number): void } {
  let current = start
  return {
    now: () => current,
    advance(ms: number) {
      current += ms
    }
  }
}

/** Imports one file per name, `size` bytes each; returns name → hash. */
export async function fill(cache: ContentCache, names: string[], size = 100): Promise<Record<string, string>> {
  const hashes: Record<string, string> = {}
  for (const name of names) {
    const bytes = bytesFor(name, size)
    await cache.importStream(expectedOf(bytes), bytesOf(bytes))
    hashes[name] = sha(bytes)
  }
  return hashes
}
