// Puts the reporting pieces to work: every played item into the journal (and up to the server), each
// liveness round into the true-uptime ledger, and a heartbeat every minute and on changes.
import { statfs } from 'node:fs/promises'
import { arch, networkInterfaces, platform, release, uptime } from 'node:os'
import { join } from 'node:path'
import type { ContentCache } from '../cache/content-cache'
import type { LivenessWatchdog } from '../liveness'
import type { Logger } from '../log'
import type { PlayedEvent, PlayerHost } from '../player-host'
import type { ReportBody, UploadMeta } from '../protocol/api'
import type { Heartbeat } from '../protocol/heartbeat'
import { SourceError } from '../sync/source-adapter'
import type { SyncSnapshot } from '../sync/sync-status'
import { BoardClock } from '../time/board-clock'
import { composeHeartbeat, HeartbeatQueue } from './heartbeat'
import { PlayJournal } from './play-journal'
import { composeStatus } from './status'
import { UploadOutbox, type PendingUpload } from './upload-outbox'
import { startUploader, type Uploader } from './uploader'
import { UptimeLedger } from './uptime-ledger'

/** Heartbeats not yet delivered are kept, the newest this many, and sent together with the next one. */
export const HEARTBEATS_KEPT = 10

export interface ReporterOptions {
  stateDir: string
  deviceId: () => string
  deviceName: () => string
  appVersion: string
  timeZone: string
  host: PlayerHost
  /** The core's one liveness watchdog: its rounds are the uptime ledger's observations. */
  liveness: Pick<LivenessWatchdog, 'on' | 'lastPong' | 'answering'>
  cache: ContentCache
  /** Where reports and uploads go (the source session); null in standalone mode. */
  uplink: {
    sendReport(body: ReportBody, signal: AbortSignal): Promise<void>
    sendUpload(meta: UploadMeta, bytes: Buffer, signal: AbortSignal): Promise<void>
  } | null
  /** The sync's state for the heartbeat; null in standalone mode. */
  syncStatus: () => SyncSnapshot | null
  log: Logger
  /** The shell's updater state, when it has one. */
  updateState?: () => Heartbeat['update']
  /** Which content the board takes (lab mode shown plainly); absent in standalone mode. */
  contentTrust?: () => Heartbeat['contentTrust']
  /** Whether the screen's browser is sandboxed (the shell knows); shown on the overlay and sent upstream. */
  screenSandbox?: Heartbeat['screenSandbox']
  /** The source system's URL, null in standalone mode (for the technician's overlay). */
  serverUrl: string | null
  /** True while an unpaired board waits for approval. */
  pairing: () => boolean
  heartbeatEveryMs?: number
  statusEveryMs?: number
  /** Screenshots kept for upload while offline. */
  screenshotsKept?: number
  /** Board time for everything sent upstream (the wall clock corrected from the server's); default the system clock. */
  clock?: Pick<BoardClock, 'nowMs' | 'fromWall'>
}

export class Reporter {
  readonly journal: PlayJournal
  readonly ledger: UptimeLedger
  /** Screenshots and log bundles waiting for the server. */
  readonly outbox: UploadOutbox
  private fileUploader: Uploader | null = null
  private readonly heartbeats = new HeartbeatQueue(HEARTBEATS_KEPT)
  private uploader: Uploader | null = null
  private readonly timers: NodeJS.Timeout[] = []
  private readonly unsubscribe: (() => void)[] = []
  private readonly abort = new AbortController()
  private readonly clock: Pick<BoardClock, 'nowMs' | 'fromWall'>
  /** Monotonic: the start time is worked out in board time when sent, so a corrected clock corrects it too. */
  private readonly startedMono = performance.now()
  private sending: Promise<void> = Promise.resolve()
  private disk: { freeBytes: number; totalBytes: number } | null = null
  /** What the last heartbeat said about the board's state, to send another as soon as it changes. */
  private lastStateKey = ''
  private lastHeartbeatMono = -Infinity
  private diskCheckedMono = -Infinity
  /** The last status could not be sent (logged once until it works again). */
  private statusFailed = false

  constructor(private readonly options: ReporterOptions) {
    this.clock = options.clock ?? new BoardClock()
    this.journal = new PlayJournal(join(options.stateDir, 'plays'), { deviceId: options.deviceId(), log: options.log })
    this.ledger = new UptimeLedger(join(options.stateDir, 'uptime.json'), { timeZone: options.timeZone, log: options.log })
    // Log bundles are asked for one at a time; two kept is enough for a retry of the last one.
    this.outbox = new UploadOutbox(join(options.stateDir, 'outbox'), { keep: { screenshot: options.screenshotsKept ?? 20, logs: 2 }, log: options.log })
  }

