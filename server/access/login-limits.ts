// Slowing password guessing: a per-address limit on sign-in attempts (in memory: an address's burst),
// and a per-account lockout after consecutive failures (in the database: it survives a restart). A user
// name nobody has is locked out just the same (in memory), so the lockout does not tell which names exist.
import type { Db } from '../db/database'
import { ApiFailure } from '../api/errors'
import { isoAt } from './ids'

export interface LoginLimits {
  /** Sign-in attempts an address may make per window (default 20 per 10 minutes). */
  perAddress: number
  windowMs: number
  /** Consecutive failures that lock an account (default 5), and for how long (default 15 minutes). */
  failuresBeforeLockout: number
  lockoutMs: number
}

export const DEFAULT_LOGIN_LIMITS: LoginLimits = { perAddress: 20, windowMs: 10 * 60_000, failuresBeforeLockout: 5, lockoutMs: 15 * 60_000 }

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

export class AddressLimiter {
  private readonly attempts = new Map<string, number[]>()

  constructor(private readonly limits: LoginLimits) {}

  /** Counts an attempt; throws 429 when the address is over its limit. */
  take(address: string, now: number): void {
    const recent = (this.attempts.get(address) ?? []).filter((t) => t > now - this.limits.windowMs)
    if (recent.length >= this.limits.perAddress) {
      this.attempts.set(address, recent)
      const until = (recent[0] ?? now) + this.limits.windowMs
      throw retryFailure('too-many-attempts', until, now, 'Quá nhiều lần đăng nhập từ địa chỉ này.', 'Too many sign-in attempts from this address.')
    }
    recent.push(now)
    this.attempts.set(address, recent)
    // Bounded memory: forget idle addresses now and then.
    if (this.attempts.size > 10_000) {
      for (const [key, times] of this.attempts) if ((times.at(-1) ?? 0) <= now - this.limits.windowMs) this.attempts.delete(key)
    }
  }
}

/** Throws 429 while the account is locked. */
export function refuseIfLocked(lockedUntil: string | null, now: number): void {
  if (lockedUntil === null) return
  const until = Date.parse(lockedUntil)
  if (until > now) throw retryFailure('account-locked', until, now, 'Tài khoản tạm khoá vì nhập sai mật khẩu nhiều lần.', 'The account is locked after repeated wrong passwords.')
}

/** Counts a failure (atomically: parallel guesses all count); locks the account when it reaches the
 *  limit. Returns the lock's end, if it locked. */
export async function recordFailure(db: Db, userId: string, limits: LoginLimits, now: number): Promise<number | null> {
  await db
    .updateTable('users')
    .set((eb) => ({ failed_logins: eb('failed_logins', '+', 1) }))
    .where('id', '=', userId)
    .execute()
  const row = await db.selectFrom('users').select('failed_logins').where('id', '=', userId).executeTakeFirst()
  if ((row?.failed_logins ?? 0) < limits.failuresBeforeLockout) return null
  const until = now + limits.lockoutMs
  await db.updateTable('users').set({ failed_logins: 0, locked_until: isoAt(until) }).where('id', '=', userId).execute()
  return until
}

export async function recordSuccess(db: Db, userId: string): Promise<void> {
  await db.updateTable('users').set({ failed_logins: 0, locked_until: null }).where('id', '=', userId).execute()
}

export function lockedFailure(until: number, now: number): ApiFailure {
  return retryFailure('account-locked', until, now, 'Tài khoản tạm khoá vì nhập sai mật khẩu nhiều lần.', 'The account is locked after repeated wrong passwords.')
}

/**
 * Lockouts of user names no account has: counted like an account's failures, so the answers to a name
 * that does not exist match those to one that does. In memory (nothing to tie a database row to), bounded.
 */
export class UnknownNameLockouts {
  private readonly names = new Map<string, { failures: number; lockedUntil: number | null }>()

  constructor(
    private readonly limits: LoginLimits,
    private readonly maxNames = 10_000
  ) {}

  /** Throws 429 while the name is locked, as refuseIfLocked does for an account. */
  refuseIfLocked(name: string, now: number): void {
    const until = this.names.get(name)?.lockedUntil ?? null
    refuseIfLocked(until === null ? null : isoAt(until), now)
  }

  /** Counts a failure; returns the lock's end when it locked (as recordFailure). */
  recordFailure(name: string, now: number): number | null {
    const entry = this.names.get(name) ?? { failures: 0, lockedUntil: null }
    this.names.delete(name)
    entry.failures += 1
    let until: number | null = null
    if (entry.failures >= this.limits.failuresBeforeLockout) {
      until = now + this.limits.lockoutMs
      entry.failures = 0
      entry.lockedUntil = until
    }
    // Most recently failed last: when full, the names idle longest go first.
    this.names.set(name, entry)
    for (const [key] of this.names) {
      if (this.names.size <= this.maxNames) break
      this.names.delete(key)
    }
    return until
  }
}
