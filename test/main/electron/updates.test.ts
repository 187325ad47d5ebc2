// The staged rollout buckets a board by the id its source system knows it by: for a board paired on
// screen (no deviceId in config.json) that is the paired id, so two boards are not one bucket. A real
// core paired with the reference server; only electron-updater is faked (the real one needs Electron).
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { UpdateInfo } from 'electron-updater'

const fakeUpdater = await vi.hoisted(async () => (await import('./fake-updater')).createFakeUpdater())
vi.mock('electron-updater', () => ({ autoUpdater: fakeUpdater }))

import { writeFile } from 'node:fs/promises'
import { startReferenceServer, type ReferenceServer } from '../../../server/reference-server'
import { memoryLogger } from '../../../main/core/log'
import { generateSigningKey } from '../../../main/core/protocol/signing'
import { startPlayer, type Player } from '../../../main/core/start-player'
import { parseShellConfig } from '../../../main/electron/shell-config'
import { startUpdates } from '../../../main/electron/updates'
import { rolloutBucket } from '../../../main/electron/updater/policy'
import { useTempDirs } from '../../helpers/temp-dir'

const DEMO = join(__dirname, '../../../assets/demo')

describe('staged rollout bucket', () => {
  const tempDir = useTempDirs()
  const cleanup: (() => Promise<void>)[] = []
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step()
  })

  const UPDATE_KEY = generateSigningKey()

  /** A board with only the server's URL in config.json, paired on screen as `deviceId`. */
  async function pairedBoard(server: ReferenceServer, deviceId: string): Promise<{ player: Player; dataDir: string }> {
    const dataDir = await tempDir()
    await writeFile(join(dataDir, 'config.json'), JSON.stringify({ serverUrl: server.url, allowInsecureHttp: true }))
    const before = new Set(server.pendingPairings().map((p) => p.code))
    const player = await startPlayer({ dataDir, bundledContentDir: DEMO, mediaUrl: (sha) => sha, log: memoryLogger() })
    cleanup.push(() => player.stop())
    await expect.poll(() => server.pendingPairings().filter((p) => !before.has(p.code)).length, { timeout: 20_000 }).toBe(1)
    const code = server.pendingPairings().find((p) => !before.has(p.code))!.code
    expect(server.approvePairing(code, deviceId)).not.toBeNull()
    await expect.poll(() => server.connectedDevices(), { timeout: 20_000 }).toContain(deviceId)
    return { player, dataDir }
  }

  /** What electron-updater would ask this board when a release is staged to `percent` of boards. */
  async function inRolloutOf(player: Player, dataDir: string, percent: number): Promise<boolean> {
    const app = { isPackaged: true, getVersion: () => '1.0.0', getPath: () => dataDir, relaunch: () => undefined, exit: () => undefined, quit: () => undefined }
    // Updates need the province's update key (without one they are off and nothing is asked).
    const shell = parseShellConfig({ updates: { trustedKeys: [{ keyId: 'tinh', publicKey: UPDATE_KEY.publicKeyPem }] } })
    await startUpdates({ app, shell, player, log: memoryLogger() })
    return fakeUpdater.isUserWithinRollout!({ stagingPercentage: percent } as UpdateInfo)
  }

  it('puts two boards paired on screen in the buckets of their paired ids', async () => {
    const server = await startReferenceServer({ port: 0 })
    cleanup.push(() => server.close())
    // A stage between the two ids' buckets (a stable hash of the id): one board is in it, the other not.
    const [early, late] = ['phu-an-01', 'xa-binh-02'].sort((x, y) => rolloutBucket(x) - rolloutBucket(y)) as [string, string]
    const percent = (rolloutBucket(early) + rolloutBucket(late)) / 2
    expect(rolloutBucket(late) - rolloutBucket(early)).toBeGreaterThan(10)
    const a = await pairedBoard(server, early)
    expect(await inRolloutOf(a.player, a.dataDir, percent)).toBe(true)
    const b = await pairedBoard(server, late)
    expect(await inRolloutOf(b.player, b.dataDir, percent)).toBe(false)
  }, 60_000)
})
