// Signed content (protocol v1): manifests and emergency messages travel in an Ed25519-signed envelope
// so a hijacked network or server path cannot put its own notice on a public screen.
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto'
import { z } from 'zod'
import { JsonLimitError, parseBoundedJson } from './json-limits'
import { Id } from './manifest'

export const SignedEnvelope = z.object({
  /** The signed document, as the exact JSON text that was signed (UTF-8). */
  payload: z.string().min(2).max(32 * 1024 * 1024),
  keyId: Id,
  /** Ed25519 signature of the payload's UTF-8 bytes, base64. */
  signature: z.base64().max(200)
})
export type SignedEnvelope = z.infer<typeof SignedEnvelope>

/** Why a document was refused; the last three are the addressing rules of signed documents v2 (addressed.ts). */
export type SignatureFailure = 'unsigned' | 'malformed' | 'unknown-key' | 'bad-signature' | 'expired' | 'unaddressed' | 'misaddressed' | 'stale'

export class SignatureError extends Error {
  override name = 'SignatureError'
  constructor(
    readonly reason: SignatureFailure,
    message: string
  ) {
    super(message)
  }
}

/** The province's public keys the device trusts, by key id (several during a key rotation). */
export type TrustedKeys = ReadonlyMap<string, KeyObject>

export function trustedKeysFrom(entries: readonly { keyId: string; publicKey: string }[]): TrustedKeys {
  return new Map(entries.map(({ keyId, publicKey }) => [keyId, publicKeyFrom(publicKey)]))
}

/** Accepts a PEM "PUBLIC KEY" block or the base64 of its DER (SPKI) bytes. */
export function publicKeyFrom(text: string): KeyObject {
  const key = text.includes('-----BEGIN')
    ? createPublicKey(text)
    : createPublicKey({ key: Buffer.from(text, 'base64'), format: 'der', type: 'spki' })
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`key is ${key.asymmetricKeyType}, not ed25519`)
  return key
}

export function signDocument(document: unknown, keyId: string, privateKey: KeyObject | string): SignedEnvelope {
  const payload = JSON.stringify(document)
  const key = typeof privateKey === 'string' ? createPrivateKey(privateKey) : privateKey
  const signature = sign(null, Buffer.from(payload, 'utf8'), key).toString('base64')
  return { payload, keyId, signature }
}

export function generateSigningKey(): { privateKeyPem: string; publicKeyPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519')
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString()
  }
}

function isEnvelopeShaped(raw: unknown): boolean {
  return typeof raw === 'object' && raw !== null && 'payload' in raw && 'signature' in raw
}

/**
 * Opens what the server sent and returns the document inside. With trusted keys configured, only a
 * correctly signed envelope from a known key is accepted; without keys (a lab, or the demo) a bare
 * document is accepted too. Throws SignatureError saying why it refused.
 */
export function openSigned(raw: unknown, trusted: TrustedKeys | null): unknown {
  if (!isEnvelopeShaped(raw)) {
    if (trusted && trusted.size > 0) throw new SignatureError('unsigned', 'unsigned document refused: this board requires the province signature')
    return raw
  }
  const envelope = SignedEnvelope.safeParse(raw)
  if (!envelope.success) throw new SignatureError('malformed', 'malformed signed envelope')
  const { payload, keyId, signature } = envelope.data
  if (trusted && trusted.size > 0) {
    const key = trusted.get(keyId)
    if (!key) throw new SignatureError('unknown-key', `signed with unknown key ${keyId}`)
    if (!verify(null, Buffer.from(payload, 'utf8'), key, Buffer.from(signature, 'base64'))) {
      throw new SignatureError('bad-signature', `signature does not match (key ${keyId}): the document was altered or forged`)
    }
  }
  try {
    return parseBoundedJson(payload, 'signed payload')
  } catch (error) {
    throw new SignatureError('malformed', error instanceof JsonLimitError ? error.message : 'signed payload is not JSON')
  }
}

/** A signed document past its expiry is a replay: refused, whatever the signature. */
export function assertNotExpired(expiresAt: string | undefined, now: Date, what: string): void {
  if (expiresAt && Date.parse(expiresAt) <= now.getTime()) {
    throw new SignatureError('expired', `${what} expired at ${expiresAt}`)
  }
}
