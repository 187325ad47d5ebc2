// The reference server's memory under a hostile or broken board (attack 8): its RSS, as a separate process
// (the built CLI), before and after 300 invalid 1 MiB reports and after 300 valid ~1 MiB ones (plays batches).
// Targets: invalid reports leave nothing behind; valid ones grow it by no more than the per-device bounds allow.
// Also throughput: manifest answers per second (signed once per change) and durable report intake.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { readFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { Agent, request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { ADDRESSED_MEDIA_TYPE } from '../main/core/protocol/addressed'
import { generateSigningKey } from '../main/core/protocol/signing'
import { composeHeartbeat } from '../main/core/reporting/heartbeat'
import { openSqlite } from '../server/db/database'
import { startReferenceServer } from '../server/reference-server'
import type { BenchRow } from './report'

const ROOT = join(__dirname, '..')
const CLI = join(ROOT, 'out', 'server', 'cli.js')
const MiB = 1024 * 1024
const INVALID_TARGET_MIB = 64
const VALID_TARGET_MIB = 256

function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? NaN) / 1024
}

function post(url: string, token: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' } }, (res) => {
      res.resume()
      res.on('end', () => resolve(res.statusCode ?? 0))
    })
    req.on('error', reject)
    req.end(body)
  })
}

/** A plays batch of about 1 MiB, ids unique across batches (so deduplication does not help). */
function playsBatch(n: number): string {
  const entries = Array.from({ length: 5_500 }, (_, i) => ({
    id: `bench-01-${n}-${i}-${'p'.repeat(40)}`,
    seq: n * 5_500 + i + 1,
    itemId: `item-${i % 50}`,
    programVersion: 'bench-v1',
    startedAt: 1_700_000_000_000 + i,
    endedAt: 1_700_000_010_000 + i
  }))
  return JSON.stringify({ kind: 'plays', batch: { batchId: `batch-${n}`, entries, dropped: { entries: 0, segments: 0 } } })
}

export async function refserverBench(options: { reports: number }): Promise<BenchRow[]> {
  const built = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build-server.mjs')], { cwd: ROOT, encoding: 'utf8' })
  if (built.status !== 0) throw new Error(`building the server failed: ${built.stderr}`)
  const token = 'token-bench-01-0123456789'
  const server: ChildProcess = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--device', `bench-01:${token}`], { stdio: ['ignore', 'pipe', 'ignore'] })
  try {
    const first = (await createInterface({ input: server.stdout! })[Symbol.asyncIterator]().next()).value as string
    const url = /^BANGTIN_SOURCE_URL (\S+)/.exec(first)?.[1]
    if (!url || !server.pid) throw new Error(`the server did not start: ${first}`)
    const reports = `${url}/api/v1/devices/bench-01/reports`
    const pad = 'x'.repeat(MiB - 200)
    const invalid = JSON.stringify({ kind: 'plays', batch: { junk: pad } })
    // Warm up (JIT, socket buffers) with a few of each before the baseline.
    for (let i = 0; i < 3; i++) await post(reports, token, JSON.stringify({ kind: 'uptime', days: [{ date: '2026-01-01', upSeconds: 1, downSeconds: 0, expectedSeconds: 1, percent: 100 }] }))
    const baseline = rssMiB(server.pid)
    let refused = 0
    for (let i = 0; i < options.reports; i++) if ((await post(reports, token, invalid)) === 400) refused++
    const afterInvalid = rssMiB(server.pid)
    let stored = 0
    for (let i = 0; i < options.reports; i++) if ((await post(reports, token, playsBatch(i))) === 204) stored++
    const afterValid = rssMiB(server.pid)
    const invalidGrowth = afterInvalid - baseline
    const validGrowth = afterValid - baseline
    return [
      { section: 'refserver', name: 'server RSS at start', value: baseline, unit: 'MiB', target: null, ok: null },
      {
        section: 'refserver',
        name: `RSS growth after ${options.reports} invalid 1 MiB reports`,
        value: invalidGrowth,
        unit: 'MiB',
        target: `< ${INVALID_TARGET_MIB} MiB, all refused`,
        ok: invalidGrowth < INVALID_TARGET_MIB && refused === options.reports,
        detail: `${refused} refused, RSS ${baseline.toFixed(0)} → ${afterInvalid.toFixed(0)} MiB`
      },
      {
        section: 'refserver',
        name: `RSS growth after ${options.reports} valid ~1 MiB plays reports`,
        value: validGrowth,
        unit: 'MiB',
        target: `< ${VALID_TARGET_MIB} MiB (per-device bounds)`,
        ok: validGrowth < VALID_TARGET_MIB && stored === options.reports,
        detail: `${stored} stored, RSS ${baseline.toFixed(0)} → ${afterValid.toFixed(0)} MiB`
      }
    ]
  } finally {
    const exited = once(server, 'exit')
    server.kill('SIGTERM')
    await exited
  }
}

