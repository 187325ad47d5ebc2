// The time the server signs documents with: its own clock, never earlier than a time it has already put
// in a signed document. Boards refuse a manifest or command older than the newest they took, so a server
// clock stepped back (an NTP correction, a replaced CMOS battery) would otherwise freeze every board until
// the clock caught up again; this way new documents keep moving forward, and say so in the log.
export class IssuingClock {
  private last = 0

  constructor(private readonly wall: () => number) {}

  /** Never earlier than `ms` (at start: the newest issuedAt the server stored before it stopped). */
  seed(ms: number): void {
    if (Number.isFinite(ms)) this.last = Math.max(this.last, ms)
  }

  /** The current issuing time, without taking it (for decisions such as "is this document due for renewal"). */
  now(): number {
    return Math.max(this.wall(), this.last)
  }

  /** A time for one new signed document: after every time handed out before. */
  next(): number {
    this.last = Math.max(this.wall(), this.last + 1)
    return this.last
  }

  /** How far the wall clock is behind what has been signed (0 when it is not). */
  behindMs(): number {
    return Math.max(0, this.last - this.wall())
  }
}
