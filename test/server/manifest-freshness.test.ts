// Freshness without a new version: an unchanged programme gets a freshly signed validity before the one a
// board holds runs out. The server's ETag changes each half TTL; the board also stops revalidating then.
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { memoryLogger } from '../../main/core/log'
import { ADDRESSED_MEDIA_TYPE } from '../../main/core/protocol/addressed'
import { paths } from '../../main/core/protocol/api'
import { generateSigningKey } from '../../main/core/protocol/signing'
import { assemblePlayer } from '../../main/core/start-player'
import { BoardClock } from '../../main/core/time/board-clock'
import { startTestServer, type TestServer } from '../../server/testing/test-server'
import { useTempDirs } from '../helpers/temp-dir'

const KEY = generateSigningKey()
const DEVICE = 'bang-tuoi-01'
const TOKEN = 'token-bang-tuoi-01-0123456789'
const TTL_SEC = 600
const notice = { schema: 'bangtin.manifest/v1', version: 'v1', playlists: [{ id: 'p', name: 'p', items: [{ id: 't', kind: 'text', body: 'Không đổi', durationSec: 10 }] }], assets: [] }

describe('manifest freshness', () => {
  const tempDir = useTempDirs()
  const cleanup: (() => Promise<void>)[] = []
  const shifted = { ms: 0 }
  const serverNow = () => Date.now() + shifted.ms
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step()
    shifted.ms = 0
  })

  async function server(): Promise<TestServer> {
    const s = await startTestServer({ port: 0, signingKey: { keyId: 'tinh', privateKeyPem: KEY.privateKeyPem }, manifestTtlSec: TTL_SEC, now: serverNow })
    cleanup.push(() => s.close())
    s.addDevice(DEVICE, TOKEN)
    s.publish(notice, new Map())
    return s
  }

  it('the ETag of an unchanged manifest changes once half its validity has passed, and the new answer is valid for longer', async () => {
    const s = await server()
    const get = (etag?: string) =>
      fetch(`${s.url}${paths.manifest(DEVICE)}`, { headers: { authorization: `Bearer ${TOKEN}`, accept: ADDRESSED_MEDIA_TYPE, ...(etag ? { 'if-none-match': etag } : {}) } })
    const first = await get()
    const etag = first.headers.get('etag')!
    const expiresAt = (JSON.parse(JSON.parse(await first.text()).payload) as { expiresAt: string }).expiresAt
    expect((await get(etag)).status).toBe(304)
    shifted.ms += (TTL_SEC / 2) * 1000 + 1000
    const renewed = await get(etag)
    expect(renewed.status).toBe(200)
    const fresh = (JSON.parse(JSON.parse(await renewed.text()).payload) as { expiresAt: string }).expiresAt
    expect(Date.parse(fresh)).toBeGreaterThan(Date.parse(expiresAt))
  })

  it('a board playing an unchanged programme renews its signed validity before it runs out', async () => {
    const s = await server()
    const dataDir = await tempDir()
    await writeFile(
      join(dataDir, 'config.json'),
      JSON.stringify({ serverUrl: s.url, allowInsecureHttp: true, deviceId: DEVICE, token: TOKEN, trustedKeys: [{ keyId: 'tinh', publicKey: KEY.publicKeyPem }] }),
      // The token's config file is the owner's only (a board ignores a token others can read).
      { mode: 0o600 }
    )
    const clock = new BoardClock({ wall: serverNow, mono: () => performance.now() + shifted.ms })
    const board = await assemblePlayer({ dataDir, bundledContentDir: join(__dirname, '../../assets/demo'), mediaUrl: (sha) => sha, log: memoryLogger(), clock })
    cleanup.push(() => board.stop())
    await expect.poll(() => board.content?.status.activeVersion, { timeout: 20_000 }).toBe('v1')
    const held = board.content!.activeManifest!.expiresAt!

    shifted.ms += (TTL_SEC / 2) * 1000 + 1000
    await board.content!.syncNow('poll')
    const renewed = board.content!.activeManifest!.expiresAt!
    expect(Date.parse(renewed)).toBeGreaterThan(Date.parse(held))
    expect(board.content?.status.activeVersion).toBe('v1')
  })
})
