// The fingerprint an installer compares by eye: 8 groups of 4 lower-case hex digits, so that no letter in it
// passes for a digit (B/8, D/0) on a small LED strip.
import { generateKeyPairSync } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { keyFingerprint } from '../../../../main/core/protocol/key-fingerprint'

describe('keyFingerprint', () => {
  it('is 8 groups of 4 lower-case hex digits, the same for the PEM and the base64 SPKI form of a key', () => {
    const { publicKey } = generateKeyPairSync('ed25519')
    const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString()
    const spki = publicKey.export({ type: 'spki', format: 'der' }).toString('base64')
    const fingerprint = keyFingerprint(pem)
    expect(fingerprint).toMatch(/^[0-9a-f]{4}( [0-9a-f]{4}){7}$/)
    expect(fingerprint).not.toMatch(/[A-Z]/)
    expect(keyFingerprint(spki)).toBe(fingerprint)
  })
})
