// Attack finding 8 (reference server), real HTTP on 127.0.0.1, the flood from other loopback addresses
// (127.0.0.2 …): a pairing flood must not stop a real board pairing; a code is never approved over a paired
// device without an explicit re-key; reports are checked before they are kept; every device's storage is bounded.
import { request, type IncomingHttpHeaders } from 'node:http'
import { describe, expect, it } from 'vitest'
import { memoryLogger, type Logger } from '../../main/core/log'
import { pairBoard } from '../../main/core/pairing/pairing-client'
import { paths } from '../../main/core/protocol/api'
import type { PlayRecord } from '../../main/core/protocol/plays'
import type { TestServer } from '../../server/testing/test-server'
import { bearer, connected, useReferenceServers } from '../server/helpers'

interface Answer {
  status: number
  headers: IncomingHttpHeaders
  body: string
}

/** One request from a chosen loopback address (Linux routes all of 127/8 to lo). */
function send(url: string, options: { method?: string; localAddress?: string; headers?: Record<string, string>; body?: string | Buffer } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'GET', agent: false, headers: options.headers ?? {}, ...(options.localAddress ? { localAddress: options.localAddress } : {}) }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }))
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end(options.body)
  })
}

/** POSTs pairing requests, `each` from every address, a few at a time; the answers in order. */
async function pairingFlood(server: TestServer, addresses: readonly string[], each: number): Promise<Answer[]> {
  const jobs = addresses.flatMap((address) => Array.from({ length: each }, () => address))
  const answers: Answer[] = []
  let next = 0
  const worker = async () => {
    while (next < jobs.length) {
      const localAddress = jobs[next++]!
      answers.push(await send(`${server.url}${paths.pairings()}`, { method: 'POST', localAddress }))
    }
  }
  await Promise.all(Array.from({ length: 16 }, worker))
  return answers
}

/** 127.0.x.y for x ≥ 1: addresses no other part of a test uses. */
function loopbackAddresses(count: number, from = 0): string[] {
  return Array.from({ length: count }, (_, i) => `127.0.${1 + Math.floor((from + i) / 250)}.${1 + ((from + i) % 250)}`)
}

/** The real board's pairing client (from 127.0.0.1), stopped at its first failure so the test says why instead of waiting. */
function realBoard(server: TestServer) {
  const controller = new AbortController()
  const failures: string[] = []
  const base = memoryLogger()
  const log: Logger = {
    ...base,
    warn: (message, fields) => {
      failures.push(`${message} ${JSON.stringify(fields)}`)
      controller.abort()
    }
  }
  let showCode: (code: string) => void = () => {}
  const shown = new Promise<string>((resolve) => (showCode = resolve))
  const paired = pairBoard({
    serverUrl: server.url,
    allowInsecureHttp: true,
    log,
    signal: controller.signal,
    onCode: (display) => display && showCode(display.code),
    // Polls paced, not timed: the operator approves whenever the test gets there.
    sleep: () => new Promise((resolve) => setTimeout(resolve, 20))
  }).catch((error: Error) => {
    throw new Error(`the board did not pair: ${error.message}; ${failures.join('; ')}`)
  })
  // Either the code is on screen, or pairing failed (and says why).
  const code = Promise.race([shown, paired.then(() => 'paired without a code')])
  return { code, paired, stop: () => controller.abort() }
}

async function approve(server: TestServer, code: string, deviceId: string, extra: Record<string, unknown> = {}): Promise<Answer> {
  return send(`${server.url}/admin/pairings/approve`, {
    method: 'POST',
    headers: { ...bearer(server.adminToken), 'Content-Type': 'application/json' },
    body: JSON.stringify({ code, deviceId, ...extra })
  })
}

