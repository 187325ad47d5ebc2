// What the server sends: the served manifest (stamped, with active emergencies, addressed and signed, or
// bare), its ETag, and the push payloads. One place decides how documents are sealed, for v1 and v2 boards.
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto'
import type { EmergencyClear } from '../main/core/protocol/api'
import { MAX_MANIFEST_EMERGENCIES, type Emergency } from '../main/core/protocol/manifest'
import { ADDRESSED_PROTOCOL, sealAddressed, type DocumentKind } from '../main/core/protocol/addressed'
import { signDocument } from '../main/core/protocol/signing'
import type { Publication } from './state'

/** Push messages expire soon: one delivered late, after a reconnect, is ignored by the board. */
export const PUSH_TTL_SEC = 5 * 60

export interface Signer {
  keyId: string
  privateKey: KeyObject
  publicKeyPem: string
}

export function signerFrom(key: { keyId: string; privateKeyPem: string }): Signer {
  const privateKey = createPrivateKey(key.privateKeyPem)
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error(`signing key is ${privateKey.asymmetricKeyType}, protocol v1 signs with ed25519`)
  const publicKeyPem = createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString()
  return { keyId: key.keyId, privateKey, publicKeyPem }
}

/** A signed envelope with a key, the bare document without (a lab or the demo). */
export function seal(document: unknown, signer: Signer | null): unknown {
  return signer ? signDocument(document, signer.keyId, signer.privateKey) : document
}

function mergedEmergencies(publication: Publication, active: readonly Emergency[]): unknown[] {
  const own = Array.isArray(publication.document.emergencies) ? (publication.document.emergencies as unknown[]) : []
  const room = Math.max(0, MAX_MANIFEST_EMERGENCIES - own.length)
  // The newest notices matter most when there are too many to list.
  return [...own, ...active.slice(Math.max(0, active.length - room))]
}

/** A document for one board: addressed to it, stamped and signed (signed documents v2), or sealed as v1 for a v1 board. */
export function sealFor(kind: DocumentKind, document: unknown, deviceId: string, protocol: number, validity: { issuedAt: number; expiresAt: number }, signer: Signer | null): unknown {
  if (protocol < ADDRESSED_PROTOCOL) return seal(document, signer)
  return sealAddressed(kind, { deviceIds: [deviceId] }, document, validity, signer)
}

export function servedManifestBody(
  publication: Publication,
  active: readonly Emergency[],
  now: number,
  ttlSec: number,
  signer: Signer | null,
  audience: { deviceId: string; protocol: number } = { deviceId: '', protocol: 1 }
): string {
  const { version: _version, issuedAt: _issuedAt, expiresAt: _expiresAt, ...rest } = publication.document
  const document = {
    schema: rest.schema,
    version: publication.version,
    issuedAt: new Date(now).toISOString(),
    expiresAt: new Date(now + ttlSec * 1000).toISOString(),
    ...rest,
    emergencies: mergedEmergencies(publication, active)
  }
  const validity = { issuedAt: now, expiresAt: now + ttlSec * 1000 }
  return JSON.stringify(sealFor('manifest', document, audience.deviceId, audience.protocol, validity, signer))
}

export function manifestChangedPayload(version: string, now: number): { version: string; expiresAt: string } {
  return { version, expiresAt: new Date(now + PUSH_TTL_SEC * 1000).toISOString() }
}

/** `until`: the cleared emergency's own expiry, when known; boards keep it cleared until then. */
export function emergencyClearDocument(id: string, now: number, until?: string): EmergencyClear {
  return { id, clearedAt: new Date(now).toISOString(), expiresAt: new Date(now + PUSH_TTL_SEC * 1000).toISOString(), ...(until ? { until } : {}) }
}

/** Does an If-None-Match header match this ETag? (Weak comparison, as RFC 9110 asks for If-None-Match.) */
export function etagMatches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false
  if (ifNoneMatch.trim() === '*') return true
  const bare = (tag: string) => tag.trim().replace(/^W\//, '')
  return ifNoneMatch.split(',').some((tag) => bare(tag) === bare(etag))
}
