// Keeps the board's content in step with the source system: pull on start, on push and by jittered
// polling; download only what is missing, resumably and within the disk, bandwidth and time budgets;
// activate a manifest once every file it needs is verified or set aside as bad (reported, retried later).
import type { ContentCache } from '../cache/content-cache'
import type { ManifestStore, StoredManifest } from '../content/manifest-store'
import type { Logger } from '../log'
import { Command, COMMAND_KINDS, EmergencyClear, type Ack, type CommandResult, type Problem, type ReportBody, type UploadMeta } from '../protocol/api'
import { Emergency, ManifestError, parseManifest, type Manifest } from '../protocol/manifest'
import { assertNotExpired, openSigned, SignatureError, type TrustedKeys } from '../protocol/signing'
import { BoardClock } from '../time/board-clock'
import { inTimeWindow, zonedTime } from '../time/zoned'
import { Downloads, type DownloadProgress } from './downloads'
import { missingFilesMessage } from './missing-files'
import type { PushChannel, PushState, SourceAdapter } from './source-adapter'

export type SyncProgress = DownloadProgress

export interface SyncSnapshot {
  state: 'starting' | 'syncing' | 'up-to-date' | 'waiting-for-window' | 'retrying'
  push: PushState
  activeVersion: string | null
  pendingVersion: string | null
  lastSuccessAt: number | null
  lastError: string | null
  progress: SyncProgress | null
  /** Server clock minus ours (from the HTTP Date header), null until a server answered. */
  clockOffsetMs: number | null
}

export interface SyncEngineOptions {
  adapter: SourceAdapter
  cache: ContentCache
  store: ManifestStore
  /** Null or empty: unsigned content is accepted (lab/demo). */
  trustedKeys: TrustedKeys | null
  log: Logger
  timeZone: string
  pollIntervalMs: number
  maxConcurrentDownloads: number
  bandwidthBytesPerSec?: number
  downloadWindows?: { from: string; to: string }[]
  onActivated(manifest: Manifest): void
  onEmergencyStart?(emergency: Emergency): void
  /** A clear pushed by the server, or an emergency a fresh manifest no longer lists (clearedAt: its issue time). */
  onEmergencyClear?(clear: EmergencyClear): void
  /** The emergencies the board is showing, so a fresh manifest that no longer lists one can end it. */
  heldEmergencies?(): readonly Emergency[]
  /** Files of the active manifest that were missing (set aside, evicted) arrived: its items can show now. */
  onFilesArrived?(manifest: Manifest): void
  /** Carries out a remote command (already authenticated and unexpired); absent: every command is refused. */
  onCommand?(command: Command): Promise<CommandResult>
  onStatus?(snapshot: SyncSnapshot): void
  /** The board clock (corrected from the server's Date); default: one over `now`. */
  clock?: BoardClock
  /** The wall clock, only to measure its error against the server's; default the system clock. */
  now?: () => Date
  random?: () => number
  retryBaseMs?: number
  retryMaxMs?: number
  /** First back-off of a file set aside as bad (doubling per failure, bounded); default 10 min. */
  setAsideBaseMs?: number
}

/** Clock errors above this are reported, and the schedule follows the server's clock instead. */
export const CLOCK_SKEW_REPORT_MS = 120_000

/** Thrown when a sync pass ended with files still missing: the pass is retried with backoff. */
class IncompleteSync extends Error {}

export class SyncEngine {
  private active: StoredManifest | null = null
  private pending: StoredManifest | null = null
  private push: PushChannel | null = null
  private running: Promise<void> | null = null
  private again = false
  private stopped = false
  private failures = 0
  private timer: NodeJS.Timeout | null = null
  private readonly abort = new AbortController()
  private readonly wallNow: () => Date
  private readonly clock: BoardClock
  private readonly random: () => number
  private readonly downloads: Downloads
  private snapshot: SyncSnapshot = {
    state: 'starting',
    push: 'connecting',
    activeVersion: null,
    pendingVersion: null,
    lastSuccessAt: null,
    lastError: null,
    progress: null,
    clockOffsetMs: null
  }

