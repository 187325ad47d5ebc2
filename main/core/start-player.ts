// The core's composition root: config → cache → content (local folder, or synced from the source
// system) → scheduler → host. Both shells call this, then only connect screens and serve cache files.
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { ContentCache } from './cache/content-cache'
import { loadConfig, type PlayerConfig } from './config'
import { loadLocalContent } from './content/local-content'
import { ManifestStore } from './content/manifest-store'
import { CredentialsStore, type SecretBox } from './pairing/credentials-store'
import type { Heartbeat } from './reporting/heartbeat'
import { Reporter } from './reporting/reporter'
import { Screenshots } from './reporting/screenshots'
import { SettingsStore } from './settings-store'
import type { ShellControls } from './shell-controls'
import { pairBoard } from './pairing/pairing-client'
import { CommandLedger } from './command-ledger'
import { createCommandRunner } from './commands'
import { DisplayPower } from './display-power'
import { UnplayableFiles } from './content/unplayable'
import { EmergencyStore } from './emergency/emergency-store'
import { Emitter } from './events'
import { LivenessWatchdog, type LivenessView } from './liveness'
import type { Logger } from './log'
import { PlayerHost, type ItemFailure } from './player-host'
import type { Manifest } from './protocol/manifest'
import { trustedKeysFrom } from './protocol/signing'
import { Director } from './schedule/director'
import { StreamRoutes } from './stream-proxy'
import { CLOCK_SKEW_REPORT_MS, SyncEngine } from './sync/sync-engine'
import { BoardClock } from './time/board-clock'
import { V1Adapter } from './sync/v1-adapter'

export const DEFAULT_BOARD_NAME = 'Bảng tin điện tử'

export interface StartOptions {
  /** Writable per-device folder: config.json, cache/, state/. */
  dataDir: string
  /** The content folder shipped with the app, used in standalone mode unless the config names another. */
  bundledContentDir: string
  /** How screens reach a cached file: the transport's media URL for a hash. */
  mediaUrl(sha256: string): string
  log: Logger
  overrides?: Partial<PlayerConfig>
  /** Whether the shell proxies live streams (at streamBase); streams are skipped where it does not. */
  streamProxy?: boolean
  /** Where screens ask for a stream, before `<id>/<file>`; default `/stream/` on the screen's own origin. */
  streamBase?: string
  /** Encrypts the paired token at rest (Electron safeStorage); absent: a 0600 file. */
  secretBox?: SecretBox
  /** The app's version, for heartbeats. */
  appVersion?: string
  /** The shell's updater state, for heartbeats (the Electron shell's auto-update). */
  updateState?: () => Heartbeat['update']
  /** What the shell can do for remote commands (screenshots, restart, log files). */
  shell?: ShellControls
  /** The board clock (default: the system's); tests step its wall clock. */
  clock?: BoardClock
  /** How often the liveness watchdog pings the screens (default 5 s). */
  pingEveryMs?: number
}

export interface Player {
  config: PlayerConfig
  cache: ContentCache
  host: PlayerHost
  director: Director
  /** Pings the screens; the shells' recovery reads it. */
  liveness: LivenessView
  /** A screen shows what it should (an item played, or it answers while the schedule has it dark). */
  onPlaying(listener: () => void): () => void
  /** Live streams the shell may proxy for the screen. */
  streams: StreamRoutes
  /** Null in standalone mode, and until an unpaired board is paired. */
  readonly sync: SyncEngine | null
  reporter: Reporter
  screenshots: Screenshots
  stop(): Promise<void>
}

