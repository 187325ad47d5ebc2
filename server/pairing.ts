// Pairing on the reference server: an unpaired board asks for a code, shows it on screen, and polls;
// an operator approves the code (admin API or CLI), which provisions the board and hands it a token.
// Asking needs no token, so it is rate-limited (pairing-limits.ts) and the pending table is bounded.
import { randomBytes, randomInt } from 'node:crypto'
import type { PairingStarted, PairingStatus } from '../main/core/protocol/api'
import { PairingLimiter, type Admission } from './pairing-limits'

/** Letters and digits a person cannot misread off a screen across a square (no 0/O, 1/I). */
const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'
const PAIRING_TTL_MS = 15 * 60_000
/**
 * Codes waiting at once. When full, the oldest waiting code of the address holding the most makes
 * room: a flood pushes out its own codes first, and nobody is refused because of it.
 */
export const MAX_PENDING = 1_000

interface Pairing {
  pairingId: string
  code: string
  expiresAt: number
  /** Who asked (addressKey): whose codes go first when the table is full. */
  address: string
  approved?: { deviceId: string; token: string; boardName?: string }
}

/** Approving a code under a device id that already has a token, without saying "re-key". */
export class DeviceExistsError extends Error {
  constructor(readonly deviceId: string) {
    super(
      `Thiết bị ${deviceId} đã được ghép nối; duyệt mã này sẽ thay mã truy cập và ngắt bảng tin đang dùng nó. Chỉ dùng --rekey (rekey: true) khi muốn thay bảng tin đó. / ` +
        `Device ${deviceId} is already paired: approving this code would replace its token and cut off the board using it. Approve with --rekey (rekey: true) only to replace that board.`
    )
  }
}

export type PairingStart = { ok: true; started: PairingStarted } | Extract<Admission, { ok: false }>

export class Pairings {
  private readonly byId = new Map<string, Pairing>()
  private readonly byCode = new Map<string, Pairing>()
  /** Waiting (unapproved) codes per address. */
  private readonly waitingBy = new Map<string, number>()

  constructor(private readonly limiter = new PairingLimiter()) {}

  /** A new code for the board at `address`, or a refusal saying when to ask again. */
  start(address: string, now: number, approveBase: string): PairingStart {
    const admission = this.limiter.admit(address, now)
    if (!admission.ok) return admission
    this.prune(now)
    if (this.byId.size >= MAX_PENDING && !this.evictOne()) return { ok: false, scope: 'server', retryAfterSec: 60 }
    let code: string
    do code = Array.from({ length: 6 }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join('')
    while (this.byCode.has(code))
    const pairing: Pairing = { pairingId: randomBytes(24).toString('base64url'), code, expiresAt: now + PAIRING_TTL_MS, address }
    this.byId.set(pairing.pairingId, pairing)
    this.byCode.set(code, pairing)
    this.waitingBy.set(address, (this.waitingBy.get(address) ?? 0) + 1)
    return {
      ok: true,
      started: {
        pairingId: pairing.pairingId,
        code,
        expiresAt: new Date(pairing.expiresAt).toISOString(),
        approveUrl: `${approveBase}/admin/pairings?code=${code}`,
        pollAfterSec: 2
      }
    }
  }

  status(pairingId: string, now: number): PairingStatus | null {
    const pairing = this.byId.get(pairingId)
    if (!pairing || (pairing.expiresAt <= now && !pairing.approved)) return null
    if (!pairing.approved) return { state: 'waiting', expiresAt: new Date(pairing.expiresAt).toISOString() }
    // Handed over once: the secret does not stay retrievable.
    this.remove(pairing)
    return { state: 'approved', ...pairing.approved }
  }

  /** Finds the waiting pairing showing `code`; null when there is none (or it expired). */
  pending(code: string, now: number): Pairing | null {
    this.prune(now)
    const pairing = this.byCode.get(code.toUpperCase())
    return pairing && !pairing.approved ? pairing : null
  }

  approve(code: string, credentials: { deviceId: string; token: string; boardName?: string }, now: number): boolean {
    const pairing = this.pending(code, now)
    if (!pairing) return false
    pairing.approved = credentials
    this.byCode.delete(pairing.code)
    this.countDown(pairing.address)
    return true
  }

  list(now: number): { code: string; expiresAt: string }[] {
    this.prune(now)
    return [...this.byCode.values()].map((p) => ({ code: p.code, expiresAt: new Date(p.expiresAt).toISOString() }))
  }

  /** Drops the oldest waiting code of the address with the most waiting; false when none is waiting. */
  private evictOne(): boolean {
    const most = Math.max(0, ...this.waitingBy.values())
    if (most === 0) return false
    for (const pairing of this.byCode.values()) {
      if (this.waitingBy.get(pairing.address) !== most) continue
      this.remove(pairing)
      return true
    }
    return false
  }

  private remove(pairing: Pairing): void {
    this.byId.delete(pairing.pairingId)
    if (this.byCode.get(pairing.code) === pairing) {
      this.byCode.delete(pairing.code)
      this.countDown(pairing.address)
    }
  }

  private countDown(address: string): void {
    const left = (this.waitingBy.get(address) ?? 1) - 1
    if (left > 0) this.waitingBy.set(address, left)
    else this.waitingBy.delete(address)
  }

  private prune(now: number): void {
    for (const pairing of this.byId.values()) if (pairing.expiresAt <= now) this.remove(pairing)
  }
}
