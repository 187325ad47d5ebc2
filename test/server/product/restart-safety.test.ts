// Restart safety of the product: a real server child driven by an operator (admin API) and boards (device
// API), killed with SIGKILL at random points 50 times. After each restart: the database is consistent,
// no partial media file exists, a publication is all or nothing, every acknowledged token, emergency,
// clear and play is there, and an emergency active before the kill can still be cleared.
import { createHash, randomBytes } from 'node:crypto'
import SQLite from 'better-sqlite3'
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { paths } from '../../../main/core/protocol/api'
import { openSigned, trustedKeysFrom } from '../../../main/core/protocol/signing'
import { useTempDirs } from '../../helpers/temp-dir'
import { manifestFor, rawRequest } from '../helpers'
import { admin, buildProduct, json, kill9, removeBuild, startProduct, type Product } from './product-process'

const KILLS = 50
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex')

/** What the server acknowledged, so must still hold after any kill; `inFlight` may or may not have landed. */
interface Model {
  tokens: Map<string, string>
  acked: string | null
  inFlight: string | null
  active: Set<string>
  /** A pairing approved (acknowledged) whose board had not collected its token when the server died. */
  uncollected: { pairingId: string; deviceId: string } | null
  collectedAfterRestart: number
  /** A clear sent but not answered when the server died: either outcome is right. */
  clearing: string | null
  cleared: Set<string>
  plays: Map<string, Set<string>>
}

async function contentFolder(root: string, version: string): Promise<string> {
  const folder = join(root, version)
  await mkdir(join(folder, 'media'), { recursive: true })
  // Big enough that a kill often lands mid-copy (the media file write).
  const bytes = randomBytes(100_000 + Math.floor(Math.random() * 1_000_000))
  await writeFile(join(folder, 'media', 'image-0.png'), bytes)
  await writeFile(join(folder, 'manifest.json'), JSON.stringify(manifestFor(version, [{ sha: sha256(bytes), size: bytes.length }])))
  return folder
}

async function mediaFiles(dataDir: string): Promise<string[]> {
  const entries = await readdir(join(dataDir, 'media'), { withFileTypes: true, recursive: true }).catch(() => [])
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name))
}

async function check(product: Product, dataDir: string, model: Model): Promise<void> {
  // The database file passes SQLite's own check (read-only, beside the running server).
  const sqlite = new SQLite(join(dataDir, 'bangtin.sqlite'), { readonly: true })
  try {
    expect(sqlite.pragma('integrity_check', { simple: true })).toBe('ok')
  } finally {
    sqlite.close()
  }
  // Every file in the media folder is whole: its content hashes to its name (no partial file under a final name).
  for (const file of await mediaFiles(dataDir)) expect(sha256(await readFile(file)), file).toBe(file.split('/').pop())
  // An approved board collects its token after the restart.
  if (model.uncollected !== null) {
    const { pairingId, deviceId } = model.uncollected
    const status = json<{ state: string; deviceId: string; token: string }>(await rawRequest(`${product.url}${paths.pairing(pairingId)}`))
    expect(status).toMatchObject({ state: 'approved', deviceId })
    model.tokens.set(deviceId, status.token)
    model.uncollected = null
    model.collectedAfterRestart++
  }
  // Every board keeps its token.
  for (const [deviceId, token] of model.tokens) {
    const res = await rawRequest(`${product.url}${paths.manifest(deviceId)}`, { headers: { authorization: `Bearer ${token}` } })
    expect([200, 404], `${deviceId}: ${res.status}`).toContain(res.status)
  }
  const [deviceId, token] = [...model.tokens][0]!
  const res = await rawRequest(`${product.url}${paths.manifest(deviceId)}`, { headers: { authorization: `Bearer ${token}` } })
  if (model.acked === null && res.status === 404) return
  expect(res.status).toBe(200)
  // Signed with the province key the first start made (checked as a board checks it).
  const trusted = trustedKeysFrom([{ keyId: 'k1', publicKey: await readFile(join(dataDir, 'public-key.pem'), 'utf8') }])
  const manifest = openSigned(JSON.parse(res.body.toString()), trusted) as { version: string; assets: { sha256: string; url: string }[]; emergencies: { id: string }[] }
  // All or nothing: the version is the last acknowledged one or the one in flight, and all its files are there.
  expect([model.acked, model.inFlight]).toContain(manifest.version)
  if (manifest.version === model.inFlight) {
    model.acked = model.inFlight
    model.inFlight = null
  }
  for (const asset of manifest.assets) {
    const file = await rawRequest(`${product.url}${asset.url}`, { headers: { authorization: `Bearer ${token}` } })
    expect(file.status).toBe(200)
    expect(sha256(file.body)).toBe(asset.sha256)
  }
  const listed = new Set(manifest.emergencies.map((e) => e.id))
  if (model.clearing !== null && !listed.has(model.clearing)) {
    model.active.delete(model.clearing)
    model.cleared.add(model.clearing)
  }
  model.clearing = null
  for (const id of model.active) expect(listed.has(id), `active emergency ${id}`).toBe(true)
  for (const id of model.cleared) expect(listed.has(id), `cleared emergency ${id}`).toBe(false)
  const db = new SQLite(join(dataDir, 'bangtin.sqlite'), { readonly: true })
  try {
    const rows = db.prepare('select device_id, play_id from device_plays').all() as { device_id: string; play_id: string }[]
    const stored = new Set(rows.map((r) => `${r.device_id}/${r.play_id}`))
    for (const [device, ids] of model.plays) for (const id of ids) expect(stored.has(`${device}/${id}`), `play ${id}`).toBe(true)
  } finally {
    db.close()
  }
}

