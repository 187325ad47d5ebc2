// Attack findings 1–3 (issue 12): a keyless man-in-the-middle on 127.0.0.1 in front of the real reference
// server (signing), driving a real board core. Replays, foreign documents, a 1970 clock and a forged Date
// header must leave the screen as it was (or the emergency on it), and every refusal is reported.
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { io, type Socket } from 'socket.io-client'
import { afterEach, describe, expect, it } from 'vitest'
import { memoryLogger } from '../../main/core/log'
import { PUSH_NAMESPACE } from '../../main/core/protocol/api'
import { generateSigningKey } from '../../main/core/protocol/signing'
import { assemblePlayer, type PlayerParts } from '../../main/core/start-player'
import { BoardClock } from '../../main/core/time/board-clock'
import { startTestServer, type TestServer } from '../../server/testing/test-server'
import { useTempDirs } from '../helpers/temp-dir'
import { startMitmProxy, type MitmProxy } from './mitm-proxy'

const DEMO = join(__dirname, '../../assets/demo')
const KEY = generateSigningKey()
const A = 'bang-xa-a'
const B = 'bang-xa-b'
const TOKENS: Record<string, string> = { [A]: 'token-bang-xa-a-0123456789', [B]: 'token-bang-xa-b-0123456789' }
const HOUR = 3_600_000
type MemoryLogger = ReturnType<typeof memoryLogger>

const notice = (version: string, body: string, extra: object = {}) => ({
  schema: 'bangtin.manifest/v1',
  version,
  playlists: [{ id: 'chinh', name: 'Chính', items: [{ id: `tin-${version}`, kind: 'text', body, durationSec: 10 }] }],
  assets: [],
  ...extra
})

/** HH:MM in the board's zone, `offsetMs` from now. */
function localTime(offsetMs: number): string {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Ho_Chi_Minh', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(new Date(Date.now() + offsetMs))
  return `${parts.find((p) => p.type === 'hour')!.value}:${parts.find((p) => p.type === 'minute')!.value}`
}

/** Time the test moves forward, for the server and the board alike (wall and monotonic together). */
const shifted = { ms: 0 }
const serverNow = () => Date.now() + shifted.ms
/** The board's clock in shifted time, its wall clock `wallOffsetMs` off. */
function boardClock(wallOffsetMs = 0): BoardClock {
  return new BoardClock({ wall: () => serverNow() + wallOffsetMs, mono: () => performance.now() + shifted.ms })
}

