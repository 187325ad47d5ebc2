// Which documents a board with a server takes: signed by a trusted key only, nothing without a key, and
// in lab mode unsigned ones too, though an envelope naming a trusted key must still verify.
import { describe, expect, it } from 'vitest'
import { keyFingerprint } from '../../../../main/core/protocol/key-fingerprint'
import { generateSigningKey, signDocument, SignatureError } from '../../../../main/core/protocol/signing'
import { ContentTrust } from '../../../../main/core/sync/content-trust'

const province = generateSigningKey()
const other = generateSigningKey()
const doc = { version: 'v1' }
const signed = signDocument(doc, 'tinh', province.privateKeyPem)
const forged = signDocument(doc, 'tinh', other.privateKeyPem)
const unknown = signDocument(doc, 'la', other.privateKeyPem)
const refusal = (trust: ContentTrust, raw: unknown) => {
  try {
    trust.open(raw)
    return null
  } catch (error) {
    return error instanceof SignatureError ? error.reason : 'other'
  }
}

describe('content trust', () => {
  it('with the province key: only its signature', () => {
    const trust = new ContentTrust([{ keyId: 'tinh', publicKey: province.publicKeyPem }], false)
    expect(trust.open(signed)).toEqual(doc)
    expect([refusal(trust, doc), refusal(trust, forged), refusal(trust, unknown)]).toEqual(['unsigned', 'bad-signature', 'unknown-key'])
    expect(trust.state).toEqual({ mode: 'signed', keySource: 'config', keys: [{ keyId: 'tinh', fingerprint: keyFingerprint(province.publicKeyPem) }] })
  })

  it('without a key: nothing, saying why', () => {
    const trust = new ContentTrust([], false)
    expect([refusal(trust, doc), refusal(trust, signed)]).toEqual(['unsigned', 'unknown-key'])
    expect(() => trust.open(signed)).toThrow(/no province public key/)
    expect(trust.state.mode).toBe('no-key')
  })

  it('a key pinned at pairing is used, unless keys are configured', () => {
    const pinned = new ContentTrust([], false)
    pinned.pin([{ keyId: 'tinh', publicKey: province.publicKeyPem }])
    expect(pinned.open(signed)).toEqual(doc)
    expect(refusal(pinned, forged)).toBe('bad-signature')
    expect(pinned.state).toMatchObject({ mode: 'signed', keySource: 'pairing' })
    const configured = new ContentTrust([{ keyId: 'tinh', publicKey: province.publicKeyPem }], false)
    configured.pin([{ keyId: 'la', publicKey: other.publicKeyPem }])
    expect(refusal(configured, unknown)).toBe('unknown-key')
  })

  it('lab mode: bare and unknown-key documents, but a trusted key must still verify', () => {
    const lab = new ContentTrust([{ keyId: 'tinh', publicKey: province.publicKeyPem }], true)
    expect(lab.open(doc)).toEqual(doc)
    expect(lab.open(unknown)).toEqual(doc)
    expect(lab.open(signed)).toEqual(doc)
    expect(refusal(lab, forged)).toBe('bad-signature')
    expect(lab.state.mode).toBe('lab')
  })
})
