// Slowing password guessing without letting a stranger lock anyone out (OWASP authentication cheat sheet):
// - per address, a limit on failed sign-ins (successes never count: an office behind one NAT or proxy);
// - per (user name, address), a lock after consecutive failures: only the guessing computer is refused;
// - per user name, a growing delay after repeated failures from anywhere, never a lock.
// All in memory, keyed by the lower-cased name whether or not an account has it, so the answers (and
// their timing) do not tell which accounts exist; bounded. A restart forgets them (an attacker cannot
// cause one; the per-address limit holds the rest).
import { ApiFailure } from '../api/errors'
import { isoAt } from './ids'

export interface LoginLimits {
  /** Failed sign-ins an address may make per window (default 20 per 10 minutes). */
  perAddress: number
  windowMs: number
  /** Consecutive failures that lock a (name, address) pair (default 5), and for how long (default 15 minutes). */
  failuresBeforeLockout: number
  lockoutMs: number
  /** After that many failures for a name from any addresses (within lockoutMs of each other), each further
   *  attempt for it waits delayBaseMs, doubling per failure up to delayMaxMs (default 1 s up to 10 s). */
  delayBaseMs: number
  delayMaxMs: number
}

export const DEFAULT_LOGIN_LIMITS: LoginLimits = {
  perAddress: 20,
  windowMs: 10 * 60_000,
  failuresBeforeLockout: 5,
  lockoutMs: 15 * 60_000,
  delayBaseMs: 1000,
  delayMaxMs: 10_000
}

function whenVi(ms: number): string {
  return new Date(ms).toLocaleTimeString('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh', hour: '2-digit', minute: '2-digit' })
}

function retryFailure(code: string, until: number, now: number, vi: string, en: string): ApiFailure {
  const minutes = Math.max(1, Math.ceil((until - now) / 60_000))
  return new ApiFailure(
    429,
    code,
    `${vi} Thử lại sau ${minutes} phút (lúc ${whenVi(until)} giờ Việt Nam).`,
    `${en} Try again in ${minutes} minute(s) (at ${isoAt(until)}).`,
    null,
    { 'Retry-After': String(Math.max(1, Math.ceil((until - now) / 1000))) }
  )
}

/** Keeps at most `max` entries, the least recently touched leaving first. */
class Recent<V> {
  private readonly map = new Map<string, V>()
  constructor(private readonly max: number) {}
  get(key: string): V | undefined {
    return this.map.get(key)
  }
  touch(key: string, value: V): void {
    this.map.delete(key)
    this.map.set(key, value)
    for (const [old] of this.map) {
      if (this.map.size <= this.max) break
      this.map.delete(old)
    }
  }
  delete(key: string): void {
    this.map.delete(key)
  }
}

export class AddressLimiter {
  private readonly attempts = new Map<string, number[]>()

  constructor(private readonly limits: LoginLimits) {}

  /** Counts an attempt (at once, so parallel guesses all count); throws 429 when the address is over its
   *  limit. A successful sign-in gives its attempt back (forgive). */
  take(address: string, now: number): void {
    const recent = (this.attempts.get(address) ?? []).filter((t) => t > now - this.limits.windowMs)
    if (recent.length >= this.limits.perAddress) {
      this.attempts.set(address, recent)
      const until = (recent[0] ?? now) + this.limits.windowMs
      throw retryFailure('too-many-attempts', until, now, 'Quá nhiều lần đăng nhập sai từ địa chỉ này.', 'Too many failed sign-ins from this address.')
    }
    recent.push(now)
    this.attempts.set(address, recent)
    // Bounded memory: forget idle addresses now and then.
    if (this.attempts.size > 10_000) {
      for (const [key, times] of this.attempts) if ((times.at(-1) ?? 0) <= now - this.limits.windowMs) this.attempts.delete(key)
    }
  }

  /** The attempt taken at `at` succeeded: it does not count. */
  forgive(address: string, at: number): void {
    const times = this.attempts.get(address)
    const index = times?.indexOf(at) ?? -1
    if (times && index >= 0) times.splice(index, 1)
  }
}

export function lockedFailure(until: number, now: number): ApiFailure {
  return retryFailure(
    'account-locked',
    until,
    now,
    'Tài khoản tạm khoá với địa chỉ này vì nhập sai mật khẩu nhiều lần.',
    'The account is locked for this address after repeated wrong passwords.'
  )
}

interface PairState {
  /** Attempts since the last success or lock, those in flight included. */
  attempts: number
  lockedUntil: number | null
}

interface NameState {
  failures: number
  lastFailureAt: number
}

/** The per (name, address) lock and the per-name delay; see the top of the file. */
export class SignInGuard {
  private readonly pairs: Recent<PairState>
  private readonly names: Recent<NameState>

  constructor(
    private readonly limits: LoginLimits,
    maxEntries = 10_000
  ) {
    this.pairs = new Recent(maxEntries)
    this.names = new Recent(maxEntries)
  }

  /** Starts an attempt: throws 429 while the pair is locked; answers how long to wait first (ms). */
  begin(name: string, address: string, now: number): number {
    const key = `${name}\n${address}`
    const pair = this.pairs.get(key) ?? { attempts: 0, lockedUntil: null }
    if (pair.lockedUntil !== null && pair.lockedUntil > now) throw lockedFailure(pair.lockedUntil, now)
    if (pair.lockedUntil !== null) pair.lockedUntil = null
    // Counted before the password is checked, so parallel guesses cannot slip past the limit.
    if (pair.attempts >= this.limits.failuresBeforeLockout) {
      pair.attempts = 0
      pair.lockedUntil = now + this.limits.lockoutMs
      this.pairs.touch(key, pair)
      throw lockedFailure(pair.lockedUntil, now)
    }
    pair.attempts += 1
    this.pairs.touch(key, pair)
    const failures = this.currentFailures(name, now)
    const over = failures - this.limits.failuresBeforeLockout
    if (over < 0) return 0
    return Math.min(this.limits.delayMaxMs, this.limits.delayBaseMs * 2 ** Math.min(over, 30))
  }

  /** A wrong password (or a name nobody has): answers the pair's lock end when this failure locked it. */
  failed(name: string, address: string, now: number): number | null {
    this.names.touch(name, { failures: this.currentFailures(name, now) + 1, lastFailureAt: now })
    const key = `${name}\n${address}`
    const pair = this.pairs.get(key)
    if (!pair || pair.attempts < this.limits.failuresBeforeLockout) return null
    pair.attempts = 0
    pair.lockedUntil = now + this.limits.lockoutMs
    return pair.lockedUntil
  }

  /** The right password: the pair and the name start afresh. */
  succeeded(name: string, address: string): void {
    this.pairs.delete(`${name}\n${address}`)
    this.names.delete(name)
  }

  private currentFailures(name: string, now: number): number {
    const state = this.names.get(name)
    if (!state || state.lastFailureAt <= now - this.limits.lockoutMs) return 0
    return state.failures
  }
}
