// Drives updates on a schedule: check, download in the background, install only when the display is off
// (or in the maintenance window), then make the new version prove it can play, else roll back or report.
// Electron-free: the electron-updater adapter is a port, the record in userData is a store, the clock is injected.
import type { Logger } from '../../core/log'
import { mayInstallNow, startupVerdict, type InstallWindow, type PendingVerification } from './policy'
import { mayCheck, nextUpdateState, type UpdateEvent, type UpdateState } from './state'

/** What the controller needs from electron-updater (see adapter.ts). */
export interface UpdaterPort {
  /** Asks the feed; the answer arrives later as update-available / update-not-available / error events. */
  check(): Promise<void>
  download(): Promise<void>
  /** Keeps what rollback needs before installing `toVersion` over `fromVersion`; returns its path or null. */
  prepareRollback(fromVersion: string, toVersion: string): Promise<string | null>
  /** Restarts into the downloaded version (silently, relaunching afterwards). */
  quitAndInstall(): void
  /** Starts reinstalling the kept previous version; says plainly when the platform cannot. */
  rollback(path: string | null): Promise<{ started: boolean; note: string }>
}

/** The updater's record in userData: survives the restart into the new version. */
export interface UpdateRecord {
  pending: PendingVerification | null
  /** Versions that failed verification here: never downloaded again (the server must publish a newer one). */
  blocked: string[]
}

export interface RecordStore {
  read(): Promise<UpdateRecord>
  write(record: UpdateRecord): Promise<void>
}

export interface UpdateSettings {
  checkIntervalMin: number
  installWindow: InstallWindow
  verifyWithinMin: number
  maxStartsUnverified: number
}

export interface ControllerOptions {
  port: UpdaterPort
  store: RecordStore
  runningVersion: string
  settings: UpdateSettings
  timeZone: string
  /** The schedule's view right now: is the display meant to be on, is an emergency showing. */
  screen: () => { displayOn: boolean | null; emergencyOnScreen: boolean }
  log: Logger
  now?: () => number
  onChange?: (state: UpdateState) => void
}

export class UpdateController {
  private current: UpdateState = { kind: 'idle', lastCheckAt: null }
  private record: UpdateRecord = { pending: null, blocked: [] }
  private lastCheckStartedAt: number | null = null
  private readonly now: () => number

  constructor(private readonly options: ControllerOptions) {
    this.now = options.now ?? Date.now
  }

  get state(): UpdateState {
    return this.current
  }

  /** Reads the record and decides whether this run is an update on probation. Call once at startup. */
  async start(): Promise<void> {
    const { runningVersion, settings, log } = this.options
    this.record = await this.options.store.read()
    const verdict = startupVerdict(this.record.pending, runningVersion, settings.maxStartsUnverified)
    switch (verdict.kind) {
      case 'none':
        return
      case 'not-installed':
        log.error('update was not installed: still running the old version', { ...verdict.pending, runningVersion })
        // Shown as an install failure; the next check may try again.
        this.current = { kind: 'failed', phase: 'install', reason: `update to ${verdict.pending.toVersion} did not install`, at: this.now(), version: verdict.pending.toVersion }
        this.emit()
        await this.save({ ...this.record, pending: null })
        return
      case 'verify': {
        await this.save({ ...this.record, pending: verdict.pending })
        const start = this.now()
        log.warn('new version on probation: it must reach "playing"', { ...verdict.pending })
        this.apply({
          type: 'verification-started',
          version: verdict.pending.toVersion,
          fromVersion: verdict.pending.fromVersion,
          start,
          deadline: start + settings.verifyWithinMin * 60_000
        })
        return
      }
      case 'give-up':
        this.apply({
          type: 'verification-started',
          version: verdict.pending.toVersion,
          fromVersion: verdict.pending.fromVersion,
          start: this.now(),
          deadline: this.now()
        })
        await this.fail(verdict.pending, `started ${verdict.pending.starts - 1} times without reaching "playing"`)
        return
    }
  }