  async start(): Promise<void> {
    const { host, liveness } = this.options
    await this.journal.open()
    await this.ledger.load()
    await this.outbox.open()
    this.unsubscribe.push(host.onPlayed((event) => this.journal.append(this.inBoardTime(event)).then(
      () => this.uploader?.kick(),
      (error: Error) => this.options.log.error('play not journaled', { reason: error.message })
    )))
    this.unsubscribe.push(liveness.on((event) => event.kind === 'round' && this.observe()))
    this.timers.push(setInterval(() => void this.sendHeartbeat(), this.options.heartbeatEveryMs ?? 60_000))
    this.timers.push(setInterval(() => void this.sendUptime(), 3_600_000))
    this.timers.push(setInterval(() => void this.publishStatusSafely(), this.options.statusEveryMs ?? 2_000))
    void this.publishStatusSafely()
  }

  /** Starts uploading the journal once there is a server to send to (after pairing, too). */
  connect(): void {
    const { uplink } = this.options
    if (this.uploader || !uplink) return
    this.uploader = startUploader({
      journal: this.journal,
      send: (batch, signal) => this.send({ kind: 'plays', batch }, signal),
      log: this.options.log
    })
    this.fileUploader = startUploader<PendingUpload>({
      journal: this.outbox,
      what: 'screenshot/log',
      // A file the server will never take (too large, wrong type) must not block the screenshots behind it;
      // 401/403 and 5xx stay retryable: a fixed token or a server back up will take it.
      isPermanent: (error) => error instanceof SourceError && [400, 413, 415, 422].includes(error.status),
      onDropped: () => this.outbox.countDropped(),
      send: (upload, signal) => uplink.sendUpload(upload.meta, upload.bytes, signal),
      log: this.options.log
    })
    void this.sendHeartbeat()
    void this.sendUptime()
  }

  heartbeat(): Heartbeat {
    const { host, cache, syncStatus } = this.options
    const view = host.currentView
    const main = view.zones.find((z) => z.zone.role === 'main') ?? view.zones[0]
    const stats = cache.stats()
    const journal = this.journal.stats()
    const now = this.clock.nowMs()
    return composeHeartbeat(
      {
        deviceId: this.options.deviceId(),
        deviceName: this.options.deviceName(),
        appVersion: this.options.appVersion,
        os: { platform: platform(), release: release(), arch: arch() },
        bootAt: now - uptime() * 1000,
        appStartedAt: now - (performance.now() - this.startedMono),
        screen: {
          itemId: host.played.at(-1)?.itemId ?? null,
          layoutId: null,
          programVersion: main?.program?.version ?? null,
          rendererAnswering: this.answering(),
          hasContent: view.zones.some((z) => z.program !== null)
        },
        emergency: view.emergency ? { id: view.emergency.id, since: Date.parse(view.emergency.issuedAt) } : null,
        displayOn: view.displayOn,
        sync: syncStatus(),
        cache: { storedBytes: stats.storedBytes, partialBytes: stats.partialBytes, quotaBytes: stats.quotaBytes, quarantinedCount: stats.quarantinedCount },
        reporting: {
          pendingPlays: journal.pendingEntries,
          droppedPlays: journal.droppedEntries,
          droppedHeartbeats: this.heartbeats.dropped,
          pendingUploads: this.outbox.pending,
          droppedUploads: this.outbox.dropped
        },
        update: this.options.updateState?.(),
        contentTrust: this.options.contentTrust?.(),
        screenSandbox: this.options.screenSandbox,
        links: upLinks()
      },
      new Date(now)
    )
  }

  async stop(): Promise<void> {
    for (const timer of this.timers) clearInterval(timer)
    for (const undo of this.unsubscribe.splice(0)) undo()
    this.abort.abort()
    await this.uploader?.stop()
    await this.fileUploader?.stop()
    await this.sending.catch(() => {})
    await this.ledger.flush()
    await this.journal.close()
  }

  private answering(): boolean {
    return this.options.liveness.answering(15_000)
  }

  /** The screen stamps with the wall clock; proof of play goes up in board time. */
  private inBoardTime(event: PlayedEvent): PlayedEvent {
    const correction = this.clock.fromWall(0)
    return { ...event, startedAt: Math.max(0, event.startedAt + correction), endedAt: Math.max(0, event.endedAt + correction) }
  }

