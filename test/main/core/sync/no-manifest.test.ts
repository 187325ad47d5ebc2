// What docs/protocol.md promises about a 404 `no-manifest` while a board plays: it keeps playing what it
// has, shows the failure in its sync status, sends no problem and stays paired. Real core, real server.
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { memoryLogger } from '../../../../main/core/log'
import { assemblePlayer, type PlayerParts } from '../../../../main/core/start-player'
import { startTestServer, type TestServer } from '../../../../server/testing/test-server'
import { useTempDirs } from '../../../helpers/temp-dir'

const DEMO = join(__dirname, '../../../../assets/demo')

describe('404 no-manifest while playing', () => {
  const tempDir = useTempDirs()
  const cleanup: (() => Promise<void>)[] = []
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step()
  })

  it('keeps playing, says so in its status, reports no problem and stays paired', async () => {
    const server: TestServer = await startTestServer({ port: 0 })
    cleanup.push(() => server.close())
    server.publish(
      { schema: 'bangtin.manifest/v1', version: 'v1', playlists: [{ id: 'p', name: 'p', items: [{ id: 't', kind: 'text', body: 'Lịch họp tổ dân phố', durationSec: 10 }] }], assets: [] },
      new Map()
    )
    const { deviceId, token } = server.addDevice('to-dan-pho-05', 'token-to-dan-pho-05-0123456789')
    const dataDir = await tempDir()
    // The token's file readable by its owner only, and the server's key trusted (a board takes nothing unsigned).
    await writeFile(join(dataDir, 'config.json'), JSON.stringify({ serverUrl: server.url, allowInsecureHttp: true, deviceId, token, trustedKeys: server.trustedKeys() }), {
      mode: 0o600
    })
    const parts: PlayerParts = await assemblePlayer({ dataDir, bundledContentDir: DEMO, mediaUrl: (sha) => sha, log: memoryLogger() })
    cleanup.push(() => parts.stop())
    await expect.poll(() => parts.content?.status.activeVersion, { timeout: 20_000 }).toBe('v1')

    server.faults.failApi = 404
    await parts.content!.syncNow('test')
    expect(parts.content!.status).toMatchObject({ state: 'retrying', activeVersion: 'v1' })
    expect(parts.content!.status.lastError).toContain('404')
    expect(parts.player.deviceId()).toBe(deviceId)
    expect(parts.host.payload().pairing).toBeNull()
    // A problem would have been sent on the push socket before this command's answer: wait for the answer.
    await expect.poll(() => server.connectedDevices(), { timeout: 20_000 }).toEqual([deviceId])
    const command = server.command('set-volume', { volume: 0.5 })
    await expect.poll(() => server.acks.some((a) => (a.ack as { id?: string }).id === command.id), { timeout: 20_000 }).toBe(true)
    expect(server.problems.filter((p) => p.deviceId === deviceId)).toEqual([])
  }, 60_000)
})
