// How fast unauthenticated addresses may ask for pairing codes: a token bucket per address (an IPv4
// address, or an IPv6 /64, one host's share) and one for the whole server that only repeat askers draw from.
import { isIPv6 } from 'node:net'

export interface PairingRateLimits {
  /** Per address: a burst, then a steady rate. A board asks once per 15-minute code. */
  perAddress: { burst: number; perMinute: number }
  /**
   * Server-wide, for addresses that already asked more than once lately. An address asking for its
   * first code is never held back by other addresses' traffic: that is how a real board gets installed.
   */
  global: { burst: number; perSecond: number }
}

export const DEFAULT_PAIRING_LIMITS: PairingRateLimits = {
  // Ten boards behind one NAT (a commune office, a carrier's CGNAT) can still pair at once.
  perAddress: { burst: 10, perMinute: 2 },
  global: { burst: 120, perSecond: 2 }
}

export type Admission = { ok: true } | { ok: false; scope: 'address' | 'server'; retryAfterSec: number }

/** Addresses remembered at once; a full bucket is the same as none, so those are forgotten first. */
const MAX_TRACKED = 20_000

class Bucket {
  private tokens: number
  private at: number

  constructor(
    readonly capacity: number,
    private readonly perMs: number,
    now: number
  ) {
    this.tokens = capacity
    this.at = now
  }

  level(now: number): number {
    // A clock stepped back refills nothing (and takes nothing away).
    this.tokens = Math.min(this.capacity, this.tokens + Math.max(0, now - this.at) * this.perMs)
    this.at = Math.max(this.at, now)
    return this.tokens
  }

  take(): void {
    this.tokens -= 1
  }

  /** Whole seconds until one token is there (at least 1, as Retry-After wants). */
  retryAfterSec(now: number): number {
    const missing = 1 - this.level(now)
    return Math.max(1, Math.ceil(missing / this.perMs / 1000))
  }
}

/** The key an address is limited by: IPv4 as it is (also when IPv4-mapped), IPv6 by its /64. */
export function addressKey(remoteAddress: string | undefined): string {
  if (!remoteAddress) return 'unknown'
  const plain = remoteAddress.replace(/%.*$/, '')
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(plain)
  if (mapped) return mapped[1]!
  if (!isIPv6(plain)) return plain
  const [head = '', tail] = plain.split('::')
  const front = head ? head.split(':') : []
  const back = tail ? tail.split(':') : []
  const groups = tail === undefined ? front : [...front, ...Array<string>(Math.max(0, 8 - front.length - back.length)).fill('0'), ...back]
  return `${groups
    .slice(0, 4)
    .map((group) => Number.parseInt(group, 16).toString(16))
    .join(':')}::/64`
}

export class PairingLimiter {
  private readonly buckets = new Map<string, Bucket>()
  private global: Bucket | null = null

  constructor(private readonly limits: PairingRateLimits = DEFAULT_PAIRING_LIMITS) {}

  /** Takes a token for `address` (and a global one when it is a repeat asker), or says when to come back. */
  admit(address: string, now: number): Admission {
    const { perAddress, global: globalLimits } = this.limits
    let bucket = this.buckets.get(address)
    if (bucket) this.buckets.delete(address) // re-inserted below: the map stays ordered by last use
    else bucket = new Bucket(perAddress.burst, perAddress.perMinute / 60_000, now)
    this.buckets.set(address, bucket)
    this.forgetIdle(now)

    const level = bucket.level(now)
    if (level < 1) return { ok: false, scope: 'address', retryAfterSec: bucket.retryAfterSec(now) }
    // At most one request within a refill: a board asking for its code, not a flood.
    const quiet = level >= bucket.capacity - 1
    if (!quiet) {
      this.global ??= new Bucket(globalLimits.burst, globalLimits.perSecond / 1000, now)
      if (this.global.level(now) < 1) return { ok: false, scope: 'server', retryAfterSec: this.global.retryAfterSec(now) }
      this.global.take()
    }
    bucket.take()
    return { ok: true }
  }

  private forgetIdle(now: number): void {
    if (this.buckets.size <= MAX_TRACKED) return
    for (const [address, bucket] of this.buckets) if (bucket.level(now) >= bucket.capacity) this.buckets.delete(address)
    // Still too many busy addresses (a spread-out flood): forget the least recently seen, with room to
    // spare so this sweep runs once per few thousand new addresses, not on every request.
    for (const address of this.buckets.keys()) {
      if (this.buckets.size <= MAX_TRACKED * 0.9) break
      this.buckets.delete(address)
    }
  }
}
