// Pairing on the reference server: an unpaired board asks for a code, shows it on screen, and polls;
// an operator approves the code (admin API or CLI), which provisions the board and hands it a token.
// Asking needs no token, so it is rate-limited (pairing-limits.ts) and the pending table is bounded.
// The board's token is derived from its secret pairing id, so the server keeps only hashes of both: a
// durable store (server/store/) can keep a pairing across a restart without ever holding a token.
import { createHash, randomBytes, randomInt } from 'node:crypto'
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

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex')

/** The token a board gets once approved: only whoever holds the pairing id (the board) can compute it. */
export function pairingToken(pairingId: string): string {
  return createHash('sha256').update(`bangtin pairing token\0${pairingId}`).digest('base64url')
}

export interface Pairing {
  /** sha256 of the secret pairing id the board polls with. */
  pairingHash: string
  /** The pairing id itself, while this process made it (not after a restart): to return the token to an operator API. */
  pairingId?: string
  /** sha256 of the token the board will get (what the device row holds once approved). */
  tokenHash: string
  code: string
  expiresAt: number
  /** Who asked (addressKey): whose codes go first when the table is full. */
  address: string
  approved?: { deviceId: string; boardName?: string }
  /** An approval of it is being committed (in memory only): a second approval must not provision another board. */
  claimed?: boolean
}

/** Told about each change, for a durable store. */
export interface PairingEvents {
  started(pairing: Pairing): void
  removed(pairingHash: string): void
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

/** Approving a code that another approval already took (or is taking): one board, one token. */
export class PairingTakenError extends Error {
  constructor(readonly code: string) {
    super(`Mã ${code} vừa được duyệt rồi. / Code ${code} has already been approved.`)
  }
}

export type PairingStart = { ok: true; started: PairingStarted } | Extract<Admission, { ok: false }>

export class Pairings {
  private readonly byId = new Map<string, Pairing>()
  private readonly byCode = new Map<string, Pairing>()
  /** Waiting (unapproved) codes per address. */
  private readonly waitingBy = new Map<string, number>()

  constructor(
    private readonly limiter = new PairingLimiter(),
    private readonly events: PairingEvents = { started: () => undefined, removed: () => undefined }
  ) {}

  /** Pairings loaded from a durable store (unexpired; approved ones keep waiting for their board). */
  restore(pairings: readonly Pairing[], now: number): void {
    for (const pairing of pairings) {
      if (pairing.expiresAt <= now) continue
      this.byId.set(pairing.pairingHash, pairing)
      if (pairing.approved) continue
      this.byCode.set(pairing.code, pairing)
      this.waitingBy.set(pairing.address, (this.waitingBy.get(pairing.address) ?? 0) + 1)
    }
  }

  /** A new code for the board at `address`, or a refusal saying when to ask again. */
  start(address: string, now: number, approveBase: string): PairingStart {
    const admission = this.limiter.admit(address, now)
    if (!admission.ok) return admission
    this.prune(now)
    if (this.byId.size >= MAX_PENDING && !this.evictOne()) return { ok: false, scope: 'server', retryAfterSec: 60 }
    let code: string
    do code = Array.from({ length: 6 }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join('')
    while (this.byCode.has(code))
    const pairingId = randomBytes(24).toString('base64url')
    const pairing: Pairing = { pairingHash: sha256(pairingId), pairingId, tokenHash: sha256(pairingToken(pairingId)), code, expiresAt: now + PAIRING_TTL_MS, address }
    this.byId.set(pairing.pairingHash, pairing)
    this.events.started(pairing)
    this.byCode.set(code, pairing)
    this.waitingBy.set(address, (this.waitingBy.get(address) ?? 0) + 1)
    return {
      ok: true,
      started: {
        pairingId,
        code,
        expiresAt: new Date(pairing.expiresAt).toISOString(),
        // The console page that approves it, the code filled in (a phone that scans the QR code signs in there).
        approveUrl: `${approveBase}/console/boards?pair=${code}`,
        pollAfterSec: 2
      }
    }
  }

  status(pairingId: string, now: number): PairingStatus | null {
    const pairing = this.byId.get(sha256(pairingId))
    if (!pairing || (pairing.expiresAt <= now && !pairing.approved)) return null
    if (!pairing.approved) return { state: 'waiting', expiresAt: new Date(pairing.expiresAt).toISOString() }
    // Handed over once: the secret does not stay retrievable.
    this.remove(pairing)
    return { state: 'approved', deviceId: pairing.approved.deviceId, token: pairingToken(pairingId), ...(pairing.approved.boardName ? { boardName: pairing.approved.boardName } : {}) }
  }

  /** Finds the waiting pairing showing `code`; null when there is none (or it expired). */
  pending(code: string, now: number): Pairing | null {
    this.prune(now)
    const pairing = this.byCode.get(code.toUpperCase())
    return pairing && !pairing.approved ? pairing : null
  }

  /**
   * The waiting pairing showing `code`, for an approval that is about to claim it; null when no board shows
   * it. Throws PairingTakenError while another approval of it commits, and after one did (until its board
   * collects the token or the code expires), so two operators typing the same code get a clear answer.
   */
  forApproval(code: string, now: number): Pairing | null {
    const wanted = code.toUpperCase()
    const pairing = this.pending(wanted, now)
    if (pairing?.claimed) throw new PairingTakenError(wanted)
    if (pairing) return pairing
    for (const other of this.byId.values()) if (other.code === wanted && other.approved) throw new PairingTakenError(wanted)
    return null
  }

  approve(code: string, credentials: { deviceId: string; boardName?: string }, now: number): boolean {
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
    this.byId.delete(pairing.pairingHash)
    this.events.removed(pairing.pairingHash)
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
