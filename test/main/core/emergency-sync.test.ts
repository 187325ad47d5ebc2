// Emergencies against the real reference server (signed): a clear lost while the board was offline is
// recovered from the next manifest, but never one newer than that manifest; a wall clock stepped from
// 1970 to a day ahead neither ends a 7-day warning nor puts 1970 on what goes upstream.
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { startTestServer, type TestServer } from '../../../server/testing/test-server'
import { memoryLogger } from '../../../main/core/log'
import { sealAddressed } from '../../../main/core/protocol/addressed'
import { generateSigningKey } from '../../../main/core/protocol/signing'
import { assemblePlayer, type PlayerParts } from '../../../main/core/start-player'
import { BoardClock } from '../../../main/core/time/board-clock'
import { MemoryScreenLink } from '../../helpers/memory-link'
import { useTempDirs } from '../../helpers/temp-dir'

const DEMO = join(__dirname, '../../../assets/demo')
const DEVICE = 'bang-khan-01'
const KEY = generateSigningKey()
const notice = (version: string) => ({
  schema: 'bangtin.manifest/v1',
  version,
  playlists: [{ id: 'chinh', name: 'Chính', items: [{ id: 'tin', kind: 'text', body: 'Lịch tiêm chủng', durationSec: 10 }] }],
  assets: []
})
type AckSent = { kind: string; id: string; at: string }
/** Upstream stamps are in server time: a 1970 stamp is off by decades, a day-ahead one by a day. */
const nearServerTime = (iso: string | undefined) => iso !== undefined && Math.abs(Date.parse(iso) - Date.now()) < 3_600_000

describe('emergencies and the manifest, the board clock', () => {
  const tempDir = useTempDirs()
  const cleanup: (() => Promise<void>)[] = []
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step()
  })

  async function setup(options: { clock?: BoardClock; before?: (server: TestServer) => void } = {}): Promise<{ server: TestServer; player: PlayerParts }> {
    const server = await startTestServer({ port: 0, signingKey: { keyId: 'tinh', privateKeyPem: KEY.privateKeyPem } })
    cleanup.push(() => server.close())
    const { token } = server.addDevice(DEVICE, 'token-bang-khan-01-0123456789')
    server.publish(notice('v1'), new Map())
    options.before?.(server)
    const dataDir = await tempDir()
    await writeFile(
      join(dataDir, 'config.json'),
      JSON.stringify({ serverUrl: server.url, allowInsecureHttp: true, deviceId: DEVICE, token, trustedKeys: [{ keyId: 'tinh', publicKey: KEY.publicKeyPem }] }),
      { mode: 0o600 }
    )
    const player = await assemblePlayer({ dataDir, bundledContentDir: DEMO, mediaUrl: (sha) => sha, log: memoryLogger(), clock: options.clock })
    cleanup.push(() => player.stop())
    await expect.poll(() => player.content?.status.activeVersion, { timeout: 20_000 }).toBe('v1')
    await expect.poll(() => player.session?.status.push, { timeout: 20_000 }).toBe('connected')
    return { server, player }
  }
  const onScreen = (player: PlayerParts) => () => player.host.currentView.emergency?.id ?? null
  const acks = (server: TestServer, kind: string) => () => server.acks.map((a) => a.ack as AckSent).filter((a) => a.kind === kind)

  it('a clear sent while the board was offline: the next manifest, which no longer lists it, ends it and the end is acknowledged', async () => {
    const { server, player } = await setup()
    const flood = server.emergency({ title: 'Cảnh báo lũ', body: 'Không qua ngầm tràn', ttlSec: 3600 })
    await expect.poll(onScreen(player)).toBe(flood.id)

    // Offline: the clear reaches no one. Back online, the board's ETag is from before the flood warning.
    await server.stop()
    server.clearEmergency(flood.id)
    await server.start()
    await expect.poll(onScreen(player), { timeout: 30_000 }).toBeNull()
    await expect.poll(acks(server, 'emergency-clear'), { timeout: 20_000 }).toContainEqual(expect.objectContaining({ id: flood.id }))
  })

  it('an emergency newer than the manifest that omits it stays; a manifest issued after it ends it', async () => {
    const { server, player } = await setup()
    const storm = server.emergency({ title: 'Bão số 3', ttlSec: 3600 })
    await expect.poll(onScreen(player)).toBe(storm.id)
    const signed = (issuedAt: number) =>
      JSON.stringify(
        sealAddressed('manifest', { deviceIds: [DEVICE] }, { ...notice('v1'), emergencies: [] }, { issuedAt, expiresAt: Date.now() + 3_600_000 }, { keyId: 'tinh', privateKey: KEY.privateKeyPem })
      )

    // Built a second before the storm warning was issued, delivered after it (a slow link, a cache).
    server.overrideManifestBody(signed(Date.parse(storm.issuedAt) - 1000))
    const served = server.stats.manifestRequests
    await player.content!.syncNow('test')
    expect(server.stats.manifestRequests).toBeGreaterThan(served)
    expect(onScreen(player)()).toBe(storm.id)

    server.overrideManifestBody(signed(Date.parse(storm.issuedAt) + 1000))
    await player.content!.syncNow('test')
    await expect.poll(onScreen(player)).toBeNull()
    await expect.poll(acks(server, 'emergency-clear')).toContainEqual(expect.objectContaining({ id: storm.id }))
  })

  it('a wall clock stepped from 1970 to a day ahead keeps a 7-day emergency on screen, and stamps go up in server time', async () => {
    // The wall clock reads 1970 (a dead RTC) until the test steps it to real time + 1 day (a bad NTP source).
    let shift = Date.UTC(1970, 0, 1, 0, 5) - Date.now()
    const wall = () => Date.now() + shift
    const clock = new BoardClock({ wall })
    let warning = ''
    const { server, player } = await setup({ clock, before: (s) => (warning = s.emergency({ title: 'Bão số 3', ttlSec: 7 * 86_400 }).id) })
    await expect.poll(onScreen(player)).toBe(warning)
    const screen = new MemoryScreenLink()
    player.host.attach(screen)
    // The screen stamps with the same wrong wall clock.
    screen.fromScreen('emergencyShown', { id: warning, at: wall() })
    await expect.poll(acks(server, 'emergency-start')).toHaveLength(1)
    expect(acks(server, 'emergency-start')()[0]?.at).toSatisfy(nearServerTime)

    shift = 86_400_000
    player.director.replan('clock stepped') // what the director's timer does within a minute
    expect(onScreen(player)()).toBe(warning)
    screen.fromScreen('played', { itemId: 'tin', programVersion: 'v1/main/chinh', startedAt: wall() - 10_000, endedAt: wall() })
    await expect.poll(() => server.playRecords(DEVICE).length, { timeout: 20_000 }).toBe(1)
    const [play] = server.playRecords(DEVICE)
    expect(new Date(play!.startedAt).toISOString()).toSatisfy(nearServerTime)
    // Heartbeats after the server was heard (the emergency's start sends one at once) are in server time.
    await expect.poll(() => server.latestHeartbeat(DEVICE)?.sentAt, { timeout: 20_000 }).toSatisfy(nearServerTime)
  })
})
