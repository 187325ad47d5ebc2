// Attack finding 4 (trust fails open) and the token file of finding 9, against a real board core and the
// real reference server on 127.0.0.1: a board without keys takes nothing unsigned (lab mode only, and says
// so), a board paired on screen pins the server's key, and a token others can read is not used.
import { chmod, mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { memoryLogger, type Logger } from '../../main/core/log'
import { keyFingerprint } from '../../main/core/protocol/key-fingerprint'
import { generateSigningKey, signDocument } from '../../main/core/protocol/signing'
import { assemblePlayer, type PlayerParts } from '../../main/core/start-player'
import { startTestServer, TEST_KEY_ID, type TestServer } from '../../server/testing/test-server'
import { MemoryScreenLink } from '../helpers/memory-link'
import { useTempDirs } from '../helpers/temp-dir'

const DEMO = join(__dirname, '../../assets/demo')
const notice = (version: string, body = `Thông báo ${version}`) => ({
  schema: 'bangtin.manifest/v1',
  version,
  playlists: [{ id: 'chinh', name: 'Chính', items: [{ id: `tin-${version}`, kind: 'text', body, durationSec: 10 }] }],
  assets: []
})
const refusals = (server: TestServer) =>
  server.problems.map((p) => p.problem as { kind: string; detail: string }).filter((p) => p.kind === 'signature-refused')
const lastStatus = (screen: MemoryScreenLink) => screen.received.filter((m) => m.verb === 'status').at(-1)?.payload as { trust?: { mode: string } } | undefined

describe('attack: trust that fails open (finding 4) and a readable token file (finding 9)', () => {
  const tempDir = useTempDirs()
  const cleanup: (() => Promise<void>)[] = []
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step()
  })

  async function serverWith(options: { signed: boolean }): Promise<TestServer> {
    const server = await startTestServer({ port: 0, ...(options.signed ? {} : { signingKey: null }) })
    cleanup.push(() => server.close())
    return server
  }
  async function board(dataDir: string, log: Logger = memoryLogger()): Promise<{ parts: PlayerParts; screen: MemoryScreenLink }> {
    const parts = await assemblePlayer({ dataDir, bundledContentDir: DEMO, mediaUrl: (sha) => sha, log })
    cleanup.push(() => parts.stop())
    const screen = new MemoryScreenLink()
    parts.host.attach(screen)
    screen.fromScreen('ready', { userAgent: 'test' })
    return { parts, screen }
  }
  async function config(dataDir: string, fields: object, mode = 0o600): Promise<void> {
    const path = join(dataDir, 'config.json')
    await writeFile(path, JSON.stringify(fields))
    await chmod(path, mode)
  }
  const onScreen = (parts: PlayerParts) => parts.host.currentView.zones.flatMap((z) => z.program?.items.map((i) => i.id) ?? [])

  it('a board with a server and no key refuses a bare manifest and a garbage signature, reports both, and keeps its last good content', async () => {
    const server = await serverWith({ signed: false })
    const { deviceId, token } = server.addDevice('khong-khoa-01', 'token-khong-khoa-01-0123456789')
    server.publish(notice('v-tran', 'Nội dung giả mạo không ký'), new Map())
    const dataDir = await tempDir()
    await config(dataDir, { serverUrl: server.url, allowInsecureHttp: true, deviceId, token })
    // What the board played before (a manifest it took when it still had a key, say).
    await mkdir(join(dataDir, 'state'), { recursive: true })
    await writeFile(join(dataDir, 'state', 'active-manifest.json'), JSON.stringify({ manifest: notice('v-tot'), savedAt: new Date().toISOString() }))
    const { parts } = await board(dataDir)
    expect(onScreen(parts)).toEqual(['tin-v-tot'])

    await expect.poll(() => refusals(server).length, { timeout: 20_000 }).toBeGreaterThan(0)
    expect(refusals(server)[0]!.detail).toMatch(/không có khoá|no province public key/)
    await expect.poll(() => server.latestHeartbeat(deviceId)?.contentTrust, { timeout: 20_000 }).toMatchObject({ mode: 'no-key' })

    const before = refusals(server).length
    const forged = signDocument(notice('v-gia'), 'tinh-2026', generateSigningKey().privateKeyPem)
    server.overrideManifestBody(JSON.stringify({ ...forged, signature: Buffer.alloc(64, 7).toString('base64') }))
    await parts.content!.syncNow('test')
    await expect.poll(() => refusals(server).length, { timeout: 20_000 }).toBeGreaterThan(before)
    expect(parts.content!.activeManifest?.version).toBe('v-tot')
    expect(onScreen(parts)).toEqual(['tin-v-tot'])
  }, 60_000)

  it('lab mode (allowUnsignedContent) takes unsigned content and says so in the heartbeat and on the status overlay', async () => {
    const server = await serverWith({ signed: false })
    const { deviceId, token } = server.addDevice('phong-thi-nghiem-01', 'token-phong-thi-nghiem-01-0123')
    server.publish(notice('v-lab'), new Map())
    const dataDir = await tempDir()
    await config(dataDir, { serverUrl: server.url, allowInsecureHttp: true, deviceId, token, allowUnsignedContent: true })
    const log = memoryLogger()
    const { parts, screen } = await board(dataDir, log)
    await expect.poll(() => parts.content?.status.activeVersion, { timeout: 20_000 }).toBe('v-lab')
    await expect.poll(() => server.latestHeartbeat(deviceId)?.contentTrust, { timeout: 20_000 }).toEqual({ mode: 'lab', keySource: null, keys: [] })
    await expect.poll(() => lastStatus(screen)?.trust, { timeout: 20_000 }).toMatchObject({ mode: 'lab' })
    expect(log.records.some((r) => r.level === 'warn' && /LAB MODE/.test(r.message))).toBe(true)
  }, 60_000)

  it('a board paired on screen shows the key fingerprint, pins the key, and then refuses a document signed by another key, across a restart', async () => {
    const server = await serverWith({ signed: true })
    server.publish(notice('v1'), new Map())
    const dataDir = await tempDir()
    await config(dataDir, { serverUrl: server.url, allowInsecureHttp: true })
    const first = await board(dataDir)
    await expect.poll(() => first.parts.host.payload().pairing, { timeout: 20_000 }).not.toBeNull()
    // What the installer compares with the province's printed fingerprint.
    expect(first.parts.host.payload().pairing!.keyFingerprint).toBe(keyFingerprint(server.publicKeyPem!))
    expect(server.approvePairing(first.parts.host.payload().pairing!.code, 'ghep-noi-01')).not.toBeNull()
    await expect.poll(() => first.parts.content?.status.activeVersion, { timeout: 20_000 }).toBe('v1')
    await expect.poll(() => server.latestHeartbeat('ghep-noi-01')?.contentTrust, { timeout: 20_000 }).toMatchObject({ mode: 'signed', keySource: 'pairing' })

    // Another key under the same key id: a server or proxy that is not the province's.
    const impostor = generateSigningKey()
    server.overrideManifestBody(JSON.stringify(signDocument(notice('v-gia'), TEST_KEY_ID, impostor.privateKeyPem)))
    await first.parts.content!.syncNow('test')
    await expect.poll(() => refusals(server).map((p) => p.detail).join(), { timeout: 20_000 }).toMatch(/altered or forged/)
    expect(first.parts.content!.activeManifest?.version).toBe('v1')
    await first.parts.stop()

    const before = refusals(server).length
    const again = await board(dataDir)
    await expect.poll(() => server.connectedDevices(), { timeout: 20_000 }).toContain('ghep-noi-01')
    await again.parts.content!.syncNow('test')
    await expect.poll(() => refusals(server).length, { timeout: 20_000 }).toBeGreaterThan(before)
    expect(again.parts.content!.activeManifest?.version).toBe('v1')
  }, 90_000)

  it('a board whose token is revoked keeps its pinned key: a server that comes back with another key cannot re-pin it by approving it again', async () => {
    const first = await serverWith({ signed: true })
    first.publish(notice('v1'), new Map())
    const dataDir = await tempDir()
    await config(dataDir, { serverUrl: first.url, allowInsecureHttp: true })
    const b = await board(dataDir)
    await expect.poll(() => b.parts.host.payload().pairing, { timeout: 20_000 }).not.toBeNull()
    first.approvePairing(b.parts.host.payload().pairing!.code, 'ghim-khoa-01')
    await expect.poll(() => b.parts.content?.status.activeVersion, { timeout: 20_000 }).toBe('v1')
    const port = Number(new URL(first.url).port)
    await first.close()

    // At the same address, a server with a key of its own (same key id) that does not know the board:
    // the board's token is refused twice, it pairs on screen again, and the rogue approves it.
    const rogue = await startTestServer({ port })
    cleanup.push(() => rogue.close())
    rogue.publish(notice('v-ke-gia', 'LŨ QUÉT – SƠ TÁN NGAY'), new Map())
    await expect.poll(() => rogue.pendingPairings().length, { timeout: 30_000 }).toBe(1)
    rogue.approvePairing(rogue.pendingPairings()[0]!.code, 'ghim-khoa-01')
    await expect.poll(() => refusals(rogue).map((p) => p.detail).join('\n'), { timeout: 20_000 }).toMatch(/differs from the pinned one/)
    await b.parts.content!.syncNow('test')
    await expect.poll(() => refusals(rogue).filter((p) => !/pinned/.test(p.detail)).length, { timeout: 20_000 }).toBeGreaterThan(0)
    expect(b.parts.content!.activeManifest?.version).toBe('v1')
    expect(onScreen(b.parts)).not.toContain('tin-v-ke-gia')
  }, 90_000)

  it('a token in a config file others can read (0644) is refused with a bilingual message and not used; at 0600 it is', async () => {
    const server = await serverWith({ signed: true })
    const { deviceId, token } = server.addDevice('tep-ho-01', 'token-tep-ho-01-0123456789')
    server.publish(notice('v1'), new Map())
    const open = await tempDir()
    // Its configured key is the province's own (not the one this server offers at pairing).
    const province = generateSigningKey()
    await config(open, { serverUrl: server.url, allowInsecureHttp: true, deviceId, token, trustedKeys: [{ keyId: 'tinh', publicKey: province.publicKeyPem }] }, 0o644)
    const log = memoryLogger()
    const exposed = await board(open, log)
    const refusal = log.records.find((r) => r.level === 'error' && r.message.includes('chmod 600'))
    expect(refusal?.message).toMatch(/^TỆP CẤU HÌNH KHÔNG ĐƯỢC BẢO VỆ: .*config\.json.*UNPROTECTED CONFIG FILE: .*the token is ignored/)
    // Not used: the board pairs on screen instead, and the server never sees it.
    await expect.poll(() => exposed.parts.host.payload().pairing, { timeout: 20_000 }).not.toBeNull()
    expect(exposed.parts.player.deviceId()).toBeNull()
    // The pairing screen shows the key this board will trust: the configured one.
    expect(exposed.parts.host.payload().pairing!.keyFingerprint).toBe(keyFingerprint(province.publicKeyPem))
    expect(server.connectedDevices()).not.toContain(deviceId)
    expect(server.stats.manifestRequests).toBe(0)
    await exposed.parts.stop()

    const closed = await tempDir()
    await config(closed, { serverUrl: server.url, allowInsecureHttp: true, deviceId, token, trustedKeys: server.trustedKeys() }, 0o600)
    const provisioned = await board(closed)
    await expect.poll(() => provisioned.parts.content?.status.activeVersion, { timeout: 20_000 }).toBe('v1')
    expect(provisioned.parts.player.deviceId()).toBe(deviceId)
  }, 60_000)
})