/** Operator and boards at work until the server dies under them; records only what was acknowledged. */
async function workload(product: Product, content: string, model: Model, step: number): Promise<void> {
  let n = 0
  for (;;) {
    n++
    const roll = Math.random()
    if (roll < 0.2) {
      const version = `v-${step}-${n}`
      const folder = await contentFolder(content, version)
      model.inFlight = version
      const res = await admin(product, 'POST', '/admin/publish', { folder })
      if (res.status !== 200) throw new Error(`publish: ${res.status} ${res.body.toString()}`)
      model.acked = version
      model.inFlight = null
    } else if (model.active.size === 0 || (roll < 0.4 && model.active.size < 10)) {
      const res = await admin(product, 'POST', '/admin/emergency', { title: `Khẩn ${step}-${n}`, ttlSec: 24 * 3600 })
      if (res.status !== 201) throw new Error(`emergency: ${res.status}`)
      model.active.add(json<{ id: string }>(res).id)
    } else if (roll < 0.55) {
      // An emergency sent before some earlier kill is cleared after it.
      const id = [...model.active][0]!
      model.clearing = id
      const res = await admin(product, 'POST', '/admin/emergency/clear', { id })
      if (res.status !== 200) throw new Error(`clear ${id}: ${res.status} ${res.body.toString()}`)
      model.clearing = null
      model.active.delete(id)
      model.cleared.add(id)
    } else if (roll < 0.65 && model.tokens.size < 12) {
      const started = json<{ pairingId: string; code: string }>(await rawRequest(`${product.url}${paths.pairings()}`, { method: 'POST' }))
      const deviceId = `board-${step}-${n}`
      const approved = await admin(product, 'POST', '/admin/pairings/approve', { code: started.code, deviceId })
      if (approved.status !== 200) throw new Error(`approve: ${approved.status}`)
      model.uncollected = { pairingId: started.pairingId, deviceId }
      const status = json<{ state: string; token?: string }>(await rawRequest(`${product.url}${paths.pairing(started.pairingId)}`))
      if (status.state !== 'approved' || !status.token) throw new Error(`pairing status ${JSON.stringify(status)}`)
      model.tokens.set(deviceId, status.token)
      model.uncollected = null
    } else {
      const [deviceId, token] = [...model.tokens][Math.floor(Math.random() * model.tokens.size)]!
      const entries = Array.from({ length: 20 }, (_, i) => ({ id: `${step}-${n}-${i}`, seq: i + 1, itemId: 'notice', programVersion: 'v', startedAt: 1_700_000_000_000 + i, endedAt: 1_700_000_005_000 + i }))
      const report = { kind: 'plays', batch: { batchId: `b-${step}-${n}`, entries, dropped: { entries: 0, segments: 0 } } }
      const res = await rawRequest(`${product.url}${paths.reports(deviceId)}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(report) })
      if (res.status !== 204) throw new Error(`report: ${res.status}`)
      const ids = model.plays.get(deviceId) ?? new Set<string>()
      for (const entry of entries) ids.add(entry.id)
      model.plays.set(deviceId, ids)
    }
  }
}

describe('product restart safety', () => {
  const tempDir = useTempDirs()
  beforeAll(buildProduct)
  afterAll(removeBuild)
  let running: Product | null = null
  afterEach(async () => {
    if (running) await kill9(running)
  })

  it(`survives ${KILLS} kill -9 at random points: acknowledged state kept, nothing half-stored`, { timeout: 300_000 }, async () => {
    const root = await tempDir()
    const dataDir = join(root, 'data')
    const content = join(root, 'content')
    const model: Model = { tokens: new Map(), acked: null, inFlight: null, active: new Set(), clearing: null, uncollected: null, collectedAfterRestart: 0, cleared: new Set(), plays: new Map() }
    running = await startProduct(dataDir)
    const adminToken = running.adminToken
    const added = await admin(running, 'POST', '/admin/devices', { deviceId: 'board-0' })
    model.tokens.set('board-0', json<{ token: string }>(added).token)
    let midPublish = 0
    for (let kill = 0; kill < KILLS; kill++) {
      const product = running
      let killing = false
      // The work ends only by the kill: a failure while the server is alive is a bug, not a casualty.
      const work = workload(product, content, model, kill).catch((error: unknown) => (killing ? 'died' : error))
      // A random point: from right after start-up to well into the work.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 300))
      killing = true
      if (model.inFlight !== null) midPublish++
      await kill9(product)
      expect(await work).toBe('died')
      running = await startProduct(dataDir)
      expect(running.adminToken).toBe(adminToken)
      await check(running, dataDir, model)
    }
    console.log(`restart safety: ${KILLS} kills (${midPublish} during a publish); ${model.tokens.size} boards (${model.collectedAfterRestart} collected their token after a restart), ${model.cleared.size} clears, ${model.active.size} active emergencies, last version ${model.acked}`)
  })
})
