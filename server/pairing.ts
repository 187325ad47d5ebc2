// Pairing on the reference server: an unpaired board asks for a code, shows it on screen, and polls;
// an operator approves the code (admin API or CLI), which provisions the board and hands it a token.
import { randomBytes, randomInt } from 'node:crypto'
import type { PairingStarted, PairingStatus } from '../main/core/protocol/api'

/** Letters and digits a person cannot misread off a screen across a square (no 0/O, 1/I). */
const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'
const PAIRING_TTL_MS = 15 * 60_000
const MAX_PENDING = 1_000

interface Pairing {
  pairingId: string
  code: string
  expiresAt: number
  approved?: { deviceId: string; token: string; boardName?: string }
}

export class Pairings {
  private readonly byId = new Map<string, Pairing>()

  start(now: number, approveBase: string): PairingStarted {
    this.prune(now)
    if (this.byId.size >= MAX_PENDING) throw new Error('too many pending pairings')
    let code: string
    do code = Array.from({ length: 6 }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join('')
    while ([...this.byId.values()].some((p) => p.code === code))
    const pairing: Pairing = { pairingId: randomBytes(24).toString('base64url'), code, expiresAt: now + PAIRING_TTL_MS }
    this.byId.set(pairing.pairingId, pairing)
    return {
      pairingId: pairing.pairingId,
      code,
      expiresAt: new Date(pairing.expiresAt).toISOString(),
      approveUrl: `${approveBase}/admin/pairings?code=${code}`,
      pollAfterSec: 2
    }
  }

  status(pairingId: string, now: number): PairingStatus | null {
    const pairing = this.byId.get(pairingId)
    if (!pairing || (pairing.expiresAt <= now && !pairing.approved)) return null
    if (!pairing.approved) return { state: 'waiting', expiresAt: new Date(pairing.expiresAt).toISOString() }
    // Handed over once: the secret does not stay retrievable.
    this.byId.delete(pairingId)
    return { state: 'approved', ...pairing.approved }
  }

  /** Finds the pending pairing showing `code`; null when there is none (or it expired). */
  pending(code: string, now: number): Pairing | null {
    this.prune(now)
    return [...this.byId.values()].find((p) => p.code === code.toUpperCase() && !p.approved) ?? null
  }

  approve(code: string, credentials: { deviceId: string; token: string; boardName?: string }, now: number): boolean {
    const pairing = this.pending(code, now)
    if (!pairing) return false
    pairing.approved = credentials
    return true
  }

  list(now: number): { code: string; expiresAt: string }[] {
    this.prune(now)
    return [...this.byId.values()].filter((p) => !p.approved).map((p) => ({ code: p.code, expiresAt: new Date(p.expiresAt).toISOString() }))
  }

  private prune(now: number): void {
    for (const [id, pairing] of this.byId) if (pairing.expiresAt <= now) this.byId.delete(id)
  }
}
