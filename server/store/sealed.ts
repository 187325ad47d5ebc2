// Sign once: a board's manifest is serialised and signed once per change of what it contains (its
// publication, its active emergencies, the key, the protocol it asked for) and once per validity
// renewal (half its TTL), then served verbatim with the same ETag to every request until then.
// Signing per request cost 0.5–0.75 ms of CPU; a fleet polling every minute adds up.
import { createHash } from 'node:crypto'
import type { Emergency } from '../../main/core/protocol/manifest'
import { servedManifestBody, type Signer } from '../documents'
import type { Publication } from '../state'

export interface SealedManifest {
  contentKey: string
  sealedAt: number
  etag: string
  body: string
}

export interface SealedRow extends SealedManifest {
  deviceId: string
  protocol: number
}

/** The hash of a publication's document, computed once per publication object. */
const documentHashes = new WeakMap<Publication, string>()

function publicationKey(publication: Publication): string {
  let hash = documentHashes.get(publication)
  if (hash === undefined) {
    hash = createHash('sha256').update(JSON.stringify([publication.version, publication.document])).digest('hex')
    documentHashes.set(publication, hash)
  }
  return hash
}

export class SealedManifests {
  /** Per board and protocol, the newest seal. */
  private readonly sealed = new Map<string, SealedManifest>()

  constructor(
    private readonly signer: Signer | null,
    private readonly ttlSec: number,
    /** Told about each new seal (the durable store keeps it, so a restart does not change every ETag). */
    private readonly keep: (row: SealedRow) => void = () => undefined
  ) {}

  restore(rows: readonly SealedRow[]): void {
    for (const { deviceId, protocol, ...entry } of rows) this.sealed.set(`${protocol}/${deviceId}`, entry)
  }

  /** The document this board gets now: the one sealed before when still right, else sealed afresh. */
  /**
   * `cleared`: this board's cleared, unexpired emergencies. They are part of what the document means
   * though not listed in it: after a clear the board needs a document issued after the clear (one from
   * before the emergency, with the same listed content, would leave it on screen).
   */
  forDevice(
    deviceId: string,
    protocol: number,
    publication: Publication,
    active: readonly Emergency[],
    cleared: readonly string[],
    now: number,
    /** The issuedAt of a new seal (the server's issuing clock); default `now`. */
    stamp: () => number = () => now
  ): SealedManifest {
    const contentKey = [publicationKey(publication), ...active.map((e) => `${e.id}@${e.issuedAt}@${e.expiresAt}`), ...cleared.map((id) => `-${id}`), this.signer?.keyId ?? '', protocol].join('|')
    const slot = `${protocol}/${deviceId}`
    const held = this.sealed.get(slot)
    // Renewed once half its validity has passed (boards poll far more often); `now` is the issuing clock, never behind a seal.
    if (held && held.contentKey === contentKey && held.sealedAt <= now && now < held.sealedAt + (this.ttlSec * 1000) / 2) return held
    const issuedAt = stamp()
    const body = servedManifestBody(publication, active, issuedAt, this.ttlSec, this.signer, { deviceId, protocol })
    const entry = { contentKey, sealedAt: issuedAt, etag: `"${createHash('sha256').update(body).digest('hex').slice(0, 40)}"`, body }
    this.sealed.set(slot, entry)
    this.keep({ deviceId, protocol, ...entry })
    return entry
  }

  forget(deviceId: string): void {
    for (const slot of this.sealed.keys()) if (slot.slice(slot.indexOf('/') + 1) === deviceId) this.sealed.delete(slot)
  }
}
