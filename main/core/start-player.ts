// The core's composition root, wiring only: config → cache → content (a local folder, or synced from the
// source system) → scheduler → host, each part's stop in one store. The shells get the narrow Player.
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { ContentCache } from './cache/content-cache'
import { assetsOnScreen } from './cache/space'
import { CommandLedger } from './command-ledger'
import { createCommandRunner } from './commands'
import { loadConfig, type PlayerConfig } from './config'
import { loadLocalContent } from './content/local-content'
import { ManifestStore } from './content/manifest-store'
import { OnScreenContent } from './content/on-screen'
import { UnplayableFiles } from './content/unplayable'
import { DisplayPower } from './display-power'
import { EmergencyStore } from './emergency/emergency-store'
import { DisposableStore } from './events'
import { LivenessWatchdog, playingSignal } from './liveness'
import type { Logger } from './log'
import { CredentialsStore, type SecretBox } from './pairing/credentials-store'
import type { Player } from './player'
import { PlayerHost } from './player-host'
import type { Manifest } from './protocol/manifest'
import { DocumentGate } from './sync/document-gate'
import type { Heartbeat } from './protocol/heartbeat'
import { Reporter } from './reporting/reporter'
import { Screenshots } from './reporting/screenshots'
import { Director } from './schedule/director'
import { SettingsStore } from './settings-store'
import type { ShellControls } from './shell-controls'
import { StreamRoutes } from './stream-routes'
import { ContentSync } from './sync/content-sync'
import { ContentTrust } from './sync/content-trust'
import { adoptOfferedKey, PinnedKeyFile } from './pairing/pinned-key'
import { Inbox } from './sync/inbox'
import { SourceSession } from './sync/source-session'
import { SOURCE_PROTOCOLS } from './sync/source-protocols'
import { syncSnapshot } from './sync/sync-status'
import { BoardClock } from './time/board-clock'

export type { Player } from './player'

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
  /** Whether the shell runs the screen's browser in its sandbox (`off`: as root, see the browser shell). */
  screenSandbox?: 'on' | 'off'
  /** How often the liveness watchdog pings the screens (default 5 s). */
  pingEveryMs?: number
}

/** The running core's parts, for tests that look inside; shells get only `player`. */
export interface PlayerParts {
  player: Player
  config: PlayerConfig
  cache: ContentCache
  host: PlayerHost
  director: Director
  /** Null in standalone mode. */
  session: SourceSession | null
  content: ContentSync | null
  reporter: Reporter
  screenshots: Screenshots
  stop(): Promise<void>
}

export async function startPlayer(options: StartOptions): Promise<Player> {
  return (await assemblePlayer(options)).player
}

