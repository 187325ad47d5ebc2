// A province key's fingerprint, short enough to read off a pairing screen and compare with the one the
// province prints: the first 16 bytes of the SHA-256 of the key's SPKI DER, as 8 groups of 4 hex digits,
// in lower case: read off a distant LED strip, upper-case B and D pass for 8 and 0; b and d do not.
import { createHash } from 'node:crypto'
import { publicKeyFrom } from './signing'

export function keyFingerprint(publicKey: string): string {
  const der = publicKeyFrom(publicKey).export({ type: 'spki', format: 'der' })
  const hex = createHash('sha256').update(der).digest('hex').slice(0, 32)
  return hex.match(/.{4}/g)!.join(' ')
}

/** The base64 SPKI form of a key (one line), as pairing answers and config files carry it. */
export function spkiBase64Of(publicKey: string): string {
  return publicKeyFrom(publicKey).export({ type: 'spki', format: 'der' }).toString('base64')
}
