// What the server sends: the served manifest (stamped, with active emergencies, signed or bare), its
// content ETag, and the push payloads. One place decides how documents are sealed.
import { createHash, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto'
import type { EmergencyClear } from '../main/core/protocol/api'
import { MAX_MANIFEST_EMERGENCIES, type Emergency } from '../main/core/protocol/manifest'
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

/**
 * Strong ETag of the manifest's content: version, document and active emergencies, not the
 * issuedAt/expiresAt stamps, so an unchanged manifest revalidates with a 304.
 */
export function manifestEtag(publication: Publication, active: readonly Emergency[], signer: Signer | null): string {
  const content = JSON.stringify([publication.version, publication.document, mergedEmergencies(publication, active), signer?.keyId ?? null])
  return `"${createHash('sha256').update(content).digest('hex').slice(0, 40)}"`
}

export function servedManifestBody(publication: Publication, active: readonly Emergency[], now: number, ttlSec: number, signer: Signer | null): string {
  const { version: _version, issuedAt: _issuedAt, expiresAt: _expiresAt, ...rest } = publication.document
  const document = {
    schema: rest.schema,
    version: publication.version,
    issuedAt: new Date(now).toISOString(),
    expiresAt: new Date(now + ttlSec * 1000).toISOString(),
    ...rest,
    emergencies: mergedEmergencies(publication, active)
  }
  return JSON.stringify(seal(document, signer))
}

export function manifestChangedPayload(version: string, now: number): { version: string; expiresAt: string } {
  return { version, expiresAt: new Date(now + PUSH_TTL_SEC * 1000).toISOString() }
}

export function emergencyClearDocument(id: string, now: number): EmergencyClear {
  return { id, clearedAt: new Date(now).toISOString(), expiresAt: new Date(now + PUSH_TTL_SEC * 1000).toISOString() }
}

/** Does an If-None-Match header match this ETag? (Weak comparison, as RFC 9110 asks for If-None-Match.) */
export function etagMatches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false
  if (ifNoneMatch.trim() === '*') return true
  const bare = (tag: string) => tag.trim().replace(/^W\//, '')
  return ifNoneMatch.split(',').some((tag) => bare(tag) === bare(etag))
}
