// Keeps the board's content in step with the source system: pull when linked, on a push and by jittered
// polling; download only what is missing, resumably and within the disk, bandwidth and time budgets;
// activate a manifest once every file it needs is verified or set aside as bad (reported, retried later).
import type { ContentCache } from '../cache/content-cache'
import type { ManifestStore, StoredManifest } from '../content/manifest-store'
import type { Logger } from '../log'
import type { Ack, EmergencyClear, Problem } from '../protocol/api'
import { ManifestError, parseManifest, type Asset, type Emergency, type Manifest } from '../protocol/manifest'
import { assertNotExpired, SignatureError } from '../protocol/signing'
import type { DocumentGate } from './document-gate'
import { BoardClock } from '../time/board-clock'
import { inTimeWindow, zonedTime } from '../time/zoned'
import { Downloads, type DownloadProgress } from './downloads'
import { missingFilesMessage } from './missing-files'
import { askedWaitMs, type AssetDownload, type ManifestFetch, type PushState } from './source-adapter'

export type SyncProgress = DownloadProgress

export interface ContentStatus {
  state: 'starting' | 'syncing' | 'up-to-date' | 'waiting-for-window' | 'retrying'
  activeVersion: string | null
  pendingVersion: string | null
  lastSuccessAt: number | null
  lastError: string | null
  progress: SyncProgress | null
}

/** Where content comes from and where its acknowledgements and problems go: the source session. */
export interface ContentSource {
  fetchManifest(etag: string | undefined, signal: AbortSignal): Promise<ManifestFetch>
  download(asset: Asset, offset: number, signal: AbortSignal): Promise<AssetDownload>
  ack(ack: Ack): void
  problem(kind: Problem['kind'], detail: string, ref?: string): void
  onManifestChanged(listener: (version: string) => void): () => void
  onPushState(listener: (state: PushState) => void): () => void
}

export interface ContentSyncOptions {
  source: ContentSource
  cache: ContentCache
  store: ManifestStore
  /** Opens what the server sent: signature (the province's keys or lab mode, content-trust.ts), audience, order, expiry (signed documents v2). */
  gate: Pick<DocumentGate, 'open'>
  log: Logger
  timeZone: string
  pollIntervalMs: number
  maxConcurrentDownloads: number
  bandwidthBytesPerSec?: number
  downloadWindows?: { from: string; to: string }[]
  onActivated(manifest: Manifest): void
  /** An emergency a fresh manifest lists (verified with it, unexpired). */
  onEmergencyStart?(emergency: Emergency): void
  /** An emergency a fresh manifest no longer lists (clearedAt: the manifest's issue time). */
  onEmergencyClear?(clear: EmergencyClear): void
  /** The emergencies the board is showing, so a fresh manifest that no longer lists one can end it. */
  heldEmergencies?(): readonly Emergency[]
  /** Files of the active manifest that were missing (set aside, evicted) arrived: its items can show now. */
  onFilesArrived?(manifest: Manifest): void
  onStatus?(status: ContentStatus): void
  /** The board clock (corrected from the server's Date by the session); default: one over `now`. */
  clock?: BoardClock
  /** The wall clock, when no board clock is given; default the system clock. */
  now?: () => Date
  random?: () => number
  retryBaseMs?: number
  retryMaxMs?: number
  /** First back-off of a file set aside as bad (doubling per failure, bounded); default 10 min. */
  setAsideBaseMs?: number
}

/** A failed sync pass is tried again after first × factor^(failures−1), capped, times 0.5–1.5; a pass that finishes resets it. */
export const SYNC_RETRY = { firstMs: 5_000, factor: 2, maxMs: 600_000 } as const

/** Thrown when a sync pass ended with files still missing: the pass is retried with backoff. */
class IncompleteSync extends Error {}

