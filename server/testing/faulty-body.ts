// Asset bodies with the faults tests switch on to see how a board copes: cut mid-body (as a dropped 3G
// link would), flipped bytes, throttled to N bytes a second.
import type { ServerResponse } from 'node:http'
import { setTimeout as sleep } from 'node:timers/promises'
import { drained } from '../asset-body'

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

/** Writes `length` body bytes from `chunks`, applying the faults; headers must already be set. */
export async function sendFaultyBody(res: ServerResponse, chunks: AsyncIterable<Buffer>, length: number, faults: BodyFaults, onSent: (bytes: number) => void): Promise<void> {
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
