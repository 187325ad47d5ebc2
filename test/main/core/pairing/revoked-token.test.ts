// A board whose token the source system revokes (the operator forgets the board, or gives it another
// token) says so on screen and in the log and pairs again, instead of retrying a dead token forever.
// The real core against the real reference server on 127.0.0.1.
import { access, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { startTestServer as startReferenceServer, type TestServer as ReferenceServer } from '../../../../server/testing/test-server'
import { memoryLogger } from '../../../../main/core/log'
import { assemblePlayer, type PlayerParts } from '../../../../main/core/start-player'
import { useTempDirs } from '../../../helpers/temp-dir'

const DEMO = join(__dirname, '../../../../assets/demo')
const notice = (version: string, body: string) => ({
  schema: 'bangtin.manifest/v1',
  version,
  playlists: [{ id: 'p', name: 'p', items: [{ id: `t-${version}`, kind: 'text', body, durationSec: 10 }] }],
  assets: []
})

describe('a revoked token', () => {
  const tempDir = useTempDirs()
  const cleanup: (() => Promise<void>)[] = []
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step()
  })

  async function server(): Promise<ReferenceServer> {
    const s = await startReferenceServer({ port: 0 })
    cleanup.push(() => s.close())
    s.publish(notice('v1', 'Thông báo của xã'), new Map())
    return s
  }
  async function board(dataDir: string, log = memoryLogger()): Promise<PlayerParts> {
    const parts = await assemblePlayer({ dataDir, bundledContentDir: DEMO, mediaUrl: (sha) => sha, log })
    cleanup.push(() => parts.stop())
    return parts
  }
  const pairing = (parts: PlayerParts) => () => parts.host.payload().pairing
  /** Approves the code the board shows now, as an operator would. */
  const approve = async (s: ReferenceServer, parts: PlayerParts, deviceId: string) => {
    await expect.poll(pairing(parts), { timeout: 20_000 }).not.toBeNull()
    expect(s.approvePairing(parts.host.payload().pairing!.code, deviceId)).not.toBeNull()
    await expect.poll(pairing(parts), { timeout: 20_000 }).toBeNull()
  }

  it('sends a board paired on screen back to pairing, saying why, and it plays again once approved', async () => {
    const s = await server()
    const dataDir = await tempDir()
    await writeFile(join(dataDir, 'config.json'), JSON.stringify({ serverUrl: s.url, allowInsecureHttp: true }))
    const log = memoryLogger()
    const parts = await board(dataDir, log)
    await approve(s, parts, 'phu-an-01')
    await expect.poll(() => parts.content?.status.activeVersion, { timeout: 20_000 }).toBe('v1')
    expect(parts.player.deviceId()).toBe('phu-an-01')

    s.removeDevice('phu-an-01')
    await expect.poll(pairing(parts), { timeout: 20_000 }).toMatchObject({ revoked: true })
    expect(parts.player.deviceId()).toBeNull()
    expect(log.records.find((r) => r.message.startsWith('token revoked'))).toMatchObject({ level: 'error', fields: { deviceId: 'phu-an-01' } })
    await expect(access(join(dataDir, 'state', 'credentials.json'))).rejects.toThrow()
    // What was playing stays in the cache, and plays again as soon as the board is approved.
    s.publish(notice('v2', 'Thông báo mới'), new Map())
    await approve(s, parts, 'phu-an-02')
    // The code leaves the screen before the new credentials are saved and linked: wait for the link.
    await expect.poll(() => parts.player.deviceId(), { timeout: 20_000 }).toBe('phu-an-02')
    await expect.poll(() => parts.content?.status.activeVersion, { timeout: 20_000 }).toBe('v2')
    await expect.poll(() => s.connectedDevices(), { timeout: 20_000 }).toEqual(['phu-an-02'])
  }, 90_000)

  it('does not use a revoked provisioned token again: after a restart the board keeps the identity it paired with', async () => {
    const s = await server()
    const { deviceId, token } = s.addDevice('cap-san-01', 'token-cap-san-01-0123456789')
    const dataDir = await tempDir()
    await writeFile(join(dataDir, 'config.json'), JSON.stringify({ serverUrl: s.url, allowInsecureHttp: true, deviceId, token, trustedKeys: s.trustedKeys() }), { mode: 0o600 })
    const first = await board(dataDir)
    await expect.poll(() => first.content?.status.activeVersion, { timeout: 20_000 }).toBe('v1')
    // The operator gives the device a new token (the old one leaked, say): the board holds the old one.
    s.addDevice('cap-san-01', 'token-moi-cap-san-01-0123456789')
    await expect.poll(pairing(first), { timeout: 20_000 }).toMatchObject({ revoked: true })
    await approve(s, first, 'cap-san-01b')
    await first.stop()

    const again = await board(dataDir)
    await expect.poll(() => s.connectedDevices(), { timeout: 20_000 }).toEqual(['cap-san-01b'])
    expect(again.player.deviceId()).toBe('cap-san-01b')
    expect(again.host.payload().pairing).toBeNull()
  }, 90_000)

  it('a token refused once and then taken again (a passing 401) changes nothing', async () => {
    const s = await server()
    const { deviceId, token } = s.addDevice('on-dinh-01', 'token-on-dinh-01-0123456789')
    const dataDir = await tempDir()
    await writeFile(join(dataDir, 'config.json'), JSON.stringify({ serverUrl: s.url, allowInsecureHttp: true, deviceId, token, trustedKeys: s.trustedKeys() }), { mode: 0o600 })
    const log = memoryLogger()
    const parts = await board(dataDir, log)
    await expect.poll(() => parts.content?.status.activeVersion, { timeout: 20_000 }).toBe('v1')
    // The next report answers 401, once; the confirming request gets through.
    s.faults.failApi = 401
    await parts.content!.syncNow('test')
    s.faults.failApi = null
    await expect.poll(() => log.records.some((r) => r.message === 'the server refused the board token once, then took it'), { timeout: 20_000 }).toBe(true)
    expect(parts.host.payload().pairing).toBeNull()
    expect(parts.player.deviceId()).toBe('on-dinh-01')
  }, 60_000)
})
