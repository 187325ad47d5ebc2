// The board's session with its source system: who the board is (its credentials, or pairing on screen),
// the adapter that talks to the server, where pushed messages go, everything sent up (acks, problems,
// reports, uploads) and the server's clock. A token the server revokes sends the board back to pairing.
import { Emitter } from '../events'
import type { Logger } from '../log'
import type { PairingDisplay } from '../pairing/pairing-client'
import type { Ack, Problem, ReportBody, UploadMeta } from '../protocol/api'
import type { Asset } from '../protocol/manifest'
import { CLOCK_TOLERANCE_MS, type BoardClock } from '../time/board-clock'
import { SourceError, type AssetDownload, type ManifestFetch, type PushChannel, type PushState, type SourceAdapter } from './source-adapter'
import type { BoardCredentials, Paired, SourceEndpoint, SourceProtocol } from './source-protocols'

/** Clock errors above this are reported (and the board clock follows the server's instead). */
export const CLOCK_SKEW_REPORT_MS = CLOCK_TOLERANCE_MS

/** After a refused token (401, or a push handshake refused), the server is asked once more this much later. */
export const REVOCATION_CHECK_AFTER_MS = 5_000

export type SessionLink =
  | { state: 'starting' }
  /** Waiting for an operator to approve the code on screen; `revoked`: the server revoked the old token. */
  | { state: 'pairing'; revoked: boolean }
  | { state: 'linked'; deviceId: string }
  | { state: 'stopped' }

export interface SessionStatus {
  link: SessionLink
  push: PushState
  /** Server clock minus ours (from the HTTP Date header, unsigned: a hint), null until a server answered. */
  clockOffsetMs: number | null
}

/** The board is linked: who it is, and the province key pinned when it was paired on screen (if it was). */
export interface Linked {
  deviceId: string
  boardName?: string
  provinceKey?: { keyId: string; publicKey: string }
}

/** A pushed message, still untrusted: the inbox checks it. */
export interface Pushed {
  kind: 'emergency-start' | 'emergency-clear' | 'command'
  raw: unknown
}

/** What the screen shows while pairing: the code, and whether the board lost its old token. */
export type PairingScreen = PairingDisplay & { revoked: boolean }

/** Where credentials live between starts (the credentials store). */
export interface CredentialsKeeper {
  load(serverUrl: string): Promise<Paired | null>
  save(credentials: Paired & { serverUrl: string }): Promise<void>
  revoke(token: string): Promise<void>
  isRevoked(token: string): Promise<boolean>
}

export interface SourceSessionOptions {
  endpoint: SourceEndpoint
  protocol: SourceProtocol
  credentials: CredentialsKeeper
  /** The identity provisioned in config.json, used unless the server revoked its token. */
  provisioned?: BoardCredentials
  /** Given the server's Date header here, as a hint it weighs against signed times. */
  clock: BoardClock
  log: Logger
  /** Puts the pairing code on screen (null: paired, back to content). */
  showPairing(pairing: PairingScreen | null): void
  /** The wall clock, only to measure its error against the server's; default the system clock. */
  wallNow?: () => number
  /** How long after a refused token the server is asked again before the board forgets it; default 5 s. */
  revocationCheckAfterMs?: number
}

const NOT_LINKED = 'not paired with the source system'

export class SourceSession {
  private adapter: SourceAdapter | null = null
  private credentials: BoardCredentials | null = null
  private push: PushChannel | null = null
  private pairingAbort: AbortController | null = null
  private pairing: Promise<void> = Promise.resolve()
  private revocationCheck: Promise<void> | null = null
  private readonly abort = new AbortController()
  private snapshot: SessionStatus = { link: { state: 'starting' }, push: 'disconnected', clockOffsetMs: null }
  private readonly linkedEvents = new Emitter<Linked>()
  private readonly unlinkedEvents = new Emitter<string>()
  private readonly manifestEvents = new Emitter<string>()
  private readonly pushStateEvents = new Emitter<PushState>()
  private readonly pushedEvents = new Emitter<Pushed>()
  private readonly statusEvents = new Emitter<SessionStatus>()
  private readonly wallNow: () => number

  constructor(private readonly options: SourceSessionOptions) {
    this.wallNow = options.wallNow ?? Date.now
  }

  get status(): SessionStatus {
    return this.snapshot
  }

  /** The id the source system knows this board by; null until it is provisioned or paired. */
  get deviceId(): string | null {
    return this.snapshot.link.state === 'linked' ? this.snapshot.link.deviceId : null
  }

  get pairingOnScreen(): boolean {
    return this.snapshot.link.state === 'pairing'
  }

