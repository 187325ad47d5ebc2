// The core's composition root: config → cache → content (local folder, or synced from the source
// system) → program → host. Both shells call this, then only connect screens and serve cache files.
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { ContentCache } from './cache/content-cache'
import { loadConfig, type PlayerConfig } from './config'
import { loadLocalContent } from './content/local-content'
import { ManifestStore } from './content/manifest-store'
import type { Logger } from './log'
import { PlayerHost } from './player-host'
import type { Manifest } from './protocol/manifest'
import { trustedKeysFrom } from './protocol/signing'
import { buildProgram } from './schedule/program'
import { SyncEngine } from './sync/sync-engine'
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
}

export interface Player {
  config: PlayerConfig
  cache: ContentCache
  host: PlayerHost
  /** Null in standalone mode. */
  sync: SyncEngine | null
  stop(): Promise<void>
}

export async function startPlayer(options: StartOptions): Promise<Player> {
  const { log } = options
  const config = await loadConfig(options.dataDir, options.overrides)
  const cache = new ContentCache(join(options.dataDir, 'cache'), { quotaBytes: config.cacheQuotaBytes })
  await cache.open()
  const host = new PlayerHost({ name: config.boardName ?? DEFAULT_BOARD_NAME, timeZone: config.timeZone }, log)
  const show = (manifest: Manifest): void => {
    if (!config.boardName && manifest.board) host.setBoard({ name: manifest.board.name, timeZone: config.timeZone })
    host.setProgram(buildProgram(manifest, { isReady: (sha) => cache.has(sha), mediaUrl: options.mediaUrl }))
  }

  const logRemoved = (removed: string[]): void => {
    if (removed.length > 0) log.warn('removed corrupt cache objects at boot', { removed })
  }
  if (!config.serverUrl) {
    logRemoved(await cache.verifyAll())
    await playLocalContent(config.contentDir ?? options.bundledContentDir, cache, log, show)
    return { config, cache, host, sync: null, stop: async () => {} }
  }

  const store = new ManifestStore(join(options.dataDir, 'state'), log)
  const stored = { active: await store.load('active'), pending: await store.load('pending') }
  // The files of what was playing are checked first, so the screen is back before the rest is re-hashed.
  const first = [...(stored.active?.manifest.assets ?? []), ...(stored.pending?.manifest.assets ?? [])].map((a) => a.sha256)
  const firstCheck = cache.verifyOnly(first).then(logRemoved)
  const fullCheck = firstCheck
    .then(() => cache.verifyAll())
    .then(logRemoved)
    .catch((error: Error) => log.error('cache check at boot failed', { reason: error.message }))
  await firstCheck
  if (stored.active) show(stored.active.manifest)

  const sync = new SyncEngine({
    adapter: new V1Adapter({
      serverUrl: config.serverUrl,
      deviceId: config.deviceId!,
      token: config.token!,
      allowInsecureHttp: config.allowInsecureHttp,
      ca: config.caFile ? await readFile(config.caFile, 'utf8') : undefined
    }),
    cache,
    store,
    trustedKeys: config.trustedKeys.length > 0 ? trustedKeysFrom(config.trustedKeys) : null,
    log,
    timeZone: config.timeZone,
    pollIntervalMs: config.pollIntervalSec * 1000,
    maxConcurrentDownloads: config.maxConcurrentDownloads,
    bandwidthBytesPerSec: config.bandwidthBytesPerSec,
    downloadWindows: config.downloadWindows,
    onActivated: show,
    // Showing emergencies is the playback work's; until then they are logged, never dropped silently.
    onEmergencyStart: (emergency) => log.warn('emergency received', { id: emergency.id, title: emergency.title }),
    onEmergencyClear: (clear) => log.warn('emergency cleared', { id: clear.id })
  })
  // Other objects are re-hashed in the background; the sync only needs the ones checked first.
  sync.start(stored)
  return {
    config,
    cache,
    host,
    sync,
    stop: async () => {
      await sync.stop()
      await fullCheck.catch(() => {})
    }
  }
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
