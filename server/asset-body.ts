// Sends an asset's bytes: single HTTP byte ranges, streamed from a buffer or a file, with the faults
// tests inject (cut mid-body, flipped bytes, throttling). No whole-file reads: tests use 100+ MB files.
import { createReadStream } from 'node:fs'
import type { ServerResponse } from 'node:http'
import { setTimeout as sleep } from 'node:timers/promises'
import type { AssetSource } from './state'
import type { ByteRange } from '../main/core/http-range'
export { parseRange, type ByteRange } from '../main/core/http-range'

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

export interface BodyFaults {
  /** Close the connection after this many body bytes (only when the body is longer). */
  cutAfterBytes: number | null
  /** Flip every byte (same length, wrong content). */
  corrupt: boolean
  /** Read for every slice, so a test can lift the throttle in the middle of a download. */
  bytesPerSec: () => number | null
}

function flipped(chunk: Buffer): Buffer {
  const out = Buffer.allocUnsafe(chunk.length)
  for (let i = 0; i < chunk.length; i++) out[i] = (chunk[i] ?? 0) ^ 0xff
  return out
}

function drained(res: ServerResponse): Promise<void> {
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

/** Writes `length` body bytes from `chunks`, applying the faults; headers must already be set. */
export async function sendBody(res: ServerResponse, chunks: AsyncIterable<Buffer>, length: number, faults: BodyFaults, onSent: (bytes: number) => void): Promise<void> {
  const cutAt = faults.cutAfterBytes !== null && faults.cutAfterBytes < length ? Math.max(0, faults.cutAfterBytes) : null
  let sent = 0
  if (cutAt === 0) return cut(res, Buffer.alloc(0))
  for await (const chunk of chunks) {
    let rest = faults.corrupt ? flipped(chunk) : chunk
    while (rest.length > 0) {
      if (res.destroyed) return
      const rate = faults.bytesPerSec()
      const sliceLength = rate ? Math.max(1, Math.min(rest.length, Math.ceil(rate / 20))) : rest.length
      let slice = rest.subarray(0, sliceLength)
      rest = rest.subarray(sliceLength)
      if (cutAt !== null && sent + slice.length >= cutAt) {
        slice = slice.subarray(0, cutAt - sent)
        onSent(slice.length)
        return cut(res, slice)
      }
      const flowing = res.write(slice)
      sent += slice.length
      onSent(slice.length)
      if (!flowing) await drained(res)
      if (rate) await sleep((slice.length / rate) * 1000)
    }
  }
  res.end()
}

/** Sends the last bytes, then ends the TCP connection with the body incomplete (as a dropped 3G link would). */
function cut(res: ServerResponse, last: Buffer): Promise<void> {
  return new Promise((resolve) => {
    const socket = res.socket
    const finish = () => {
      // end() flushes what was written, then FIN; the client sees fewer bytes than Content-Length.
      socket?.end()
      resolve()
    }
    if (last.length > 0) res.write(last, finish)
    else {
      res.flushHeaders()
      setImmediate(finish)
    }
  })
}