  /** The board has credentials the server takes (at start, after pairing, after pairing again). */
  onLinked(listener: (linked: Linked) => void): () => void {
    return this.linkedEvents.on(listener)
  }
  /** The board lost its credentials (the server revoked them): nothing goes up until it is paired again. */
  onUnlinked(listener: (reason: string) => void): () => void {
    return this.unlinkedEvents.on(listener)
  }
  /** The server announced a manifest version. */
  onManifestChanged(listener: (version: string) => void): () => void {
    return this.manifestEvents.on(listener)
  }
  onPushState(listener: (state: PushState) => void): () => void {
    return this.pushStateEvents.on(listener)
  }
  onPushed(listener: (pushed: Pushed) => void): () => void {
    return this.pushedEvents.on(listener)
  }
  onStatus(listener: (status: SessionStatus) => void): () => void {
    return this.statusEvents.on(listener)
  }

  /** Uses the stored or provisioned credentials, or puts a pairing code on screen. */
  async start(): Promise<void> {
    const { provisioned, credentials, endpoint, log } = this.options
    const usable = provisioned && !(await credentials.isRevoked(provisioned.token)) ? provisioned : null
    if (provisioned && !usable) log.warn('the provisioned token was revoked by the server; using a paired one or pairing on screen', { deviceId: provisioned.deviceId })
    const known = usable ?? (await credentials.load(endpoint.serverUrl))
    if (this.abort.signal.aborted) return
    if (known) this.link(known)
    else this.pairOnScreen(false)
  }

  async stop(): Promise<void> {
    this.abort.abort()
    this.pairingAbort?.abort()
    await this.pairing
    await this.revocationCheck
    this.push?.close()
    this.push = null
    this.update({ link: { state: 'stopped' } })
  }

  /** The manifest, as this board; the answer's Date header corrects the board clock. */
  async fetchManifest(etag: string | undefined, signal: AbortSignal): Promise<ManifestFetch> {
    const result = await this.linkedAdapter().fetchManifest(etag, signal).catch((error: unknown) => this.failed(error, 'manifest'))
    if (result.serverDate) this.noteServerClock(result.serverDate)
    return result
  }

  download(asset: Asset, offset: number, signal: AbortSignal): Promise<AssetDownload> {
    return this.linkedAdapter().download(asset, offset, signal).catch((error: unknown) => this.failed(error, 'download'))
  }

  /** Posts a report; rejects unless the server stored it (offline, or not paired). */
  sendReport(body: ReportBody, signal: AbortSignal): Promise<void> {
    return this.linkedAdapter().sendReport(body, signal).catch((error: unknown) => this.failed(error, 'report'))
  }

  sendUpload(meta: UploadMeta, bytes: Buffer, signal: AbortSignal): Promise<void> {
    return this.linkedAdapter().sendUpload(meta, bytes, signal).catch((error: unknown) => this.failed(error, 'upload'))
  }

  /** Over push; dropped while offline (the server learns the state from the next manifest fetch or heartbeat). */
  ack(ack: Ack): void {
    this.push?.ack(ack)
  }

  /** Reports a problem to the server (over push; dropped when offline, but always logged). */
  problem(kind: Problem['kind'], detail: string, ref?: string): void {
    this.options.log.error('sync problem', { kind, detail, ref })
    this.push?.problem({ kind, detail: detail.slice(0, 2000), at: this.options.clock.now().toISOString(), ref })
  }

  private linkedAdapter(): SourceAdapter {
    // A rejection, not a throw: callers chain on the promise.
    return this.adapter ?? rejectingAdapter
  }

  private link(credentials: Paired): void {
    if (this.abort.signal.aborted) return
    const adapter = this.options.protocol.connect(this.options.endpoint, credentials)
    this.adapter = adapter
    this.credentials = { deviceId: credentials.deviceId, token: credentials.token }
    this.update({ link: { state: 'linked', deviceId: credentials.deviceId } })
    // Messages from a channel of credentials since revoked are not this board's any more.
    const current = (): boolean => this.adapter === adapter
    this.push = adapter.openPushChannel({
      onState: (push) => {
        if (!current()) return
        this.update({ push })
        this.pushStateEvents.emit(push)
      },
      onManifestChanged: (version) => current() && this.manifestEvents.emit(version),
      onEmergencyStart: (raw) => current() && this.pushedEvents.emit({ kind: 'emergency-start', raw }),
      onEmergencyClear: (raw) => current() && this.pushedEvents.emit({ kind: 'emergency-clear', raw }),
      onCommand: (raw) => current() && this.pushedEvents.emit({ kind: 'command', raw }),
      onRefused: (reason) => current() && this.refused(`push: ${reason}`),
      onFrameRefused: (reason) => current() && this.options.log.warn('push frame refused', { reason })
    })
    this.linkedEvents.emit({ deviceId: credentials.deviceId, boardName: credentials.boardName, provinceKey: credentials.provinceKey })
  }