export class ContentSync {
  private active: StoredManifest | null = null
  private pending: StoredManifest | null = null
  private running: Promise<void> | null = null
  private again = false
  private stopped = false
  /** Not linked (before pairing, or the token was revoked): no passes, no timer. */
  private paused = true
  private readonly unsubscribe: (() => void)[] = []
  private failures = 0
  /** What the server's Retry-After asked for at the last failure (capped); no retry comes sooner. */
  private askedWait = 0
  private timer: NodeJS.Timeout | null = null
  private readonly abort = new AbortController()
  private readonly clock: BoardClock
  private readonly random: () => number
  private readonly downloads: Downloads
  private snapshot: ContentStatus = {
    state: 'starting',
    activeVersion: null,
    pendingVersion: null,
    lastSuccessAt: null,
    lastError: null,
    progress: null
  }

  constructor(private readonly options: ContentSyncOptions) {
    const wall = options.now ?? (() => new Date())
    this.clock = options.clock ?? new BoardClock({ wall: () => wall().getTime() })
    this.random = options.random ?? Math.random
    this.downloads = new Downloads({
      cache: options.cache,
      adapter: options.source,
      log: options.log,
      signal: this.abort.signal,
      maxConcurrent: options.maxConcurrentDownloads,
      bandwidthBytesPerSec: options.bandwidthBytesPerSec,
      setAsideBaseMs: options.setAsideBaseMs,
      report: (kind, detail, ref) => options.source.problem(kind, detail, ref),
      stopped: () => this.stopped
    })
  }

  get status(): ContentStatus {
    return this.snapshot
  }

  get activeManifest(): Manifest | null {
    return this.active?.manifest ?? null
  }

  /**
   * Starts from what was stored (the caller has verified its files and put it on screen, so a board
   * plays offline at once); syncing waits for `resume()`, when the board is linked to its server.
   */
  start(stored: { active: StoredManifest | null; pending: StoredManifest | null }): void {
    this.active = stored.active
    this.pending = stored.pending
    this.update({ activeVersion: this.active?.manifest.version ?? null, pendingVersion: this.pending?.manifest.version ?? null })
    const { source } = this.options
    let push: PushState = 'disconnected'
    this.unsubscribe.push(
      source.onPushState((state) => {
        const wasDown = push !== 'connected'
        push = state
        // Pushes sent while we were away are lost: catch up on reconnect.
        if (state === 'connected' && wasDown && this.snapshot.state !== 'starting') void this.syncNow('push reconnected')
      }),
      source.onManifestChanged((version) => {
        if (version !== this.active?.manifest.version) void this.syncNow('push')
      })
    )
  }

  /** The board is linked (at start, after pairing): sync now, then on pushes and by polling. */
  resume(reason: string): void {
    this.paused = false
    void this.syncNow(reason)
  }

  /** The board lost its link (its token was revoked): no more passes until it is linked again. */
  pause(): void {
    this.paused = true
    if (this.timer) clearTimeout(this.timer)
  }

  async stop(): Promise<void> {
    this.stopped = true
    for (const undo of this.unsubscribe.splice(0)) undo()
    if (this.timer) clearTimeout(this.timer)
    this.abort.abort()
    await this.running?.catch(() => {})
  }

  /** Runs a sync pass now; a request during a pass queues exactly one more pass. */
  syncNow(reason: string): Promise<void> {
    if (this.stopped || this.paused) return Promise.resolve()
    if (this.running) {
      this.again = true
      return this.running
    }
    if (this.timer) clearTimeout(this.timer)
    this.running = (async () => {
      let why = reason
      do {
        this.again = false
        await this.pass(why)
        why = 'queued'
      } while (this.again && !this.stopped)
    })().finally(() => {
      this.running = null
      this.scheduleNext()
    })
    return this.running
  }