function expectOnlyCodesOrRateLimits(answers: readonly Answer[]): void {
  const statuses = new Set(answers.map((a) => a.status))
  expect([...statuses].filter((s) => s !== 201 && s !== 429)).toEqual([])
  for (const refused of answers.filter((a) => a.status === 429)) {
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1)
    expect(JSON.parse(refused.body)).toMatchObject({ error: { code: 'rate-limited' } })
  }
}

describe('attack 8: the reference server', () => {
  const servers = useReferenceServers()
  // Floods of real requests: a generous upper bound for a slow, busy machine (nothing here is timed).
  // A frozen server clock: the buckets refill only when a test says so, however slow the machine.
  const frozen = () => {
    const at = Date.now()
    return () => at
  }

  it('a pairing flood from other addresses, a few hammering and many asking a few times each, never stops a real board pairing', async () => {
    const server = await servers.start({ now: frozen() })
    const hammering = Array.from({ length: 12 }, (_, i) => `127.0.0.${i + 2}`)
    const first = await pairingFlood(server, hammering, 90)
    expect(first).toHaveLength(1_080)
    // The board starts while the flood goes on: the same addresses again, and 300 more asking three times.
    const board = realBoard(server)
    const second = pairingFlood(server, [...hammering, ...loopbackAddresses(300)], 3)
    const code = await board.code
    const answers = [...first, ...(await second)]
    expectOnlyCodesOrRateLimits(answers)
    // Both limits were hit: per address (the twelve) and server-wide (the many repeat askers).
    const scopes = answers.filter((a) => a.status === 429).map((a) => (JSON.parse(a.body) as { error: { message: string } }).error.message)
    expect(scopes.some((m) => m.includes('from this address'))).toBe(true)
    expect(scopes.some((m) => m.includes('The server is receiving'))).toBe(true)

    expect((await approve(server, code, 'bang-tin-phu-an')).status).toBe(200)
    const credentials = await board.paired
    expect(credentials.deviceId).toBe('bang-tin-phu-an')
    // The token works: 404 no-manifest (nothing published yet), not 401.
    expect((await send(`${server.url}${paths.manifest('bang-tin-phu-an')}`, { headers: bearer(credentials.token) })).status).toBe(404)
  }, 120_000)

  it('a flood from more addresses than the pending table holds pushes out old codes, not the real board', async () => {
    const server = await servers.start({ now: frozen() })
    // The table holds 1,000 waiting codes (server/pairing.ts MAX_PENDING); 1,100 addresses ask once each.
    const before = await pairingFlood(server, loopbackAddresses(1_100), 1)
    const board = realBoard(server)
    const during = pairingFlood(server, loopbackAddresses(300, 1_100), 1)
    const code = await board.code
    expectOnlyCodesOrRateLimits([...before, ...(await during)])
    expect(server.pendingPairings().length).toBeLessThanOrEqual(1_000)
    expect(server.pendingPairings().map((p) => p.code)).toContain(code)
    expect((await approve(server, code, 'bang-tin-xa-dong')).status).toBe(200)
    expect((await board.paired).deviceId).toBe('bang-tin-xa-dong')
  }, 120_000)

  it('approving a code under an existing device id is refused without an explicit re-key; the real board keeps its token', async () => {
    const server = await servers.start()
    server.addDevice('bang-tin-01', 'token-of-the-real-board')
    const manifest = `${server.url}${paths.manifest('bang-tin-01')}`
    const rogue = JSON.parse((await send(`${server.url}${paths.pairings()}`, { method: 'POST', localAddress: '127.0.0.9' })).body) as { pairingId: string; code: string }

    const refused = await approve(server, rogue.code, 'bang-tin-01')
    expect(refused.status).toBe(409)
    const message = (JSON.parse(refused.body) as { error: { code: string; message: string } }).error
    expect(message.code).toBe('device-exists')
    expect(message.message).toContain('đã được ghép nối')
    expect(message.message).toContain('--rekey')
    expect(() => server.approvePairing(rogue.code, 'bang-tin-01')).toThrow(/already paired/)
    // The real board still gets in; the rogue is still only waiting.
    expect((await send(manifest, { headers: bearer('token-of-the-real-board') })).status).toBe(404)
    expect(JSON.parse((await send(`${server.url}${paths.pairing(rogue.pairingId)}`)).body)).toMatchObject({ state: 'waiting' })
    expect(server.recentLog().some((e) => e.event === 'pairing-refused' && e.deviceId === 'bang-tin-01')).toBe(true)

    // An operator who means it (a board swapped) says so: then the old token stops working.
    expect((await approve(server, rogue.code, 'bang-tin-01', { rekey: true })).status).toBe(200)
    // The code is taken: approving it again (under another id) makes no second board.
    const again = await approve(server, rogue.code, 'bang-tin-02')
    expect([again.status, (JSON.parse(again.body) as { error: { code: string } }).error.code]).toEqual([409, 'already-approved'])
    expect(server.deviceSummaries().map((d) => d.deviceId)).toEqual(['bang-tin-01'])
    expect(JSON.parse((await send(`${server.url}${paths.pairing(rogue.pairingId)}`)).body)).toMatchObject({ state: 'approved', deviceId: 'bang-tin-01' })
    expect((await send(manifest, { headers: bearer('token-of-the-real-board') })).status).toBe(401)
  }, 120_000)

  it('300 invalid reports of 1 MiB are refused and none is kept', async () => {
    const server = await servers.start()
    server.addDevice('bang-tin-01', 'token-bang-tin-01')
    const url = `${server.url}${paths.reports('bang-tin-01')}`
    const headers = { ...bearer('token-bang-tin-01'), 'Content-Type': 'application/json' }
    const pad = 'x'.repeat(1024 * 1024 - 200)
    const bodies = [
      JSON.stringify({ kind: 'plays', batch: { junk: pad } }),
      JSON.stringify({ kind: 'uptime', days: [{ date: pad }] }),
      JSON.stringify({ kind: 'nonsense', pad }),
      `{"kind":"heartbeats","items":[${'1,'.repeat(400_000)}1]}`
    ]
    for (let i = 0; i < 300; i++) {
      const answer = await send(url, { method: 'POST', headers, body: bodies[i % bodies.length] })
      expect(answer.status).toBe(400)
    }
    expect(server.reports).toEqual([])
    expect(server.playRecords('bang-tin-01')).toEqual([])
    expect(server.latestHeartbeat('bang-tin-01')).toBeNull()
    expect(server.uptimeDays('bang-tin-01')).toEqual([])
    const listed = await send(`${server.url}/admin/reports`, { headers: bearer(server.adminToken) })
    expect(JSON.parse(listed.body)).toEqual({ reports: [] })
    expect(server.recentLog().filter((e) => e.event === 'report-refused').length).toBeGreaterThan(0)
  }, 120_000)

  it('one device sending without end keeps only its bounded share (count and bytes), and never pushes out another device’s records', async () => {
    const storageLimits = {
      reports: { count: 10, bytes: 400_000 },
      plays: { count: 5_000, bytes: 10_000_000 },
      uploads: { count: 3, bytes: 1_000_000 },
      acks: { count: 10, bytes: 100_000 },
      problems: { count: 10, bytes: 100_000 },
      uptimeDays: 40
    }
    const server = await servers.start({ storageLimits })
    server.addDevice('chatty', 'token-chatty')
    server.addDevice('quiet', 'token-quiet')
    const post = (device: string, body: unknown) =>
      send(`${server.url}${paths.reports(device)}`, { method: 'POST', headers: { ...bearer(`token-${device}`), 'Content-Type': 'application/json' }, body: JSON.stringify(body) })
    const plays = (device: string, batch: number, count: number): PlayRecord[] =>
      Array.from({ length: count }, (_, i) => ({ id: `${device}-${batch}-${i}`, seq: batch * count + i + 1, itemId: 'thong-bao', programVersion: 'v1', startedAt: 1_000, endedAt: 2_000 }))
    const day = (n: number) => ({ date: `2026-${String(1 + Math.floor(n / 28)).padStart(2, '0')}-${String(1 + (n % 28)).padStart(2, '0')}`, upSeconds: 1, downSeconds: 0, expectedSeconds: 1, percent: 100 })

    expect((await post('quiet', { kind: 'plays', batch: { batchId: 'q', entries: plays('quiet', 0, 3), dropped: { entries: 0, segments: 0 } } })).status).toBe(204)
    for (let batch = 0; batch < 20; batch++) {
      const answer = await post('chatty', { kind: 'plays', batch: { batchId: `c-${batch}`, entries: plays('chatty', batch, 1_000), dropped: { entries: 0, segments: 0 } } })
      expect(answer.status).toBe(204)
    }
    for (let n = 0; n < 100; n++) expect((await post('chatty', { kind: 'uptime', days: [day(n)] })).status).toBe(204)

    const chattyPlays = server.playRecords('chatty')
    expect(chattyPlays).toHaveLength(5_000)
    expect(chattyPlays.at(-1)?.id).toBe('chatty-19-999') // the newest kept
    expect(server.playRecords('quiet')).toHaveLength(3)
    expect(server.uptimeDays('chatty')).toHaveLength(40)
    const kept = server.reports.filter((r) => r.deviceId === 'chatty')
    expect(kept.length).toBeLessThanOrEqual(10)
    expect(kept.reduce((sum, r) => sum + r.bytes, 0)).toBeLessThanOrEqual(400_000)
    expect(server.reports.filter((r) => r.deviceId === 'quiet')).toHaveLength(1)

    // Uploads: the chatty board's newest three, and the quiet board's one.
    const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(100_000, 7)])
    const upload = (device: string, id: string) =>
      send(`${server.url}${paths.uploads(device)}?kind=screenshot&id=${id}&takenAt=2026-11-22T03%3A00%3A00Z&contentType=image%2Fjpeg&width=4&height=3`, {
        method: 'POST',
        headers: { ...bearer(`token-${device}`), 'Content-Type': 'image/jpeg' },
        body: jpeg
      })
    expect((await upload('quiet', 'q-1')).status).toBe(204)
    for (let i = 0; i < 8; i++) expect((await upload('chatty', `c-${i}`)).status).toBe(204)
    expect([...server.uploads.keys()].sort()).toEqual(['chatty/c-5', 'chatty/c-6', 'chatty/c-7', 'quiet/q-1'])

    // Push acks: the chatty board's newest ten; an invalid big one is flagged and kept only as a short preview.
    const quiet = servers.socket(server, { deviceId: 'quiet', token: 'token-quiet' })
    const chatty = servers.socket(server, { deviceId: 'chatty', token: 'token-chatty' })
    await Promise.all([connected(quiet), connected(chatty)])
    const at = new Date().toISOString()
    await quiet.emitWithAck('ack', { kind: 'manifest', id: 'v1', at })
    for (let i = 0; i < 30; i++) await chatty.emitWithAck('ack', { kind: 'manifest', id: `v${i}`, at })
    expect(await chatty.emitWithAck('ack', { kind: 'manifest', id: 'x', at, junk: 'j'.repeat(30_000), detail: 'd'.repeat(30_000) })).toEqual({ ok: false })
    const chattyAcks = server.acks.filter((a) => a.deviceId === 'chatty')
    expect(chattyAcks).toHaveLength(10)
    expect(chattyAcks.at(-1)).toMatchObject({ valid: false, ack: expect.stringMatching(/^\{/) })
    expect(String(chattyAcks.at(-1)?.ack).length).toBeLessThanOrEqual(200)
    expect(server.acks.filter((a) => a.deviceId === 'quiet')).toHaveLength(1)
  }, 120_000)
})