export async function startPlayer(options: StartOptions): Promise<Player> {
  const { log } = options
  const config = await loadConfig(options.dataDir, options.overrides)
  const stateDir = join(options.dataDir, 'state')
  const cache = new ContentCache(join(options.dataDir, 'cache'), { quotaBytes: config.cacheQuotaBytes })
  await cache.open()
  const host = new PlayerHost({ name: config.boardName ?? DEFAULT_BOARD_NAME, timeZone: config.timeZone }, log)
  const settings = new SettingsStore(stateDir, log)
  host.setVolume((await settings.load()).volume)
  const shell = options.shell ?? {}
  // Corrected from the server's clock, and stepped wall clocks cannot end an emergency early.
  const clock = options.clock ?? new BoardClock()
  const emergencies = new EmergencyStore(stateDir, log, { clock })
  await emergencies.load()
  // Held until the boot's content is known (released below), so the display is switched once, not flapped.
  const display = new DisplayPower({ on: config.displayOnCommand, off: config.displayOffCommand }, log, { held: true })
  let sync: SyncEngine | null = null
  // The correction the schedule was last planned with: a new one re-plans at once.
  let clockCorrectionMs = 0
  const streams = new StreamRoutes()
  // Items the screen could not play, by file and the way it was played (the file itself stays cached).
  const unplayable = new UnplayableFiles()
  const director = new Director({
    host,
    emergencies,
    sources: {
      isReady: (sha) => cache.has(sha),
      isSetAside: (played) => unplayable.has(played),
      mediaUrl: options.mediaUrl,
      streamUrl: (id) => (options.streamProxy && streams.has(id) ? streams.screenPath(id, options.streamBase) : null)
    },
    timeZone: config.timeZone,
    log,
    onDisplayChange: (on) => void display.follow(on),
    now: () => clock.now(),
    onEmergencyCleared: (id) => sync?.ack({ kind: 'emergency-clear', id, at: clock.now().toISOString() })
  })
  let current: Manifest | null = null
  const show = (received: Manifest): void => {
    // An installer's display hours apply until the province's manifest sets its own.
    const manifest = received.displayHours || !config.displayHours ? received : { ...received, displayHours: config.displayHours }
    current = manifest
    if (!config.boardName && manifest.board) host.setBoard({ name: manifest.board.name, timeZone: config.timeZone })
    streams.setManifest(manifest, config.allowInsecureHttp)
    director.setManifest(manifest)
  }
  host.onEmergencyShown(({ id, at: wallAt }) => {
    // The screen stamps with the wall clock; the server gets board time.
    const at = clock.fromWall(wallAt)
    void emergencies.markShown(id, at).then((first) => {
      if (first) sync?.ack({ kind: 'emergency-start', id, at: new Date(at).toISOString() })
    })
  })
  host.onItemFailed((failure) => setAsideUnplayable(failure))
  const liveness = new LivenessWatchdog(host, { everyMs: options.pingEveryMs })
  // "Playing", as a new version's first run must show: an item was on screen, or the screen answers
  // while the schedule has it dark.
  const playing = new Emitter<void>()
  host.onScreenMessage(({ message }) => {
    if (message.verb === 'played' || (message.verb === 'pong' && director.plan?.displayOn === false)) playing.emit()
  })
  const stopPinging = liveness.start()
  // An item the screen cannot decode is left out for a while (and reported); the manifest, the file and
  // other items playing the same bytes another way are untouched. A timeout is not the file's fault (a busy
  // box, a slow disk): it only skips a turn.
  const setAsideUnplayable = (failure: ItemFailure): void => {
    if (failure.cause !== 'broken' || !current) return
    const item = current.playlists.flatMap((p) => p.items).find((i) => i.id === failure.itemId)
    if (!item || (item.kind !== 'image' && item.kind !== 'video')) return
    const mime = current.assets.find((a) => a.sha256 === item.asset)?.mime ?? ''
    const forMs = unplayable.add({ sha256: item.asset, kind: item.kind, mime })
    const detail = `item ${item.id} (${item.kind}, ${mime}) left out for ${Math.round(forMs / 60_000)} min, the screen could not play it: ${failure.reason}`
    log.warn('item set aside', { itemId: item.id, sha256: item.asset, forMs })
    sync?.report('asset-quarantined', detail, item.asset)
    director.replan('item failed')
  }
  // Emergencies kept from before a restart are on screen before anything else is loaded.
  director.setManifest(null)
  let deviceId = config.deviceId ?? 'standalone'
  const reporter = new Reporter({
    stateDir,
    deviceId: () => deviceId,
    deviceName: () => host.boardName,
    appVersion: options.appVersion ?? '0.0.0',
    timeZone: config.timeZone,
    host,
    liveness,
    cache,
    sync: () => sync,
    updateState: options.updateState,
    serverUrl: config.serverUrl ?? null,
    pairing: () => !sync && config.serverUrl !== undefined,
    screenshotsKept: config.screenshotsKept,
    heartbeatEveryMs: config.heartbeatIntervalSec * 1000,
    clock,
    log
  })
  await reporter.start()
  const screenshots = new Screenshots({
    shell,
    queue: (meta, bytes) => reporter.queueUpload(meta, bytes),
    maxWidth: config.screenshotMaxWidth,
    intervalMs: config.screenshotIntervalSec * 1000,
    log,
    displayOn: () => host.currentView.displayOn,
    now: () => clock.now()
  })

  const logRemoved = (removed: string[]): void => {
    if (removed.length > 0) log.warn('removed corrupt cache objects at boot', { removed })
  }
  // Server mode fills these in; stop() waits for whatever was started.
  const pairingAbort = new AbortController()
  let pairing: Promise<void> = Promise.resolve()
  let fullCheck: Promise<void> = Promise.resolve()
  const player: Player = {
    config,
    cache,
    host,
    director,
    streams,
    get sync() {
      return sync
    },
    reporter,
    screenshots,
    liveness,
    onPlaying: (listener) => playing.on(listener),
    stop: async () => {
      stopPinging()
      director.stop()
      screenshots.stop()
      pairingAbort.abort()
      await pairing
      await reporter.stop()
      await sync?.stop()
      await fullCheck
      await cache.close()
    }
  }

  if (!config.serverUrl) {
    logRemoved(await cache.verifyAll())
    await playLocalContent(config.contentDir ?? options.bundledContentDir, cache, log, show)
    void display.release()
    return player
  }

  const serverUrl = config.serverUrl
  const store = new ManifestStore(stateDir, log)
  const stored = { active: await store.load('active'), pending: await store.load('pending') }
  // The files of what was playing are checked first, so the screen is back before the rest is re-hashed.
  logRemoved(await cache.verifyOnly([...(stored.active?.manifest.assets ?? []), ...(stored.pending?.manifest.assets ?? [])].map((a) => a.sha256)))
  if (stored.active) show(stored.active.manifest)
  void display.release()
  fullCheck = cache
    .verifyRemaining()
    .then(logRemoved)
    .catch((error: Error) => log.error('cache check at boot failed', { reason: error.message }))
  const ca = config.caFile ? await readFile(config.caFile, 'utf8') : undefined

  const beginSync = (deviceId: string, token: string): SyncEngine => {
    const engine = new SyncEngine({
      adapter: new V1Adapter({ serverUrl, deviceId, token, allowInsecureHttp: config.allowInsecureHttp, ca, now: () => clock.nowMs() }),
      cache,
      store,
      trustedKeys: config.trustedKeys.length > 0 ? trustedKeysFrom(config.trustedKeys) : null,
      log,
      timeZone: config.timeZone,
      pollIntervalMs: config.pollIntervalSec * 1000,
      maxConcurrentDownloads: config.maxConcurrentDownloads,
      bandwidthBytesPerSec: config.bandwidthBytesPerSec,
      downloadWindows: config.downloadWindows,
      clock,
      onActivated: show,
      onFilesArrived: () => director.replan('files arrived'),
      heldEmergencies: () => emergencies.active(),
      onStatus: () => {
        const correction = clock.correctionMs()
        if (Math.abs(correction - clockCorrectionMs) > CLOCK_SKEW_REPORT_MS / 2) {
          clockCorrectionMs = correction
          log.warn('schedule clock corrected from the server', { offsetMs: correction })
          director.replan('clock corrected')
        }
      },
      onEmergencyStart: (emergency) => void director.startEmergency(emergency),
      onEmergencyClear: (clear) => void director.clearEmergency(clear),
      onCommand: (command) => commandLedger.run(command, runCommand)
    })
    engine.start(stored)
    return engine
  }

  const commandLedger = new CommandLedger(stateDir, log, () => clock.now())
  await commandLedger.load()
  const runCommand = createCommandRunner({
    resync: () => void sync?.syncNow('command'),
    display,
    emergencies,
    director,
    host,
    screenshots,
    settings,
    shell,
    upload: (meta, bytes) => reporter.queueUpload(meta, bytes),
    log,
    now: () => clock.now()
  })

  // A provisioned identity, or one from an earlier pairing; otherwise the board pairs on screen.
  const credentials = new CredentialsStore(stateDir, log, options.secretBox ?? null)
  const saved = config.deviceId && config.token ? { deviceId: config.deviceId, token: config.token } : await credentials.load(serverUrl)
  if (saved) {
    deviceId = saved.deviceId
    sync = beginSync(saved.deviceId, saved.token)
    reporter.connect()
    screenshots.start()
  } else {
    pairing = pairBoard({
      serverUrl,
      allowInsecureHttp: config.allowInsecureHttp,
      ca,
      log,
      signal: pairingAbort.signal,
      onCode: (display) => host.setPairing(display)
    })
      .then(async (paired) => {
        await credentials.save({ serverUrl, ...paired })
        // Stopped while saving: start nothing that stop() would not stop.
        if (pairingAbort.signal.aborted) return
        if (!config.boardName && paired.boardName) host.setBoard({ name: paired.boardName, timeZone: config.timeZone })
        deviceId = paired.deviceId
        sync = beginSync(paired.deviceId, paired.token)
        reporter.connect()
        screenshots.start()
      })
      .catch((error: Error) => {
        if (!pairingAbort.signal.aborted) log.error('pairing failed', { reason: error.message })
      })
  }

  return player
}

async function playLocalContent(folder: string, cache: ContentCache, log: Logger, show: (m: Manifest) => void): Promise<void> {
  try {
    const { manifest } = await loadLocalContent(folder, cache, log)
    show(manifest)
    log.info('content loaded', { contentDir: folder, version: manifest.version })
  } catch (error) {
    // Bad content must never take the screen down: the fallback slide shows instead.
    log.error('content not loaded; showing the fallback slide', { contentDir: folder, reason: (error as Error).message })
  }
}
