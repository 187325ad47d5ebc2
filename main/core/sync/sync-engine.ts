// Keeps the board's content in step with the source system: pull on start, on push and by jittered
// polling; download only what is missing, resumably and within the disk, bandwidth and time budgets;
// activate a manifest only when every file it needs is verified. The last good manifest plays until then.
import { pipeline, Transform } from 'node:stream'
import { CacheVerificationError, QuotaExceededError, type ContentCache } from '../cache/content-cache'
import type { ManifestStore, StoredManifest } from '../content/manifest-store'
import type { Logger } from '../log'
import { Command, COMMAND_KINDS, EmergencyClear, type Ack, type CommandResult, type Problem, type ReportBody, type UploadMeta } from '../protocol/api'
import { Emergency, ManifestError, parseManifest, type Asset, type Manifest } from '../protocol/manifest'
import { assertNotExpired, openSigned, SignatureError, type TrustedKeys } from '../protocol/signing'
import { inTimeWindow, zonedTime } from '../time/zoned'
import { missingFilesMessage } from './missing-files'
import { SourceError, type PushChannel, type PushState, type SourceAdapter } from './source-adapter'
import { Throttle } from './throttle'

export interface SyncProgress {
  assetsDone: number
  assetsTotal: number
  bytesDone: number
  bytesTotal: number
}

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
  onEmergencyClear?(clear: EmergencyClear): void
  /** Carries out a remote command (already authenticated and unexpired); absent: every command is refused. */
  onCommand?(command: Command): Promise<CommandResult>
  onStatus?(snapshot: SyncSnapshot): void
  now?: () => Date
  random?: () => number
  retryBaseMs?: number
  retryMaxMs?: number
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
  /** Bytes still to come for downloads in progress (reserved against the disk quota). */
  private inFlightBytes = 0
  private timer: NodeJS.Timeout | null = null
  private readonly abort = new AbortController()
  private readonly now: () => Date
  private readonly random: () => number
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
    this.now = options.now ?? (() => new Date())
    this.random = options.random ?? Math.random
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
    const delay =
      this.failures > 0
        ? Math.min(max, base * 2 ** (this.failures - 1)) * (0.5 + this.random())
        : this.options.pollIntervalMs * (0.8 + 0.4 * this.random())
    this.timer = setTimeout(() => void this.syncNow(this.failures > 0 ? 'retry' : 'poll'), delay)
  }

  private async pass(reason: string): Promise<void> {
    const { log } = this.options
    this.update({ state: 'syncing' })
    try {
      await this.fetchManifest()
      if (this.pending) {
        const complete = await this.downloadMissing(this.pending.manifest)
        if (!complete) {
          const missing = this.pending.manifest.assets.filter((asset) => !this.options.cache.has(asset.sha256))
          throw new IncompleteSync(missingFilesMessage(missing, this.pending.manifest))
        }
        await this.activate(this.pending)
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
    const etag = this.pending?.etag ?? this.active?.etag
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
    for (const emergency of manifest.emergencies) this.forwardEmergency(emergency)
    if (manifest.version === this.active?.manifest.version && this.hasAll(manifest)) {
      this.active = { ...this.active, etag: newEtag }
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

  /**
   * The server's Date header against our clock. A board whose clock is off by more than the threshold
   * (a dead RTC booting in 1970, a wrong time zone set by hand) says so, once per distinct error.
   */
  private noteServerClock(serverDate: Date): void {
    const offset = serverDate.getTime() - this.now().getTime()
    const previous = this.snapshot.clockOffsetMs
    this.update({ clockOffsetMs: offset })
    const wrong = Math.abs(offset) > CLOCK_SKEW_REPORT_MS
    const wasWrong = previous !== null && Math.abs(previous) > CLOCK_SKEW_REPORT_MS
    if (wrong && (!wasWrong || Math.abs(offset - previous) > CLOCK_SKEW_REPORT_MS)) {
      this.report('clock-skew', `device clock is ${Math.round(offset / 1000)} s behind the server (negative: ahead)`)
    }
  }

  private hasAll(manifest: Manifest): boolean {
    return manifest.assets.every((asset) => this.options.cache.has(asset.sha256))
  }

  /** Downloads what the manifest needs and the cache lacks; returns whether everything is now verified. */
  private async downloadMissing(manifest: Manifest): Promise<boolean> {
    const { cache } = this.options
    const urgent = new Set(manifest.emergencies.flatMap((e) => (e.asset ? [e.asset] : [])))
    const missing = manifest.assets.filter((asset) => !cache.has(asset.sha256))
    if (missing.length === 0) return true
    const windowOpen = this.downloadWindowOpen()
    const queue = missing
      .filter((asset) => windowOpen || urgent.has(asset.sha256))
      .sort((a, b) => Number(urgent.has(b.sha256)) - Number(urgent.has(a.sha256)))
    if (queue.length < missing.length) this.update({ state: 'waiting-for-window' })

    const keep = new Set([...manifest.assets, ...(this.active?.manifest.assets ?? [])].map((a) => a.sha256))
    const progress: SyncProgress = {
      assetsDone: 0,
      assetsTotal: missing.length,
      bytesDone: 0,
      bytesTotal: missing.reduce((sum, asset) => sum + asset.size, 0)
    }
    this.update({ progress: { ...progress } })
    let next = 0
    const worker = async (): Promise<void> => {
      while (next < queue.length && !this.stopped) {
        const asset = queue[next++]!
        const done = await this.downloadOne(asset, keep, !urgent.has(asset.sha256), (bytes) => {
          progress.bytesDone += bytes
          this.update({ progress: { ...progress } })
        })
        if (done) progress.assetsDone += 1
        this.update({ progress: { ...progress } })
      }
    }
    await Promise.all(Array.from({ length: Math.min(this.options.maxConcurrentDownloads, queue.length) }, worker))
    return this.hasAll(manifest)
  }

  private async downloadOne(asset: Asset, keep: ReadonlySet<string>, capped: boolean, onBytes: (n: number) => void): Promise<boolean> {
    const { cache, adapter, log, bandwidthBytesPerSec } = this.options
    const short = asset.sha256.slice(0, 12)
    let reserved = 0
    try {
      if (cache.isQuarantined(asset.sha256)) return false
      const partial = await cache.partialBytes(asset.sha256)
      // Killed between the last byte and the rename: finish from disk, no download.
      if (partial === asset.size && (await cache.completePartial(asset))) return true
      // Room for this file and for what the other downloads still need: parallel downloads must not
      // overshoot the quota together.
      const needed = asset.size - partial
      await cache.ensureSpace(needed + this.inFlightBytes, keep)
      reserved = needed
      this.inFlightBytes += reserved
      const { stream, offset } = await adapter.download(asset, partial, this.abort.signal)
      // Counted inside the pipeline (a 'data' listener would start the flow before the cache reads).
      const meter = new Transform({ transform: (chunk: Buffer, _enc, done) => (onBytes(chunk.length), done(null, chunk)) })
      const stages: Transform[] = capped && bandwidthBytesPerSec ? [meter, new Throttle(bandwidthBytesPerSec)] : [meter]
      // pipeline() destroys the last stage with the network error, so the cache sees the cut.
      pipeline([stream, ...stages], () => {})
      await cache.importStream(asset, stages.at(-1)!, { resumeFrom: offset })
      log.info('asset downloaded', { sha256: asset.sha256, size: asset.size, resumedAt: offset })
      return true
    } catch (error) {
      const message = (error as Error).message
      if (error instanceof CacheVerificationError) {
        // A fresh download with wrong bytes is quarantined; a resumed one is simply started over next time
        // (the kept bytes may be what was torn), so only the first is a problem worth reporting.
        if (error.quarantine) this.report('asset-quarantined', message, asset.sha256)
      } else if (error instanceof QuotaExceededError) this.report('quota-exceeded', message, asset.sha256)
      else if (error instanceof SourceError && !error.retryable) this.report('download-failed', message, asset.sha256)
      log.warn('asset download failed', { sha256: short, error: message })
      return false
    } finally {
      this.inFlightBytes -= reserved
    }
  }

  private downloadWindowOpen(): boolean {
    const windows = this.options.downloadWindows
    if (!windows || windows.length === 0) return true
    const time = zonedTime(this.now(), this.options.timeZone)
    return windows.some((window) => inTimeWindow(time.hour * 60 + time.minute, window))
  }

  private async activate(stored: StoredManifest): Promise<void> {
    const { store, cache, log } = this.options
    await store.save('active', stored.manifest, stored.etag)
    await store.clear('pending')
    this.active = stored
    this.pending = null
    for (const asset of stored.manifest.assets) cache.markUsed(asset.sha256)
    this.update({ activeVersion: stored.manifest.version, pendingVersion: null })
    log.info('manifest activated', { version: stored.manifest.version })
    this.options.onActivated(stored.manifest)
    this.push?.ack({ kind: 'manifest', id: stored.manifest.version, at: this.now().toISOString() })
  }

  private acceptEmergency(raw: unknown): void {
    try {
      const emergency = Emergency.parse(openSigned(raw, this.options.trustedKeys))
      assertNotExpired(emergency.expiresAt, this.now(), `emergency ${emergency.id}`)
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
    if (Date.parse(emergency.expiresAt) <= this.now().getTime()) return
    this.options.onEmergencyStart?.(emergency)
  }

  /** Reports a problem to the server (over push; dropped when offline, but always logged). */
  report(kind: Problem['kind'], detail: string, ref?: string): void {
    this.options.log.error('sync problem', { kind, detail, ref })
    this.push?.problem({ kind, detail: detail.slice(0, 2000), at: this.now().toISOString(), ref })
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