export async function assemblePlayer(options: StartOptions): Promise<PlayerParts> {
  const { log } = options
  const config = await loadConfig(options.dataDir, options.overrides, (refusal) => log.error(refusal))
  const stateDir = join(options.dataDir, 'state')
  const disposables = new DisposableStore((what, error) => log.error('stopping a part of the core failed', { part: what, reason: error.message }))
  const cache = new ContentCache(join(options.dataDir, 'cache'), { quotaBytes: config.cacheQuotaBytes, retiredGraceMs: config.cacheRetiredGraceDays * 86_400_000, log })
  await cache.open()
  disposables.add('cache', () => cache.close())
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
  const serverUrl = config.serverUrl
  // Fails closed: without a configured or pinned province key nothing from the server is taken, unless in lab mode.
  const trust = new ContentTrust(config.trustedKeys, config.allowUnsignedContent)
  const pinnedKey = new PinnedKeyFile(stateDir, log)
  const pinned = await pinnedKey.load()
  if (pinned) trust.pin([pinned])
  if (serverUrl && config.allowUnsignedContent) {
    log.warn('CHẾ ĐỘ PHÒNG THÍ NGHIỆM: nhận cả nội dung không ký (allowUnsignedContent) / LAB MODE: unsigned content accepted (allowUnsignedContent)')
  }
  const session = serverUrl
    ? new SourceSession({
        endpoint: { serverUrl, allowInsecureHttp: config.allowInsecureHttp, ca: config.caFile ? await readFile(config.caFile, 'utf8') : undefined, log, now: () => clock.nowMs() },
        protocol: SOURCE_PROTOCOLS[config.sourceProtocol],
        credentials: new CredentialsStore(stateDir, log, options.secretBox ?? null),
        provisioned: config.deviceId && config.token ? { deviceId: config.deviceId, token: config.token } : undefined,
        clock,
        log,
        // The screen shows the key the board will trust: the configured one when there is one, else the server's.
        showPairing: (pairing) => host.setPairing(pairing && trust.configured ? { ...pairing, keyFingerprint: trust.state.keys[0]?.fingerprint ?? null } : pairing)
      })
    : null
  // Signed documents are checked for this board, in order, unexpired; the newest issue times seen survive a restart (and bound the clock).
  const gate = new DocumentGate({ stateDir, trust, deviceId: () => session?.deviceId ?? null, groups: config.groups, clock, log })
  await gate.load()
  const streams = new StreamRoutes()
  // Items the screen could not play, by file and the way it was played (the file itself stays cached).
  const unplayable = new UnplayableFiles()
  const ack = (kind: 'emergency-start' | 'emergency-clear', id: string, at: number): void => session?.ack({ kind, id, at: new Date(at).toISOString() })
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
    clockCorrectionMs: () => clock.correctionMs(),
    onEmergencyCleared: (id) => ack('emergency-clear', id, clock.nowMs()),
    onEmergencyShown: (id, at) => ack('emergency-start', id, at),
    onScreenCut: (detail) => session?.problem('screen-refused', detail)
  })
  disposables.add('director', () => director.stop())
  const onScreen = new OnScreenContent({
    host,
    director,
    streams,
    unplayable,
    installer: { boardName: config.boardName, displayHours: config.displayHours, timeZone: config.timeZone, allowInsecureHttp: config.allowInsecureHttp },
    problem: session ? (kind, detail, ref) => session.problem(kind, detail, ref) : undefined,
    log
  })
  // The screen stamps with the wall clock; the server gets board time.
  host.onEmergencyShown(({ id, at }) => void director.emergencyShown(id, clock.fromWall(at)))
  host.onItemFailed((failure) => onScreen.itemFailed(failure))
  // Never silent: whatever the screen refused, or the host kept back from it, reaches the source system.
  host.onRefused(({ by, verb, reason }) => session?.problem('screen-refused', `${by === 'screen' ? 'the screen refused' : 'kept from the screen'}: ${verb}: ${reason}`))
  // Eviction follows what was played, and never touches what is on screen.
  host.onPlayed((event) => cache.space.notePlayed(event))
  cache.space.pin(() => assetsOnScreen(director.plan, emergencies.active()))
  // Emergencies kept from before a restart are on screen before anything else is loaded.
  director.setManifest(null)

  const liveness = new LivenessWatchdog(host, { everyMs: options.pingEveryMs })
  disposables.add('liveness watchdog', liveness.start())
  const onPlaying = playingSignal(host, () => director.plan?.displayOn ?? null)

  const store = session ? new ManifestStore(stateDir, log) : null
  const stored = store ? { active: await store.load('active'), pending: await store.load('pending') } : null
  const content =
    session && store
      ? new ContentSync({
          source: session,
          cache,
          store,
          gate,
          log,
          timeZone: config.timeZone,
          pollIntervalMs: config.pollIntervalSec * 1000,
          maxConcurrentDownloads: config.maxConcurrentDownloads,
          bandwidthBytesPerSec: config.bandwidthBytesPerSec,
          downloadWindows: config.downloadWindows,
          clock,
          onActivated: (manifest) => onScreen.show(manifest),
          onFilesArrived: () => director.replan('files arrived'),
          heldEmergencies: () => emergencies.active(),
          onEmergencyStart: (emergency) => void director.startEmergency(emergency),
          onEmergencyClear: (clear) => void director.clearEmergency(clear)
        })
      : null

  const reporter = new Reporter({
    stateDir,
    deviceId: () => session?.deviceId ?? config.deviceId ?? 'standalone',
    deviceName: () => host.boardName,
    appVersion: options.appVersion ?? '0.0.0',
    timeZone: config.timeZone,
    host,
    liveness,
    cache,
    uplink: session,
    syncStatus: () => (session && content ? syncSnapshot(content.status, session.status) : null),
    updateState: options.updateState,
    contentTrust: serverUrl ? () => trust.state : undefined,
    screenSandbox: options.screenSandbox,
    serverUrl: config.serverUrl ?? null,
    pairing: () => session?.pairingOnScreen ?? false,
    screenshotsKept: config.screenshotsKept,
    heartbeatEveryMs: config.heartbeatIntervalSec * 1000,
    clock,
    log
  })
  await reporter.start()
  disposables.add('reporter', () => reporter.stop())
  const screenshots = new Screenshots({
    shell,
    queue: (meta, bytes) => reporter.queueUpload(meta, bytes),
    maxWidth: config.screenshotMaxWidth,
    intervalMs: config.screenshotIntervalSec * 1000,
    log,
    displayOn: () => host.currentView.displayOn,
    now: () => clock.now()
  })
  disposables.add('screenshots', () => screenshots.stop())

  const player: Player = {
    timeZone: config.timeZone,
    deviceId: () => session?.deviceId ?? null,
    attachScreen: (link) => host.attach(link),
    firstShow: () => host.payload(),
    media: { pathOf: (sha256) => cache.pathOf(sha256) },
    streams: { resolve: (path, search) => streams.resolve(path, search) },
    displayOn: () => director.plan?.displayOn ?? null,
    emergencyOnScreen: () => host.currentView.emergency !== null,
    liveness,
    onPlaying,
    stop: () => disposables.dispose()
  }
  const parts: PlayerParts = { player, config, cache, host, director, session, content, reporter, screenshots, stop: player.stop }
  const logRemoved = (removed: string[]): void => {
    if (removed.length > 0) log.warn('removed corrupt cache objects at boot', { removed })
  }

  if (!session || !content || !stored) {
    logRemoved(await cache.verifyAll())
    await playLocalContent(config.contentDir ?? options.bundledContentDir, cache, log, (manifest) => onScreen.show(manifest))
    void display.release()
    return parts
  }

  cache.space.reference([stored.active?.manifest, stored.pending?.manifest])
  // The files of what was playing are checked first, so the screen is back before the rest is re-hashed.
  logRemoved(await cache.verifyOnly([...(stored.active?.manifest.assets ?? []), ...(stored.pending?.manifest.assets ?? [])].map((a) => a.sha256)))
  if (stored.active) onScreen.show(stored.active.manifest)
  void display.release()
  const fullCheck = cache
    .verifyRemaining()
    .then(logRemoved)
    .catch((error: Error) => log.error('cache check at boot failed', { reason: error.message }))
  disposables.add('cache check at boot', () => fullCheck)

  const commandLedger = new CommandLedger(stateDir, log, () => clock.now())
  await commandLedger.load()
  const runCommand = createCommandRunner({
    resync: () => void content.syncNow('command'),
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
  const inbox = new Inbox({
    source: session,
    gate,
    clock,
    log,
    onEmergencyStart: (emergency) => void director.startEmergency(emergency),
    onEmergencyClear: (clear) => void director.clearEmergency(clear),
    onCommand: (command) => commandLedger.run(command, runCommand)
  })
  disposables.add('inbox', () => inbox.dispose())
  content.start(stored)
  disposables.add('content sync', () => content.stop())
  session.onStatus(() => director.clockChecked())
  session.onLinked(({ boardName, provinceKey }) => {
    if (provinceKey) void adoptOfferedKey(trust, pinnedKey, provinceKey, (detail) => session.problem('signature-refused', detail))
    onScreen.nameFromSource(boardName)
    content.resume('linked')
    reporter.connect()
    screenshots.start()
  })
  session.onUnlinked(() => content.pause())
  disposables.add('source session', () => session.stop())
  await session.start()
  return parts
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