describe('attack: signed documents replayed, misaddressed, expired, and a forged Date', () => {
  const tempDir = useTempDirs()
  const cleanup: (() => Promise<void>)[] = []
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step()
    shifted.ms = 0
  })

  async function world(options: { manifest?: object } = {}): Promise<{ server: TestServer; proxy: MitmProxy }> {
    const server = await startTestServer({ port: 0, signingKey: { keyId: 'tinh', privateKeyPem: KEY.privateKeyPem }, now: serverNow })
    cleanup.push(() => server.close())
    for (const id of [A, B]) server.addDevice(id, TOKENS[id])
    server.publish(options.manifest ?? notice('v1', 'Lịch tiêm chủng tháng 12'), new Map())
    const proxy = await startMitmProxy(server.url)
    cleanup.push(() => proxy.close())
    return { server, proxy }
  }

  async function board(proxy: MitmProxy, deviceId: string, options: { dataDir?: string; clock?: BoardClock } = {}): Promise<PlayerParts & { dataDir: string; log: MemoryLogger }> {
    const dataDir = options.dataDir ?? (await tempDir())
    await writeFile(
      join(dataDir, 'config.json'),
      JSON.stringify({ serverUrl: proxy.url, allowInsecureHttp: true, deviceId, token: TOKENS[deviceId], trustedKeys: [{ keyId: 'tinh', publicKey: KEY.publicKeyPem }] }),
      // The token's config file is the owner's only (a board ignores a token others can read).
      { mode: 0o600 }
    )
    const log = memoryLogger()
    const parts = await assemblePlayer({ dataDir, bundledContentDir: DEMO, mediaUrl: (sha) => sha, log, clock: options.clock })
    cleanup.push(() => parts.stop())
    await expect.poll(() => parts.session?.status.push, { timeout: 20_000 }).toBe('connected')
    return Object.assign(parts, { dataDir, log })
  }

  /** What a device's push socket receives, as a second connection with its token (what a tap on the wire sees). */
  async function tap(server: TestServer, deviceId: string): Promise<{ seen: { event: string; payload: unknown }[] }> {
    const seen: { event: string; payload: unknown }[] = []
    const socket: Socket = io(new URL(PUSH_NAMESPACE, server.url).toString(), { auth: { deviceId, token: TOKENS[deviceId], protocol: 2 }, transports: ['websocket'], forceNew: true })
    socket.onAny((event: string, payload: unknown) => seen.push({ event, payload }))
    cleanup.push(async () => void socket.close())
    await new Promise<void>((resolve) => socket.on('connect', () => resolve()))
    return { seen }
  }
  const tapped = (t: { seen: { event: string; payload: unknown }[] }, event: string) => async () => {
    await expect.poll(() => t.seen.filter((s) => s.event === event).length, { timeout: 20_000 }).toBeGreaterThan(0)
    return t.seen.filter((s) => s.event === event).at(-1)!.payload
  }
  const problems = (server: TestServer, deviceId: string) => () =>
    server.problems.filter((p) => p.deviceId === deviceId).map((p) => (p.problem as { detail?: string }).detail ?? '').join('\n')
  /** The emergencies the board's plan holds: the one on screen, then the others. */
  const emergencyIds = (parts: PlayerParts) => () => {
    const plan = parts.director.plan
    return plan ? [plan.emergency, ...plan.otherEmergencies].filter((e) => e !== null).map((e) => e.id) : []
  }

  it('1: a manifest signed earlier for this board, replayed after a newer one, is refused and reported; the newer one stays', async () => {
    const { server, proxy } = await world()
    const a = await board(proxy, A)
    await expect.poll(() => a.content?.status.activeVersion, { timeout: 20_000 }).toBe('v1')
    const old = proxy.manifests.at(-1)!.body
    server.publish(notice('v2', 'Lịch cắt điện mới'), new Map())
    await expect.poll(() => a.content?.status.activeVersion, { timeout: 20_000 }).toBe('v2')

    proxy.replayManifest = old
    await a.content!.syncNow('attack')
    expect(a.content?.status.activeVersion).toBe('v2')
    expect(a.content?.status.pendingVersion).toBeNull()
    await expect.poll(problems(server, A), { timeout: 20_000 }).toMatch(/replay/)
  }, 90_000)

  it('1b: a manifest signed for board B, replayed to board A, is refused and reported', async () => {
    const { server, proxy } = await world()
    server.publish(notice('b-1', 'Chỉ cho xã B'), new Map(), { deviceIds: [B] })
    const a = await board(proxy, A)
    await expect.poll(() => a.content?.status.activeVersion, { timeout: 20_000 }).toBe('v1')
    // Board B's traffic, seen on the wire (B asks the way a v2 board asks).
    const forB = await fetch(`${server.url}/api/v1/devices/${B}/manifest`, {
      headers: { authorization: `Bearer ${TOKENS[B]}`, accept: 'application/vnd.bangtin.addressed.v2+json' }
    }).then((r) => r.text())

    proxy.replayManifest = forB
    await a.content!.syncNow('attack')
    expect(a.content?.status.activeVersion).toBe('v1')
    expect(a.content?.status.pendingVersion).toBeNull()
    await expect.poll(problems(server, A), { timeout: 20_000 }).toMatch(/not to this board/)
  }, 90_000)

  it('1c: restarted with its clock at 1970, no Date header and an old manifest, a board accepts no expired emergency', async () => {
    const { server, proxy } = await world()
    const dataDir = await tempDir()
    const first = await board(proxy, A, { dataDir })
    await expect.poll(() => first.content?.status.activeVersion, { timeout: 20_000 }).toBe('v1')
    const wire = await tap(server, A)
    const short = server.emergency({ title: 'Cảnh báo cũ', ttlSec: 2 }, { deviceIds: [A] })
    const envelope = await tapped(wire, 'emergency:start')()
    // Until it has expired, and a manifest signed after that was taken.
    shifted.ms += 60_000
    server.publish(notice('v2', 'Thông báo sau'), new Map())
    await expect.poll(() => first.content?.status.activeVersion, { timeout: 20_000 }).toBe('v2')
    await first.stop()

    // The wire now hides the time: no Date header, and the manifest from before the warning instead of a fresh one.
    proxy.rewriteDate = () => undefined
    proxy.replayManifest = proxy.manifests[0]!.body
    const clock = boardClock(Date.UTC(1970, 0, 1, 0, 5) - Date.now())
    const again = await board(proxy, A, { dataDir, clock })
    server.pushRaw('emergency:start', envelope, { deviceIds: [A] })
    await expect.poll(problems(server, A), { timeout: 20_000 }).toMatch(/expired/)
    expect(emergencyIds(again)()).not.toContain(short.id)
  }, 90_000)

  it('1d: a command addressed to another board is refused, answered as refused and reported', async () => {
    const { server, proxy } = await world()
    const a = await board(proxy, A)
    await expect.poll(() => a.content?.status.activeVersion, { timeout: 20_000 }).toBe('v1')
    const wireB = await tap(server, B)
    const command = server.command('display-off', {}, { deviceIds: [B] })
    const forB = await tapped(wireB, 'command')()

    server.pushRaw('command', forB, { deviceIds: [A] })
    const answer = () => server.acks.find((r) => r.deviceId === A && (r.ack as { id?: string }).id === command.id)?.ack
    await expect.poll(answer, { timeout: 20_000 }).toMatchObject({ kind: 'command', ok: false })
    expect(a.player.displayOn()).toBe(true)
    await expect.poll(problems(server, A), { timeout: 20_000 }).toMatch(/not to this board/)
  }, 90_000)

  it('2: a cleared emergency replayed after the clear message expired stays cleared, also after a restart', async () => {
    const { server, proxy } = await world()
    const dataDir = await tempDir()
    const clock = boardClock()
    const a = await board(proxy, A, { dataDir, clock })
    await expect.poll(() => a.content?.status.activeVersion, { timeout: 20_000 }).toBe('v1')
    const wire = await tap(server, A)
    const flood = server.emergency({ title: 'LŨ QUÉT – SƠ TÁN NGAY', ttlSec: 3600 }, { deviceIds: [A] })
    const envelope = await tapped(wire, 'emergency:start')()
    await expect.poll(emergencyIds(a), { timeout: 20_000 }).toContain(flood.id)
    server.clearEmergency(flood.id)
    await expect.poll(emergencyIds(a), { timeout: 20_000 }).not.toContain(flood.id)

    // Ten minutes on: the clear message (5 min) has expired; another warning makes the board save (and prune).
    shifted.ms += 10 * 60_000
    const other = server.emergency({ title: 'Gió mạnh', ttlSec: 3600 }, { deviceIds: [A] })
    await expect.poll(emergencyIds(a), { timeout: 20_000 }).toContain(other.id)
    server.pushRaw('emergency:start', envelope, { deviceIds: [A] })
    server.clearEmergency(other.id)
    await expect.poll(emergencyIds(a), { timeout: 20_000 }).not.toContain(other.id)
    expect(emergencyIds(a)()).not.toContain(flood.id)
    const refusedInLog = (parts: { log: MemoryLogger }) => parts.log.records.some((r) => r.message.startsWith('emergency refused: cleared') && r.fields?.id === flood.id)
    expect(refusedInLog(a)).toBe(true)

    await a.stop()
    const again = await board(proxy, A, { dataDir, clock })
    server.pushRaw('emergency:start', envelope, { deviceIds: [A] })
    const marker = server.emergency({ title: 'Kiểm tra', ttlSec: 3600 }, { deviceIds: [A] })
    // Pushes arrive in order: once the later one shows, the replay has been handled.
    await expect.poll(emergencyIds(again), { timeout: 20_000 }).toContain(marker.id)
    expect(emergencyIds(again)()).not.toContain(flood.id)
    expect(refusedInLog(again)).toBe(true)
  }, 90_000)

  it('3: a Date header rewritten +36 h neither hides a valid emergency, nor turns the display off, nor drops a new signed emergency', async () => {
    const { server, proxy } = await world({ manifest: notice('v1', 'Giờ mở màn hình', { displayHours: { on: localTime(-3 * HOUR), off: localTime(3 * HOUR) } }) })
    const a = await board(proxy, A)
    await expect.poll(() => a.content?.status.activeVersion, { timeout: 20_000 }).toBe('v1')
    const storm = server.emergency({ title: 'Bão số 5', ttlSec: 3600 }, { deviceIds: [A] })
    await expect.poll(emergencyIds(a), { timeout: 20_000 }).toContain(storm.id)

    proxy.rewriteDate = () => new Date(Date.now() + 36 * HOUR).toUTCString()
    const fetched = server.stats.manifestRequests
    await a.content!.syncNow('attack')
    expect(server.stats.manifestRequests).toBeGreaterThan(fetched)
    a.director.replan('after the forged Date')
    expect(emergencyIds(a)()).toContain(storm.id)
    expect(a.player.displayOn()).toBe(true)
    // The forged Date is reported, and said not to be followed.
    await expect.poll(() => server.problems.some((p) => p.deviceId === A && /not followed/.test((p.problem as { detail?: string }).detail ?? '')), { timeout: 20_000 }).toBe(true)

    const fresh = server.emergency({ title: 'Lũ về', ttlSec: 3600 }, { deviceIds: [A] })
    await expect.poll(emergencyIds(a), { timeout: 20_000 }).toContain(fresh.id)
    expect(emergencyIds(a)()).toContain(storm.id)
    // With both ended, the screen follows the wall clock's display hours: still on.
    server.clearEmergency(storm.id)
    server.clearEmergency(fresh.id)
    await expect.poll(emergencyIds(a), { timeout: 20_000 }).toEqual([])
    a.director.replan('after the clears')
    expect(a.player.displayOn()).toBe(true)
  }, 90_000)
})
