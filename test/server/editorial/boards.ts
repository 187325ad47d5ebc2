// Real boards for the editorial tests: the player core (assemblePlayer) against the test server, each with an
// in-memory screen the test drives (what it played, when it showed an emergency), and a fresh editorial database.
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { expect } from 'vitest'
import { memoryLogger } from '../../../main/core/log'
import { assemblePlayer, type PlayerParts } from '../../../main/core/start-player'
import { openSqlite, type OpenedDatabase } from '../../../server/db/database'
import type { TestServer } from '../../../server/testing/test-server'
import { MemoryScreenLink } from '../../helpers/memory-link'

export interface Board {
  deviceId: string
  player: PlayerParts
  screen: MemoryScreenLink
  /** The emergency the core put on this board's screen, or null. */
  emergencyOnScreen(): string | null
  /** The screen says it showed the emergency now (what the renderer does once it is painted). */
  showEmergency(id: string): void
}

export const NOTICE = {
  schema: 'bangtin.manifest/v1',
  version: 'v1',
  playlists: [{ id: 'chinh', name: 'Chính', items: [{ id: 'lich-tiem', kind: 'text', body: 'Lịch tiêm chủng', durationSec: 10 }] }],
  assets: []
}

export async function startBoard(server: TestServer, deviceId: string, dataDir: string, cleanup: (() => Promise<void>)[], before?: (dataDir: string) => Promise<void>): Promise<Board> {
  await before?.(dataDir)
  const { token } = server.addDevice(deviceId, `token-${deviceId}-0123456789`)
  await writeFile(
    join(dataDir, 'config.json'),
    JSON.stringify({ serverUrl: server.url, allowInsecureHttp: true, deviceId, token, boardName: deviceId, trustedKeys: server.trustedKeys(), timeZone: 'Asia/Ho_Chi_Minh' }),
    { mode: 0o600 }
  )
  const player = await assemblePlayer({ dataDir, bundledContentDir: join(__dirname, '../../../assets/demo'), mediaUrl: (sha) => `/media/${sha}`, log: memoryLogger() })
  cleanup.push(() => player.stop())
  const screen = new MemoryScreenLink()
  player.host.attach(screen)
  screen.fromScreen('ready', { userAgent: 'test screen' })
  await expect.poll(() => player.content?.status.activeVersion, { timeout: 20_000 }).toBe('v1')
  await expect.poll(() => player.session?.status.push, { timeout: 20_000 }).toBe('connected')
  return {
    deviceId,
    player,
    screen,
    emergencyOnScreen: () => player.host.currentView.emergency?.id ?? null,
    showEmergency: (id) => screen.fromScreen('emergencyShown', { id, at: Date.now() })
  }
}

export async function openEditorialDb(dir: string, cleanup: (() => Promise<void>)[]): Promise<OpenedDatabase> {
  const opened = await openSqlite(join(dir, 'source.sqlite'))
  cleanup.push(() => opened.close())
  return opened
}
