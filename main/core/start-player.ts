// The core's composition root: config → cache → content → program → host. Both shells call this and
// then only connect screens to `host` and serve files from `cache`.
import { join } from 'node:path'
import { ContentCache } from './cache/content-cache'
import { loadConfig, type PlayerConfig } from './config'
import { loadLocalContent } from './content/local-content'
import type { Logger } from './log'
import { PlayerHost } from './player-host'
import { buildProgram } from './schedule/program'

export const DEFAULT_BOARD_NAME = 'Bảng tin điện tử'

export interface StartOptions {
  /** Writable per-device folder: config.json, cache/, state. */
  dataDir: string
  /** The content folder shipped with the app, used when neither config nor overrides name another. */
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
}

export async function startPlayer(options: StartOptions): Promise<Player> {
  const { log } = options
  const config = await loadConfig(options.dataDir, options.overrides)
  const cache = new ContentCache(join(options.dataDir, 'cache'))
  await cache.open()
  const removed = await cache.verifyAll()
  if (removed.length > 0) log.warn('removed corrupt cache objects at boot', { removed })

  const host = new PlayerHost({ name: config.boardName ?? DEFAULT_BOARD_NAME, timeZone: config.timeZone }, log)
  if (config.serverUrl) {
    // Sync with the source system arrives with the sync work; until then a configured server still
    // plays the local content rather than a blank screen.
    log.warn('server sync is not available in this version; playing local content', { serverUrl: config.serverUrl })
  }
  const contentDir = config.contentDir ?? options.bundledContentDir
  try {
    const { manifest } = await loadLocalContent(contentDir, cache, log)
    if (!config.boardName && manifest.board) host.setBoard({ name: manifest.board.name, timeZone: config.timeZone })
    host.setProgram(
      buildProgram(manifest, { isReady: (sha) => cache.has(sha), mediaUrl: options.mediaUrl })
    )
    log.info('content loaded', { contentDir, version: manifest.version })
  } catch (error) {
    // Bad content must never take the screen down: the fallback slide shows instead.
    log.error('content not loaded; showing the fallback slide', { contentDir, reason: (error as Error).message })
  }
  return { config, cache, host }
}
