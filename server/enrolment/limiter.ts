// How many pairing approvals one user may try in a window: a short code must not be guessable by trying.
import { fail } from '../api/errors'

export interface AttemptLimits {
  perUser: number
  windowMs: number
}

export const DEFAULT_ATTEMPT_LIMITS: AttemptLimits = { perUser: 30, windowMs: 10 * 60_000 }

export class AttemptLimiter {
  private readonly attempts = new Map<string, number[]>()

  constructor(private readonly limits: AttemptLimits = DEFAULT_ATTEMPT_LIMITS) {}

  /** Counts one attempt; throws 429 (with Retry-After) when the user is over the limit. */
  take(key: string, now: number): void {
    const recent = (this.attempts.get(key) ?? []).filter((t) => t > now - this.limits.windowMs)
    if (recent.length >= this.limits.perUser) {
      this.attempts.set(key, recent)
      const retryAfterSec = Math.max(1, Math.ceil(((recent[0] ?? now) + this.limits.windowMs - now) / 1000))
      throw fail.tooMany(retryAfterSec, `Quá nhiều lần duyệt mã ghép nối; thử lại sau ${retryAfterSec} giây.`, `Too many pairing approvals; try again in ${retryAfterSec} s.`, 'body.code')
    }
    recent.push(now)
    this.attempts.set(key, recent)
    if (this.attempts.size > 10_000) {
      for (const [k, times] of this.attempts) if ((times.at(-1) ?? 0) <= now - this.limits.windowMs) this.attempts.delete(k)
    }
  }
}
