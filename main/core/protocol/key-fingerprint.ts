// A province key's fingerprint, short enough to read off a pairing screen and compare with the one the
// province prints: the first 16 bytes of the SHA-256 of the key's SPKI DER, as 8 groups of 4 hex digits.
import { createHash } from 'node:crypto'
import { publicKeyFrom } from './signing'

export function keyFingerprint(publicKey: string): string {
  const der = publicKeyFrom(publicKey).export({ type: 'spki', format: 'der' })
  const hex = createHash('sha256').update(der).digest('hex').slice(0, 32).toUpperCase()
  return hex.match(/.{4}/g)!.join(' ')
}

/** The base64 SPKI form of a key (one line), as pairing answers and config files carry it. */
export function spkiBase64Of(publicKey: string): string {
  return publicKeyFrom(publicKey).export({ type: 'spki', format: 'der' }).toString('base64')
}