  private pairOnScreen(revoked: boolean): void {
    const { protocol, endpoint, credentials, log } = this.options
    const abort = new AbortController()
    this.pairingAbort = abort
    this.update({ link: { state: 'pairing', revoked } })
    this.pairing = protocol
      .pair(endpoint, { signal: abort.signal, onCode: (display) => this.options.showPairing(display && { ...display, revoked }) })
      .then(async (paired) => {
        await credentials.save({ serverUrl: endpoint.serverUrl, ...paired })
        // Stopped while saving: start nothing that stop() would not stop.
        if (abort.signal.aborted) return
        this.link(paired)
      })
      .catch((error: Error) => {
        if (!abort.signal.aborted) log.error('pairing failed', { reason: error.message })
      })
  }

  /** Passes the error on, after starting a revocation check when the server refused the token. */
  private failed(error: unknown, what: string): never {
    if (error instanceof SourceError && error.status === 401) this.refused(`${what}: ${error.message}`)
    throw error
  }

  /**
   * The server refused the token. A moment later one more request confirms it (a proxy's or a restarting
   * server's passing 401 must not unpair a board); then the board forgets the token and pairs on screen again.
   */
  private refused(where: string): void {
    const { adapter, credentials } = this
    if (!adapter || !credentials || this.revocationCheck) return
    const { log } = this.options
    this.revocationCheck = (async () => {
      await pause(this.options.revocationCheckAfterMs ?? REVOCATION_CHECK_AFTER_MS, this.abort.signal)
      if (this.abort.signal.aborted) return
      const confirmed = await adapter.fetchManifest(undefined, this.abort.signal).then(
        () => false,
        (error: unknown) => error instanceof SourceError && error.status === 401
      )
      if (this.abort.signal.aborted || this.adapter !== adapter) return
      if (!confirmed) return log.warn('the server refused the board token once, then took it', { where })
      // Vietnamese first, as the technician reading the log on site would say it.
      log.error('token revoked: Hệ thống nguồn đã thu hồi quyền của bảng tin, ghép nối lại / the source system revoked this board, pairing again', {
        deviceId: credentials.deviceId,
        where
      })
      this.push?.close()
      this.push = null
      this.adapter = null
      this.credentials = null
      this.update({ push: 'disconnected' })
      this.unlinkedEvents.emit('token revoked')
      await this.options.credentials.revoke(credentials.token).catch((error: Error) => log.error('revoked token not forgotten on disk', { reason: error.message }))
      if (!this.abort.signal.aborted) this.pairOnScreen(true)
    })().finally(() => (this.revocationCheck = null))
  }

  /**
   * The server's Date header against our clock. A board whose clock is off by more than the threshold
   * (a dead RTC booting in 1970, a wrong time zone set by hand) says so, once per distinct error.
   */
  private noteServerClock(serverDate: Date): void {
    const offset = serverDate.getTime() - this.wallNow()
    this.options.clock.noteServerTime(serverDate.getTime())
    const previous = this.snapshot.clockOffsetMs
    this.update({ clockOffsetMs: offset })
    const wrong = Math.abs(offset) > CLOCK_SKEW_REPORT_MS
    const wasWrong = previous !== null && Math.abs(previous) > CLOCK_SKEW_REPORT_MS
    if (wrong && (!wasWrong || Math.abs(offset - previous) > CLOCK_SKEW_REPORT_MS)) {
      // The Date header is unsigned: the board clock follows it only where signed times allow (board-clock.ts).
      const followed = Math.abs(this.options.clock.nowMs() - serverDate.getTime()) <= CLOCK_SKEW_REPORT_MS
      this.problem('clock-skew', `device clock is ${Math.round(offset / 1000)} s behind the server's Date header (negative: ahead); ${followed ? 'board time follows the server' : 'not followed: signed times contradict it or the device clock is plausible'}`)
    }
  }

  private update(patch: Partial<SessionStatus>): void {
    this.snapshot = { ...this.snapshot, ...patch }
    this.statusEvents.emit(this.snapshot)
  }
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms)
    signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true })
  })
}

const notLinked = (): Promise<never> => Promise.reject(new Error(NOT_LINKED))

/** Stands in while the board has no credentials: everything it is asked fails with the reason. */
const rejectingAdapter: SourceAdapter = {
  fetchManifest: notLinked,
  download: notLinked,
  sendReport: notLinked,
  sendUpload: notLinked,
  openPushChannel: () => {
    throw new Error(NOT_LINKED)
  }
}