  constructor(private readonly options: SyncEngineOptions) {
    this.wallNow = options.now ?? (() => new Date())
    this.clock = options.clock ?? new BoardClock({ wall: () => this.wallNow().getTime() })
    this.random = options.random ?? Math.random
    this.downloads = new Downloads({
      cache: options.cache,
      adapter: options.adapter,
      log: options.log,
      signal: this.abort.signal,
      maxConcurrent: options.maxConcurrentDownloads,
      bandwidthBytesPerSec: options.bandwidthBytesPerSec,
      setAsideBaseMs: options.setAsideBaseMs,
      report: (kind, detail, ref) => this.report(kind, detail, ref),
      stopped: () => this.stopped
    })
  }

  get status(): SyncSnapshot {
    return this.snapshot
  }

  get activeManifest(): Manifest | null {
    return this.active?.manifest ?? null
  }

  /**
   * Starts from what was stored (the caller has verified its files and put it on screen, so a board
   * plays offline at once), then connects and syncs in the background.
   */
  start(stored: { active: StoredManifest | null; pending: StoredManifest | null }): void {
    this.active = stored.active
    this.pending = stored.pending
    this.update({ activeVersion: this.active?.manifest.version ?? null, pendingVersion: this.pending?.manifest.version ?? null })
    this.push = this.options.adapter.openPushChannel({
      onState: (push) => {
        const wasDown = this.snapshot.push !== 'connected'
        this.update({ push })
        // Pushes sent while we were away are lost: catch up on reconnect.
        if (push === 'connected' && wasDown && this.snapshot.state !== 'starting') void this.syncNow('push reconnected')
      },
      onManifestChanged: (version) => {
        if (version !== this.active?.manifest.version) void this.syncNow('push')
      },
      onEmergencyStart: (raw) => this.acceptEmergency(raw),
      onEmergencyClear: (raw) => this.acceptEmergencyClear(raw),
      onCommand: (raw) => void this.acceptCommand(raw)
    })
    void this.syncNow('start')
  }

  async stop(): Promise<void> {
    this.stopped = true
    if (this.timer) clearTimeout(this.timer)
    this.abort.abort()
    this.push?.close()
    await this.running?.catch(() => {})
  }

  /** Posts a report through the source adapter; rejects unless the server stored it. */
  sendReport(body: ReportBody, signal: AbortSignal): Promise<void> {
    return this.options.adapter.sendReport(body, signal)
  }

  sendUpload(meta: UploadMeta, bytes: Buffer, signal: AbortSignal): Promise<void> {
    return this.options.adapter.sendUpload(meta, bytes, signal)
  }

  ack(ack: Ack): void {
    this.push?.ack(ack)
  }

