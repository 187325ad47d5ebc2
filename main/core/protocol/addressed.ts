// Signed documents v2: every manifest, emergency, clear and command names its audience, its kind and its
// validity inside the signature, so a keyless replay can neither roll a board back nor reach another board.
import type { KeyObject } from 'node:crypto'
import { z } from 'zod'
import { Id, IsoDateTime } from './manifest'
import { signDocument, type SignedEnvelope } from './signing'

/** The schema literal of an addressed document; a v1 board finds no manifest, emergency or command fields in it and refuses it. */
export const ADDRESSED_SCHEMA = 'bangtin.addressed/v2'
/** What a board sends (HTTP Accept, push handshake `protocol`) to be answered with addressed documents. */
export const ADDRESSED_MEDIA_TYPE = 'application/vnd.bangtin.addressed.v2+json'
export const ADDRESSED_PROTOCOL = 2

export const DOCUMENT_KINDS = ['manifest', 'emergency', 'emergency-clear', 'command'] as const
export const DocumentKind = z.enum(DOCUMENT_KINDS)
export type DocumentKind = z.infer<typeof DocumentKind>

/** Who a document is for: boards by id, or groups a board belongs to (its config's `groups`). At least one. */
export const Audience = z
  .object({ deviceIds: z.array(Id).max(10_000).optional(), groups: z.array(Id).max(100).optional() })
  .refine((a) => (a.deviceIds?.length ?? 0) + (a.groups?.length ?? 0) > 0, 'an audience names at least one device or group')
export type Audience = z.infer<typeof Audience>

export const Addressed = z.object({
  schema: z.literal(ADDRESSED_SCHEMA),
  kind: DocumentKind,
  audience: Audience,
  /**
   * When the server signed it (epoch-anchored ISO time). Boards keep the newest seen per kind and refuse a
   * manifest or command issued before it (a rollback); it is also a lower bound on the board's clock.
   */
  issuedAt: IsoDateTime,
  /** Mandatory: a document received after it is refused, whatever the signature. */
  expiresAt: IsoDateTime,
  /** The document itself: a Manifest, an Emergency, an EmergencyClear or a Command (schemas of their own). */
  body: z.unknown()
})
export type Addressed = z.infer<typeof Addressed>

export function isAddressed(document: unknown): boolean {
  return typeof document === 'object' && document !== null && (document as { schema?: unknown }).schema === ADDRESSED_SCHEMA
}

/** Builds and signs an addressed document (the server, tests). Without a key the document goes bare (a lab). */
export function sealAddressed(
  kind: DocumentKind,
  audience: Audience,
  body: unknown,
  validity: { issuedAt: number; expiresAt: number },
  key: { keyId: string; privateKey: KeyObject | string } | null
): SignedEnvelope | Addressed {
  const document: Addressed = {
    schema: ADDRESSED_SCHEMA,
    kind,
    audience,
    issuedAt: new Date(validity.issuedAt).toISOString(),
    expiresAt: new Date(validity.expiresAt).toISOString(),
    body
  }
  return key ? signDocument(document, key.keyId, key.privateKey) : document
}

/** Whether a board with this id and these groups is in the audience. */
export function addressedTo(audience: Audience, deviceId: string, groups: readonly string[]): boolean {
  return (audience.deviceIds ?? []).includes(deviceId) || (audience.groups ?? []).some((g) => groups.includes(g))
}
