// A bandwidth cap for downloads on metered links: a token bucket that delays chunks, never drops them.
import { Transform, type TransformCallback } from 'node:stream'

export class Throttle extends Transform {
  private available: number
  // Monotonic: a wall-clock step must neither stall a download nor lift the cap.
  private last = performance.now()

  constructor(private readonly bytesPerSec: number) {
    super()
    // One second of burst: smooth enough for a 3G link, and the first chunk is not delayed.
    this.available = bytesPerSec
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    const now = performance.now()
    this.available = Math.min(this.bytesPerSec, this.available + ((now - this.last) / 1000) * this.bytesPerSec)
    this.last = now
    this.available -= chunk.length
    const waitMs = this.available < 0 ? (-this.available / this.bytesPerSec) * 1000 : 0
    if (waitMs <= 0) return callback(null, chunk)
    setTimeout(() => callback(null, chunk), waitMs)
  }
}