  /** Runs a sync pass now; a request during a pass queues exactly one more pass. */
  syncNow(reason: string): Promise<void> {
    if (this.stopped) return Promise.resolve()
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
    if (this.stopped) return
    const base = this.options.retryBaseMs ?? 5_000
    const max = this.options.retryMaxMs ?? 600_000
    // Jitter spreads thousands of boards that lost the server at the same moment.
    let delay =
      this.failures > 0
        ? Math.min(max, base * 2 ** (this.failures - 1)) * (0.5 + this.random())
        : this.options.pollIntervalMs * (0.8 + 0.4 * this.random())
    // A file set aside is tried again when its back-off ends, not only at the next poll.
    const retry = this.downloads.nextRetryInMs((this.pending ?? this.active)?.manifest.assets ?? [])
    if (retry !== null) delay = Math.min(delay, retry + 50)
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
      this.update({ state: 'up-to-date', lastSuccessAt: this.now().getTime(), lastError: null, progress: null })
    } catch (error) {
      if (this.stopped) return
      this.failures += 1
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
    const etag = basis && this.listsAllHeld(basis.manifest) ? basis.etag : undefined
    let manifest: Manifest
    let newEtag: string | undefined
    try {
      const result = await this.options.adapter.fetchManifest(etag, this.abort.signal)
      if (result.serverDate) this.noteServerClock(result.serverDate)
      if (result.status === 'not-modified') return
      newEtag = result.etag
      manifest = parseManifest(openSigned(result.document, this.options.trustedKeys))
      assertNotExpired(manifest.expiresAt, this.now(), 'manifest')
    } catch (error) {
      if (error instanceof SignatureError || error instanceof ManifestError) {
        // Refused content changes nothing on screen: the last good manifest keeps playing.
        this.report(error instanceof SignatureError ? 'signature-refused' : 'manifest-invalid', error.message)
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

  /**
   * The server's Date header against our clock. A board whose clock is off by more than the threshold
   * (a dead RTC booting in 1970, a wrong time zone set by hand) says so, once per distinct error.
   */
  private noteServerClock(serverDate: Date): void {
    const offset = serverDate.getTime() - this.wallNow().getTime()
    this.clock.noteServerTime(serverDate.getTime())
    const previous = this.snapshot.clockOffsetMs
    this.update({ clockOffsetMs: offset })
    const wrong = Math.abs(offset) > CLOCK_SKEW_REPORT_MS
    const wasWrong = previous !== null && Math.abs(previous) > CLOCK_SKEW_REPORT_MS
    if (wrong && (!wasWrong || Math.abs(offset - previous) > CLOCK_SKEW_REPORT_MS)) {
      this.report('clock-skew', `device clock is ${Math.round(offset / 1000)} s behind the server (negative: ahead)`)
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
    this.push?.ack({ kind: 'manifest', id: stored.manifest.version, at: this.now().toISOString() })
  }

  private acceptEmergency(raw: unknown): void {
    try {
      const emergency = Emergency.parse(openSigned(raw, this.options.trustedKeys))
      // Refused as expired only when certainly expired: a wall clock that jumped ahead must not drop a warning.
      assertNotExpired(emergency.expiresAt, new Date(this.clock.passedMs()), `emergency ${emergency.id}`)
      this.forwardEmergency(emergency)
    } catch (error) {
      this.report(error instanceof SignatureError ? 'signature-refused' : 'push-refused', `emergency refused: ${(error as Error).message}`)
    }
  }

  private acceptEmergencyClear(raw: unknown): void {
    try {
      const clear = EmergencyClear.parse(openSigned(raw, this.options.trustedKeys))
      assertNotExpired(clear.expiresAt, this.now(), `emergency clear ${clear.id}`)
      this.options.onEmergencyClear?.(clear)
    } catch (error) {
      this.report(error instanceof SignatureError ? 'signature-refused' : 'push-refused', `emergency clear refused: ${(error as Error).message}`)
    }
  }

  /** Every command is answered: carried out, or refused with the reason (expired, unsigned, unknown…). */
  private async acceptCommand(raw: unknown): Promise<void> {
    const answer = (id: string, result: CommandResult): void =>
      this.push?.ack({ kind: 'command', id, at: this.now().toISOString(), ok: result.ok, detail: result.detail.slice(0, 2000) })
    // The id is read before any check, so even a refusal names what it refuses.
    const claimed = Command.pick({ id: true }).safeParse(isEnvelope(raw) ? safeJson(raw.payload) : raw)
    const id = claimed.success ? claimed.data.id : 'unknown'
    let command: Command
    try {
      command = Command.parse(openSigned(raw, this.options.trustedKeys))
      assertNotExpired(command.expiresAt, this.now(), `command ${command.id}`)
    } catch (error) {
      this.report(error instanceof SignatureError ? 'signature-refused' : 'push-refused', `command refused: ${(error as Error).message}`)
      return answer(id, { ok: false, detail: `refused: ${(error as Error).message}` })
    }
    if (!(COMMAND_KINDS as readonly string[]).includes(command.kind)) return answer(command.id, { ok: false, detail: `refused: unknown command ${command.kind}` })
    if (!this.options.onCommand) return answer(command.id, { ok: false, detail: 'refused: this board takes no commands' })
    this.options.log.info('command', { id: command.id, kind: command.kind })
    const result = await this.options.onCommand(command).catch((error: Error) => ({ ok: false, detail: `failed: ${error.message}` }))
    answer(command.id, result)
  }

  private forwardEmergency(emergency: Emergency): void {
    if (Date.parse(emergency.expiresAt) <= this.clock.passedMs()) return
    this.options.onEmergencyStart?.(emergency)
  }

  /** Reports a problem to the server (over push; dropped when offline, but always logged). */
  report(kind: Problem['kind'], detail: string, ref?: string): void {
    this.options.log.error('sync problem', { kind, detail, ref })
    this.push?.problem({ kind, detail: detail.slice(0, 2000), at: this.now().toISOString(), ref })
  }

  /** Board time: the wall clock, or the server's when the wall clock is known to be wrong. */
  private now(): Date {
    return this.clock.now()
  }

  private update(patch: Partial<SyncSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...patch }
    this.options.onStatus?.(this.snapshot)
  }
}

function isEnvelope(raw: unknown): raw is { payload: string } {
  return typeof raw === 'object' && raw !== null && typeof (raw as { payload?: unknown }).payload === 'string'
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return null
  }
}