  private scheduleNext(): void {
    if (this.stopped || this.paused) return
    const base = this.options.retryBaseMs ?? SYNC_RETRY.firstMs
    const max = this.options.retryMaxMs ?? SYNC_RETRY.maxMs
    // Jitter spreads thousands of boards that lost the server at the same moment.
    let delay =
      this.failures > 0
        ? Math.min(max, base * SYNC_RETRY.factor ** (this.failures - 1)) * (0.5 + this.random())
        : this.options.pollIntervalMs * (0.8 + 0.4 * this.random())
    // A file set aside is tried again when its back-off ends, not only at the next poll.
    const retry = this.downloads.nextRetryInMs((this.pending ?? this.active)?.manifest.assets ?? [])
    if (retry !== null) delay = Math.min(delay, retry + 50)
    if (this.failures > 0) {
      delay = Math.max(delay, this.askedWait)
      this.options.log.info('sync will retry', { inMs: Math.round(delay), askedByServerMs: this.askedWait })
    }
    this.timer = setTimeout(() => void this.syncNow(this.failures > 0 ? 'retry' : 'poll'), delay)
  }

  private async pass(reason: string): Promise<void> {
    const { log } = this.options
    this.update({ state: 'syncing' })
    try {
      await this.fetchManifest()
      const target = this.pending ?? this.active
      if (target) {
        const windowOpen = this.downloadWindowOpen()
        const keep = this.options.cache.space.reference([target.manifest, this.active?.manifest])
        const outcome = await this.downloads.fetchMissing(target.manifest, keep, windowOpen, (progress) => this.update({ progress }))
        if (outcome.waiting.length === 0 && target === this.pending) {
          await this.activate(target, outcome.setAside.map((a) => a.sha256))
          // The replaced manifest's files may now be evicted: a file set aside for room gets another try.
          if (this.downloads.retryQuotaNow()) this.again = true
        } else if (outcome.arrived > 0 && target === this.active) {
          this.options.onFilesArrived?.(target.manifest)
        }
        if (outcome.waiting.length > 0) {
          if (!windowOpen) this.update({ state: 'waiting-for-window' })
          throw new IncompleteSync(missingFilesMessage(outcome.waiting, target.manifest))
        }
      }
      this.failures = 0
      this.askedWait = 0
      this.update({ state: 'up-to-date', lastSuccessAt: this.now().getTime(), lastError: null, progress: null })
    } catch (error) {
      if (this.stopped || this.paused) return
      this.failures += 1
      this.askedWait = askedWaitMs(error)
      const message = (error as Error).message
      const waiting = error instanceof IncompleteSync && this.snapshot.state === 'waiting-for-window'
      this.update({ state: waiting ? 'waiting-for-window' : 'retrying', lastError: message })
      log.warn('sync pass did not finish', { reason, failures: this.failures, error: message })
    }
  }

  private async fetchManifest(): Promise<void> {
    // The ETag stands for the manifest it came with, emergencies included: if the board holds one that
    // manifest does not list (pushed since), a 304 could not say whether it was cleared meanwhile.
    const basis = this.pending ?? this.active
    // Nor when what it holds has used half its signed validity: a full answer brings a freshly signed one
    // (the server also changes the ETag each half TTL; this holds with any server).
    const etag = basis && this.listsAllHeld(basis.manifest) && this.fresh(basis.manifest) ? basis.etag : undefined
    let manifest: Manifest
    let newEtag: string | undefined
    try {
      const result = await this.options.source.fetchManifest(etag, this.abort.signal)
      if (result.status === 'not-modified') return
      newEtag = result.etag
      manifest = this.openManifest(result.document)
    } catch (error) {
      if (error instanceof SignatureError || error instanceof ManifestError) {
        // Refused content changes nothing on screen: the last good manifest keeps playing.
        this.options.source.problem(error instanceof SignatureError ? 'signature-refused' : 'manifest-invalid', error.message)
      }
      throw error
    }
    if (manifest.issuedAt) this.clock.notePassed(Date.parse(manifest.issuedAt))
    for (const emergency of manifest.emergencies) this.forwardEmergency(emergency)
    this.endUnlisted(manifest)
    if (manifest.version === this.active?.manifest.version) {
      // The same content (its files are fetched by the pass if any are missing); the new copy is kept
      // with its ETag, so the two always describe the same emergencies.
      this.active = { ...this.active, manifest, etag: newEtag }
      if (this.pending) await this.options.store.clear('pending')
      this.pending = null
      this.update({ pendingVersion: null })
      return
    }
    this.pending = { manifest, etag: newEtag, savedAt: this.now().toISOString() }
    await this.options.store.save('pending', manifest, newEtag)
    this.update({ pendingVersion: manifest.version })
    this.options.log.info('new manifest fetched', { version: manifest.version, assets: manifest.assets.length })
  }