  /** The screen is playing (first `played`, or answering while the display is off): the update, if any, is good. */
  async reportPlaying(): Promise<void> {
    if (this.current.kind !== 'verifying') return
    const { version } = this.current
    this.apply({ type: 'playing', at: this.now() })
    this.options.log.info('updated version verified: it plays', { version })
    await this.save({ ...this.record, pending: null })
  }

  /** Events from the electron-updater adapter. */
  handle(event: UpdateEvent): void {
    if (event.type === 'update-available' && this.record.blocked.includes(event.version)) {
      this.options.log.warn('update skipped: this version failed here before', { version: event.version })
      this.apply({ type: 'update-not-available', at: event.at })
      return
    }
    this.apply(event)
    if (event.type === 'update-available' && this.current.kind === 'downloading') {
      this.options.port.download().catch((error: Error) => this.apply({ type: 'error', reason: error.message, at: this.now() }))
    }
    if (event.type === 'error') this.options.log.error('update failed', { reason: event.reason })
  }

  /** Called every minute or so: verification deadline, installing when allowed, checking when due. */
  async tick(): Promise<void> {
    const now = this.now()
    const state = this.current
    if (state.kind === 'verifying') {
      if (now >= state.deadline && this.record.pending) {
        await this.fail(this.record.pending, `did not reach "playing" within ${this.options.settings.verifyWithinMin} min`)
      }
      return
    }
    if (state.kind === 'ready') {
      const screen = this.options.screen()
      if (mayInstallNow({ ...screen, now: new Date(now), timeZone: this.options.timeZone, window: this.options.settings.installWindow })) {
        await this.install(state.version)
      }
      return
    }
    const due = this.lastCheckStartedAt === null || now - this.lastCheckStartedAt >= this.options.settings.checkIntervalMin * 60_000
    if (due && mayCheck(state)) {
      this.lastCheckStartedAt = now
      this.apply({ type: 'check-started', at: now })
      try {
        await this.options.port.check()
      } catch (error) {
        this.handle({ type: 'error', reason: (error as Error).message, at: this.now() })
      }
    }
  }

  private async install(version: string): Promise<void> {
    const { port, runningVersion, log } = this.options
    let rollbackPath: string | null = null
    try {
      rollbackPath = await port.prepareRollback(runningVersion, version)
    } catch (error) {
      log.warn('could not keep the current version for rollback', { reason: (error as Error).message })
    }
    const pending: PendingVerification = { fromVersion: runningVersion, toVersion: version, installedAt: this.now(), starts: 0, rollbackPath }
    // Written before quitting, so the next start (whichever version it is) knows what it must prove.
    await this.save({ ...this.record, pending })
    this.apply({ type: 'install-started', version, at: this.now() })
    log.warn('installing update now (display off or maintenance window)', { from: runningVersion, to: version })
    try {
      port.quitAndInstall()
    } catch (error) {
      this.apply({ type: 'error', reason: (error as Error).message, at: this.now() })
      await this.save({ ...this.record, pending: null })
    }
  }

  private async fail(pending: PendingVerification, reason: string): Promise<void> {
    const { port, log } = this.options
    let outcome: { started: boolean; note: string }
    try {
      outcome = await port.rollback(pending.rollbackPath)
    } catch (error) {
      outcome = { started: false, note: `rollback failed: ${(error as Error).message}` }
    }
    // Loud on purpose: this is the line (and the heartbeat state) an operator must not miss.
    log.error('UPDATE BROKEN: the new version never reached "playing"', { ...pending, reason, rollback: outcome })
    const blocked = [...new Set([...this.record.blocked, pending.toVersion])].slice(-20)
    await this.save({ pending: null, blocked })
    this.apply({ type: 'verification-failed', reason, at: this.now(), rollback: outcome.started ? 'started' : 'unavailable', rollbackNote: outcome.note })
  }

  private apply(event: UpdateEvent): void {
    const next = nextUpdateState(this.current, event)
    if (next === this.current) return
    this.current = next
    this.emit()
  }

  private emit(): void {
    this.options.onChange?.(this.current)
  }

  private async save(record: UpdateRecord): Promise<void> {
    this.record = record
    try {
      await this.options.store.write(record)
    } catch (error) {
      this.options.log.error('update record not saved', { reason: (error as Error).message })
    }
  }
}
