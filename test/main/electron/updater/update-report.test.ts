// A broken update reaches the source system structured, end to end: the Electron shell's mapping of
// the updater's state, the core's heartbeat, the v1 adapter, and the reference server on 127.0.0.1.
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { startReferenceServer } from '../../../../server/reference-server'
import { memoryLogger } from '../../../../main/core/log'
import { assemblePlayer } from '../../../../main/core/start-player'
import { heartbeatUpdate, type UpdateState } from '../../../../main/electron/updater/state'
import { MemoryScreenLink } from '../../../helpers/memory-link'
import { useTempDirs } from '../../../helpers/temp-dir'

describe('update state in the heartbeat, through the reference server', () => {
  const tempDir = useTempDirs()
  const cleanup: (() => Promise<void>)[] = []
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step()
  })

  it('reports a broken update with its versions, reason, time and rollback, not as a sentence', async () => {
    const server = await startReferenceServer({ port: 0 })
    cleanup.push(() => server.close())
    const { deviceId, token } = server.addDevice('cap-nhat-01', 'token-cap-nhat-01-0123456789')
    const dataDir = await tempDir()
    await writeFile(join(dataDir, 'config.json'), JSON.stringify({ serverUrl: server.url, allowInsecureHttp: true, deviceId, token }), { mode: 0o600 })
    const broken: UpdateState = {
      kind: 'update-broken',
      version: '1.1.0',
      fromVersion: '1.0.0',
      reason: 'did not reach "playing" within 10 min',
      at: Date.parse('2026-03-02T01:00:00Z'),
      rollback: 'started',
      rollbackNote: 'reinstalling 1.0.0'
    }
    // The same wiring as main/electron/index.ts: the core asks the shell for its update state.
    const player = await assemblePlayer({
      dataDir,
      bundledContentDir: join(__dirname, '../../../../assets/demo'),
      mediaUrl: (sha256) => `/media/${sha256}`,
      log: memoryLogger(),
      appVersion: '1.1.0',
      updateState: () => heartbeatUpdate(broken)
    })
    cleanup.push(() => player.stop())
    const screen = new MemoryScreenLink()
    player.host.attach(screen)
    screen.fromScreen('ready', { userAgent: 'test screen' })

    await expect.poll(() => server.latestHeartbeat(deviceId)?.update ?? null, { timeout: 20_000 }).toEqual({
      state: 'update-broken',
      version: '1.1.0',
      fromVersion: '1.0.0',
      reason: 'did not reach "playing" within 10 min',
      at: '2026-03-02T01:00:00.000Z',
      rollback: 'started',
      rollbackNote: 'reinstalling 1.0.0'
    })
  }, 30_000)
})