  /** Signature, audience, order and expiry (gate), then the manifest's own schema; the signed validity wins over the inner stamps. */
  private openManifest(document: unknown): Manifest {
    const opened = this.options.gate.open(document, 'manifest', parseManifest)
    const manifest = opened.body
    // A bare v1 document (a lab without keys) has only its own stamps to go on.
    if (opened.issuedAt === undefined) {
      assertNotExpired(manifest.expiresAt, this.now(), 'manifest')
      return manifest
    }
    return { ...manifest, issuedAt: opened.issuedAt, expiresAt: opened.expiresAt }
  }

  private fresh(manifest: Manifest): boolean {
    if (!manifest.issuedAt || !manifest.expiresAt) return true
    const issued = Date.parse(manifest.issuedAt)
    return this.now().getTime() < issued + (Date.parse(manifest.expiresAt) - issued) / 2
  }

  private listsAllHeld(manifest: Manifest): boolean {
    const listed = new Set(manifest.emergencies.map((e) => e.id))
    return (this.options.heldEmergencies?.() ?? []).every((e) => listed.has(e.id))
  }

  /**
   * A clear sent while the board was offline is lost; the manifest is what tells. An emergency it does
   * not list has ended, if it was issued before the manifest was (server time, both signed). One issued
   * after may simply be newer than this manifest, and is left alone; so is everything when the manifest
   * carries no issue time.
   */
  private endUnlisted(manifest: Manifest): void {
    if (!manifest.issuedAt) return
    const issued = Date.parse(manifest.issuedAt)
    const listed = new Set(manifest.emergencies.map((e) => e.id))
    for (const emergency of this.options.heldEmergencies?.() ?? []) {
      if (listed.has(emergency.id) || !(Date.parse(emergency.issuedAt) < issued)) continue
      this.options.log.warn('emergency no longer in the manifest: ended', { id: emergency.id, manifest: manifest.version })
      this.options.onEmergencyClear?.({ id: emergency.id, clearedAt: manifest.issuedAt, expiresAt: emergency.expiresAt })
    }
  }

  private downloadWindowOpen(): boolean {
    const windows = this.options.downloadWindows
    if (!windows || windows.length === 0) return true
    const time = zonedTime(this.now(), this.options.timeZone)
    return windows.some((window) => inTimeWindow(time.hour * 60 + time.minute, window))
  }

  private async activate(stored: StoredManifest, setAside: string[]): Promise<void> {
    const { store, log } = this.options
    await store.save('active', stored.manifest, stored.etag)
    await store.clear('pending')
    this.active = stored
    this.pending = null
    this.update({ activeVersion: stored.manifest.version, pendingVersion: null })
    log.info('manifest activated', { version: stored.manifest.version, ...(setAside.length > 0 ? { filesSetAside: setAside } : {}) })
    this.options.onActivated(stored.manifest)
    this.options.source.ack({ kind: 'manifest', id: stored.manifest.version, at: this.now().toISOString() })
  }

  private forwardEmergency(emergency: Emergency): void {
    if (Date.parse(emergency.expiresAt) <= this.clock.passedMs()) return
    this.options.onEmergencyStart?.(emergency)
  }

  /** Board time: the wall clock, or the server's when the wall clock is known to be wrong. */
  private now(): Date {
    return this.clock.now()
  }

  private update(patch: Partial<ContentStatus>): void {
    this.snapshot = { ...this.snapshot, ...patch }
    this.options.onStatus?.(this.snapshot)
  }
}