  /** One look for the uptime ledger, as each round of pings goes out (the answer to it counts next time). */
  private observe(): void {
    const view = this.options.host.currentView
    const shouldPlay = view.displayOn && (view.emergency !== null || view.zones.some((z) => z.program !== null))
    const pong = this.options.liveness.lastPong
    void this.ledger.observe({ at: this.clock.nowMs(), mono: performance.now(), shouldPlay, pongAt: pong?.at, frameCounter: pong?.frames })
  }

  /** A timer's call: a failure is logged once and never escapes (an unhandled rejection ends the process). */
  private async publishStatusSafely(): Promise<void> {
    try {
      await this.publishStatus()
      this.statusFailed = false
    } catch (error) {
      if (!this.statusFailed) this.options.log.error('board status not sent to the screen', { reason: (error as Error).message })
      this.statusFailed = true
    }
  }

  /** A file for the server (screenshot, log bundle): into the outbox, and the uploader looks at once. */
  async queueUpload(meta: UploadMeta, bytes: Buffer): Promise<void> {
    await this.outbox.add(meta, bytes)
    this.fileUploader?.kick()
  }

  /** Sends the status to the screens: the overlay and the first-sync progress bar read it. */
  async publishStatus(): Promise<void> {
    // Disk space changes slowly; statfs every few seconds would be wasted work on a slow SD card.
    if (performance.now() - this.diskCheckedMono > 30_000) {
      this.diskCheckedMono = performance.now()
      this.disk = await statfs(this.options.stateDir).then(
        (s) => ({ freeBytes: s.bavail * s.bsize, totalBytes: s.blocks * s.bsize }),
        () => null
      )
    }
    const heartbeat = this.heartbeat()
    const now = this.clock.nowMs()
    // A state change (emergency on, display off, renderer down, sync failing…) is news for the
    // district centre now, not at the next minute.
    // At most one such every 5 s, so a flapping link cannot turn heartbeats into a flood.
    if (this.connected && stateKey(heartbeat) !== this.lastStateKey && performance.now() - this.lastHeartbeatMono > 5_000) void this.sendHeartbeat()
    this.options.host.setStatus(
      composeStatus(heartbeat, {
        serverUrl: this.options.serverUrl,
        pairing: this.options.pairing(),
        progress: this.options.syncStatus()?.progress ?? null,
        disk: this.disk,
        runtime: process.versions.electron ? `electron ${process.versions.electron}` : `node ${process.versions.node}`,
        todayUptimePercent: this.ledger.reportOn(now).percent
      })
    )
  }

  private send(body: ReportBody, signal: AbortSignal): Promise<void> {
    return this.options.uplink ? this.options.uplink.sendReport(body, signal) : Promise.reject(new Error('no server'))
  }

  private get connected(): boolean {
    return this.uploader !== null
  }

  private async sendHeartbeat(): Promise<void> {
    const heartbeat = this.heartbeat()
    this.lastStateKey = stateKey(heartbeat)
    this.lastHeartbeatMono = performance.now()
    this.heartbeats.push(heartbeat)
    if (!this.connected) return
    const items = [...this.heartbeats.peek()]
    const last = items.at(-1)
    if (!last) return
    this.sending = this.send({ kind: 'heartbeats', items }, this.abort.signal).then(
      () => this.heartbeats.acknowledge(last.sentAt),
      // Offline: the queue keeps the latest few and the next one retries.
      (error: Error) => this.options.log.warn('heartbeat not delivered', { reason: error.message })
    )
    await this.sending
  }

  private async sendUptime(): Promise<void> {
    const days = this.ledger.reports().slice(-7)
    if (days.length === 0 || !this.connected) return
    await this.send({ kind: 'uptime', days }, this.abort.signal).catch((error: Error) => this.options.log.warn('uptime report not delivered', { reason: error.message }))
  }
}

/** Interfaces with a non-internal address: the links the board can reach the province over. */
function upLinks(): string[] {
  try {
    return Object.entries(networkInterfaces())
      .filter(([, addresses]) => addresses?.some((a) => !a.internal))
      .map(([name]) => name)
  } catch {
    return [] // some sandboxes refuse the query; a heartbeat without links beats no heartbeat
  }
}

/** The parts of a heartbeat that make a new one worth sending at once (not counters or uptime). */
function stateKey(heartbeat: Heartbeat): string {
  return JSON.stringify([
    heartbeat.screen.playState,
    heartbeat.screen.programVersion,
    heartbeat.emergency?.id ?? null,
    heartbeat.network.push,
    heartbeat.network.links.map((l) => l.name).join(','),
    heartbeat.sync.activeVersion,
    heartbeat.sync.lastError,
    heartbeat.display.power,
    heartbeat.update.state
  ])
}