/** Runs `total` requests, `concurrency` at a time over keep-alive connections; returns requests per second. */
async function hammer(total: number, concurrency: number, one: (i: number, agent: Agent) => Promise<number>, expected: number): Promise<{ perSec: number; ok: number }> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency })
  let next = 0
  let ok = 0
  const started = performance.now()
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) if ((await one(next++, agent)) === expected) ok++
    })
  )
  const seconds = (performance.now() - started) / 1000
  agent.destroy()
  return { perSec: total / seconds, ok }
}

function call(url: string, agent: Agent, method: string, token: string, body?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, agent, headers: { Authorization: `Bearer ${token}`, Accept: ADDRESSED_MEDIA_TYPE, ...(body ? { 'Content-Type': 'application/json' } : {}) } }, (res) => {
      res.resume()
      res.on('end', () => resolve(res.statusCode ?? 0))
    })
    req.on('error', reject)
    req.end(body)
  })
}

/**
 * Sign once: signed v2 manifest answers per second (200s, full body) for 100 boards, in process; and
 * reports accepted per second by a durable server (SQLite, committed before the 204), plays batches of 10.
 */
export async function refserverThroughputBench(options: { requests: number }): Promise<BenchRow[]> {
  const key = generateSigningKey()
  const dir = await mkdtemp(join(tmpdir(), 'bangtin-bench-store-'))
  const database = await openSqlite(join(dir, 'bench.sqlite'))
  const server = await startReferenceServer({ signingKey: { keyId: 'bench', privateKeyPem: key.privateKeyPem }, database: { db: database.db, dataDir: dir } })
  try {
    const boards = Array.from({ length: 100 }, (_, i) => server.addDevice(`bench-${i}`, `token-bench-${i}-0123456789`))
    const items = Array.from({ length: 40 }, (_, i) => ({ id: `t-${i}`, kind: 'text', title: `Thông báo ${i}`, body: 'Lịch tiêm chủng, lịch cắt điện, họp tổ dân phố. '.repeat(4), durationSec: 10 }))
    server.publish({ schema: 'bangtin.manifest/v1', version: 'bench-1', playlists: [{ id: 'main', name: 'Bản tin', items }], assets: [] }, new Map())
    server.emergency({ title: 'Bão số 3', ttlSec: 3600 })
    await server.durable()
    const manifests = await hammer(options.requests, 8, (i, agent) => {
      const board = boards[i % boards.length]!
      return call(`${server.url}/api/v1/devices/${board.deviceId}/manifest`, agent, 'GET', board.token)
    }, 200)
    const reports = await hammer(Math.max(200, options.requests / 10), 16, (i, agent) => {
      const board = boards[i % boards.length]!
      const entries = Array.from({ length: 10 }, (_, j) => ({ id: `r-${i}-${j}`, seq: j + 1, itemId: 't-1', programVersion: 'bench-1', startedAt: 1_700_000_000_000 + j, endedAt: 1_700_000_010_000 + j }))
      return call(`${server.url}/api/v1/devices/${board.deviceId}/reports`, agent, 'POST', board.token, JSON.stringify({ kind: 'plays', batch: { batchId: `b-${i}`, entries, dropped: { entries: 0, segments: 0 } } }))
    }, 204)
    const heartbeats = await hammer(Math.max(200, options.requests / 10), 16, (i, agent) => {
      const board = boards[i % boards.length]!
      const heartbeat = composeHeartbeat(
        {
          deviceId: board.deviceId,
          deviceName: `Bảng tin ${i % boards.length}`,
          appVersion: '1.0.0',
          os: { platform: 'linux', release: '6.1', arch: 'x64' },
          bootAt: null,
          appStartedAt: Date.now() - 60_000,
          screen: { itemId: 't-1', layoutId: null, programVersion: 'bench-1', rendererAnswering: true, hasContent: true },
          emergency: null,
          displayOn: true,
          sync: null,
          cache: { storedBytes: 1024, partialBytes: 0, quotaBytes: 5_000_000, quarantinedCount: 0 },
          reporting: { pendingPlays: 0, droppedPlays: 0, droppedHeartbeats: 0, pendingUploads: 0, droppedUploads: 0 }
        },
        new Date()
      )
      return call(`${server.url}/api/v1/devices/${board.deviceId}/reports`, agent, 'POST', board.token, JSON.stringify({ kind: 'heartbeats', items: [heartbeat] }))
    }, 204)
    return [
      { section: 'refserver', name: 'signed v2 manifest answers per second (sign once, 100 boards)', value: manifests.perSec, unit: '/s', target: null, ok: manifests.ok === options.requests, detail: `${manifests.ok}/${options.requests} answered 200` },
      { section: 'refserver', name: 'reports accepted per second, durable (SQLite, committed before 204)', value: reports.perSec, unit: '/s', target: null, ok: reports.ok > 0, detail: `${reports.ok} plays batches of 10, group commit` },
      { section: 'refserver', name: 'heartbeats accepted per second, durable (SQLite, committed before 204)', value: heartbeats.perSec, unit: '/s', target: null, ok: heartbeats.ok > 0, detail: `${heartbeats.ok} heartbeat reports, 16 boards at once` }
    ]
  } finally {
    await server.close()
    await database.close()
    await rm(dir, { recursive: true, force: true })
  }
}
