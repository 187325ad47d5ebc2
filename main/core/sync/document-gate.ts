// The board's gate for signed documents v2 (protocol/addressed.ts): signature, kind, audience, expiry and
// order, with the newest issue time seen per kind kept on disk so a restart cannot be rolled back either.
import { mkdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { z } from 'zod'
import { writeFileAtomic } from '../fs-atomic'
import type { Logger } from '../log'
import { Addressed, addressedTo, DOCUMENT_KINDS, isAddressed, type DocumentKind } from '../protocol/addressed'
import { describeIssues } from '../protocol/manifest'
import { SignatureError } from '../protocol/signing'
import type { BoardClock } from '../time/board-clock'
import type { ContentTrust } from './content-trust'

/**
 * Kinds refused when issued before the newest of their kind already accepted. Emergencies and clears are
 * not: two warnings issued a second apart may arrive in either order, and both must show; a replayed one is
 * stopped by its expiry and by the cleared list (emergency-store.ts), a replayed clear harms nothing.
 */
const ORDERED: ReadonlySet<DocumentKind> = new Set(['manifest', 'command'])

const Stored = z.object({ highWater: z.partialRecord(z.enum(DOCUMENT_KINDS), z.number()) })

export interface Opened<T = unknown> {
  body: T
  /** Absent for a protocol-v1 document (accepted only in lab mode: allowUnsignedContent). */
  issuedAt?: string
  expiresAt?: string
}

export interface DocumentGateOptions {
  stateDir: string
  /**
   * The signature check (content-trust.ts): the province's keys, pinned at pairing or configured; fails
   * closed without them; lab mode takes unsigned documents. The gate adds kind, audience, expiry and order.
   */
  trust: Pick<ContentTrust, 'open' | 'allowUnsigned'>
  /** The board's id as the server knows it; null before pairing (then nothing addressed is accepted). */
  deviceId: () => string | null
  groups: readonly string[]
  clock: Pick<BoardClock, 'nowMs' | 'passedMs' | 'notePassed'>
  log: Logger
}

export class DocumentGate {
  private highWater: Partial<Record<DocumentKind, number>> = {}
  private writing: Promise<void> = Promise.resolve()
  private readonly path: string

  constructor(private readonly options: DocumentGateOptions) {
    this.path = join(options.stateDir, 'documents.json')
  }

  /** Reads the high-water marks; the newest is a lower bound on the clock (a board whose RTC reads 1970 after a restart). */
  async load(): Promise<void> {
    try {
      this.highWater = Stored.parse(JSON.parse(await readFile(this.path, 'utf8'))).highWater
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') this.options.log.error('document high-water marks unreadable; starting without them', { reason: (error as Error).message })
    }
    for (const at of Object.values(this.highWater)) this.options.clock.notePassed(at)
  }

  /** The newest issue time accepted of a kind (epoch ms), or null. */
  highWaterOf(kind: DocumentKind): number | null {
    return this.highWater[kind] ?? null
  }

  /**
   * Opens what the server sent as a document of `kind`, or throws a SignatureError saying why not. An
   * emergency is refused as expired only once certainly expired (a wall clock that jumped ahead must not
   * drop a warning); other kinds on the later of the board time and the certainly-passed time. `parse`
   * checks the body (its schema throws) before anything is recorded.
   */
  open<T = unknown>(raw: unknown, kind: DocumentKind, parse: (body: unknown) => T = (body) => body as T): Opened<T> {
    const { trust, clock } = this.options
    const document = trust.open(raw)
    if (!isAddressed(document)) {
      if (!trust.allowUnsigned) throw new SignatureError('unaddressed', `${kind} refused: a protocol v1 document names no board and no order (this board needs signed documents v2)`)
      return { body: parse(document) }
    }
    const parsed = Addressed.safeParse(document)
    if (!parsed.success) throw new SignatureError('malformed', `${kind} refused: ${describeIssues(parsed.error)}`)
    const addressed = parsed.data
    if (addressed.kind !== kind) throw new SignatureError('misaddressed', `${kind} refused: the signed document is a ${addressed.kind}`)
    const deviceId = this.options.deviceId()
    if (deviceId === null || !addressedTo(addressed.audience, deviceId, this.options.groups)) {
      throw new SignatureError('misaddressed', `${kind} refused: addressed to ${describeAudience(addressed.audience)}, not to this board (${deviceId ?? 'unpaired'})`)
    }
    const issued = Date.parse(addressed.issuedAt)
    const expires = Date.parse(addressed.expiresAt)
    const now = kind === 'emergency' ? clock.passedMs() : Math.max(clock.nowMs(), clock.passedMs())
    if (expires <= now) throw new SignatureError('expired', `${kind} refused: expired at ${addressed.expiresAt}`)
    const newest = this.highWater[kind]
    if (ORDERED.has(kind) && newest !== undefined && issued < newest) {
      throw new SignatureError('stale', `${kind} refused: issued ${addressed.issuedAt}, before the newest already accepted (${new Date(newest).toISOString()}): a replay`)
    }
    // The body is checked before the mark moves: a signed but broken document must not lock out the one before it.
    const body = parse(addressed.body)
    clock.notePassed(issued)
    if (newest === undefined || issued > newest) this.raise(kind, issued)
    return { body, issuedAt: addressed.issuedAt, expiresAt: addressed.expiresAt }
  }

  private raise(kind: DocumentKind, issued: number): void {
    this.highWater = { ...this.highWater, [kind]: issued }
    const text = JSON.stringify({ highWater: this.highWater })
    // Serialised, so the file always ends with the newest marks.
    this.writing = this.writing
      .catch(() => {})
      .then(async () => {
        await mkdir(this.options.stateDir, { recursive: true })
        await writeFileAtomic(this.path, text)
      })
      .catch((error: Error) => this.options.log.error('document high-water mark not saved', { kind, reason: error.message }))
  }

  /** Settles once every raised mark is on disk (tests, shutdown). */
  flushed(): Promise<void> {
    return this.writing
  }
}

function describeAudience(audience: Addressed['audience']): string {
  const parts = [...(audience.deviceIds ?? []).slice(0, 3).map((d) => `board ${d}`), ...(audience.groups ?? []).slice(0, 3).map((g) => `group ${g}`)]
  return parts.join(', ')
}
