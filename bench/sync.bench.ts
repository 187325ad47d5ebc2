// Sync benchmarks: bytes moved for a one-item change in a 1,000-item manifest, hashing throughput
// against sha256sum, and push → active latency, all against the reference server on loopback.
import { execFile } from 'node:child_process'
import { randomFillSync } from 'node:crypto'
import { mkdtemp, open, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { hashFile } from '../main/core/cache/content-cache'
import { filesOf, makeAsset, manifestWith, startDevice, type TestAsset } from '../test/main/core/sync/sync-fixture'
import { startReferenceServer } from '../server/reference-server'
import { generateSigningKey } from '../main/core/protocol/signing'
import { percentile, type BenchRow } from './report'
import { waitFor } from './wait'

const run = promisify(execFile)

export async function syncBench(options: { hashFileMb: number; pushes: number }): Promise<BenchRow[]> {
  const rows: BenchRow[] = []
  const work = await mkdtemp(join(tmpdir(), 'bangtin-bench-'))
  try {
    rows.push(...(await oneChangedItem(work)))
    rows.push(...(await pushToActive(work, options.pushes)))
    rows.push(...(await hashingThroughput(work, options.hashFileMb)))
  } finally {
    await rm(work, { recursive: true, force: true })
  }
  return rows
}

async function oneChangedItem(work: string): Promise<BenchRow[]> {
  const server = await startReferenceServer({ port: 0, signingKey: benchKey() })
  const assets: TestAsset[] = Array.from({ length: 1000 }, () => makeAsset(4096))
  server.addDevice('bang-tin-01', 'token-bang-tin-01-0123456789')
  server.publish(manifestWith('v1', assets), filesOf(assets))
  const device = await startDevice(server, join(work, 'one-changed'))
  try {
    await waitFor(() => device.activated.length === 1, 120_000)
    const before = { ...server.stats }
    const changed = makeAsset(4096)
    const next = [...assets.slice(0, 999), changed]
    server.publish(manifestWith('v2', next), filesOf([changed]))
    await waitFor(() => device.activated.length === 2, 30_000)
    const assetBytes = server.stats.assetBytesSent - before.assetBytesSent
    const manifestBytes = server.stats.manifestBytesSent - before.manifestBytesSent
    const budget = (changed.bytes.length + manifestBytes) * 1.05
    return [
      {
        section: 'sync',
        name: 'bytes for 1 changed item of 1,000',
        value: assetBytes + manifestBytes,
        unit: 'B',
        target: `≤ ${Math.round(budget)} B (changed + manifest + 5 %)`,
        ok: assetBytes + manifestBytes <= budget,
        detail: `asset bytes ${assetBytes}, manifest bytes ${manifestBytes}, asset requests ${server.stats.assetRequests - before.assetRequests}`
      }
    ]
  } finally {
    await device.stop()
    await server.close()
  }
}

async function pushToActive(work: string, pushes: number): Promise<BenchRow[]> {
  const server = await startReferenceServer({ port: 0, signingKey: benchKey() })
  server.addDevice('bang-tin-01', 'token-bang-tin-01-0123456789')
  const first = makeAsset(1024)
  server.publish(manifestWith('p0', [first]), filesOf([first]))
  const device = await startDevice(server, join(work, 'push'))
  const latencies: number[] = []
  try {
    await waitFor(() => device.activated.length === 1 && device.session.status.push === 'connected', 30_000)
    for (let i = 1; i <= pushes; i++) {
      const asset = makeAsset(16 * 1024)
      const started = performance.now()
      server.publish(manifestWith(`p${i}`, [asset]), filesOf([asset]))
      await waitFor(() => device.activated.length === i + 1, 30_000)
      latencies.push(performance.now() - started)
    }
  } finally {
    await device.stop()
    await server.close()
  }
  return [
    { section: 'sync', name: `push → manifest active, p50 (${pushes} pushes)`, value: percentile(latencies, 50), unit: 'ms', target: null, ok: null },
    { section: 'sync', name: `push → manifest active, p95 (${pushes} pushes)`, value: percentile(latencies, 95), unit: 'ms', target: null, ok: null }
  ]
}

async function hashingThroughput(work: string, sizeMb: number): Promise<BenchRow[]> {
  const path = join(work, 'big.bin')
  const handle = await open(path, 'w')
  const chunk = Buffer.alloc(4 * 1024 * 1024)
  for (let written = 0; written < sizeMb * 1024 * 1024; written += chunk.length) {
    randomFillSync(chunk)
    await handle.write(chunk)
  }
  await handle.close()
  const best = async (fn: () => Promise<unknown>): Promise<number> => {
    let fastest = Infinity
    for (let i = 0; i < 3; i++) {
      const start = performance.now()
      await fn()
      fastest = Math.min(fastest, performance.now() - start)
    }
    return fastest
  }
  // Warm the page cache once so both read from memory, then compare the hashing itself.
  await hashFile(path)
  const ours = await best(() => hashFile(path))
  const reference = await best(() => run('sha256sum', [path]))
  const ratio = reference / ours
  const mbps = (ms: number): number => sizeMb / (ms / 1000)
  return [
    { section: 'sync', name: `hashing ${sizeMb} MB: player`, value: mbps(ours), unit: 'MB/s', target: null, ok: null },
    { section: 'sync', name: `hashing ${sizeMb} MB: sha256sum`, value: mbps(reference), unit: 'MB/s', target: null, ok: null },
    { section: 'sync', name: 'hashing throughput ratio to sha256sum', value: ratio, unit: '×', target: '≥ 0.8', ok: ratio >= 0.8 }
  ]
}

/** Boards take only signed content: the bench's server signs, and startDevice trusts its key. */
function benchKey(): { keyId: string; privateKeyPem: string } {
  return { keyId: 'bench', privateKeyPem: generateSigningKey().privateKeyPem }
}
