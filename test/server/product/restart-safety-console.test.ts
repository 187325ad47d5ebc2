// Restart safety through the console API: editors upload media (large enough that kills land mid-upload),
// write notices, and schedule; an approver approves (which publishes), sends emergencies from a template and
// clears them; a real product child is SIGKILLed at random points, 50 times. After each restart: the database
// is consistent, every media file hashes to its name, every acknowledged item is there with its file, nothing
// is left "publishing", and the board's manifest holds every acknowledged approval (plus perhaps the one in
// flight) with all its files, every acknowledged emergency and none acknowledged cleared.
import { randomBytes } from 'node:crypto'
import { deflateSync } from 'node:zlib'
import SQLite from 'better-sqlite3'
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { useTempDirs } from '../../helpers/temp-dir'
import { rawRequest, sha256 } from '../helpers'
import { boardManifest, collectToken, ConsoleSession, startPairing, startProductLines, type StartedProduct } from './console-client'
import { buildProduct, kill9, removeBuild } from './product-process'

const KILLS = 50

/** A valid RGB PNG of noise, stored uncompressed: 0.3–1.5 MB, so a kill often lands mid-upload. */
function noisyPng(): Buffer {
  const width = 300 + Math.floor(Math.random() * 400)
  const height = 300
  const rows = Buffer.concat(Array.from({ length: height }, () => Buffer.concat([Buffer.from([0]), randomBytes(width * 3)])))
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4)
    length.writeUInt32BE(data.length)
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data])
    const crc = Buffer.alloc(4)
    crc.writeUInt32BE(crc32(body))
    return Buffer.concat([length, body, crc])
  }
  const header = Buffer.alloc(13)
  header.writeUInt32BE(width, 0)
  header.writeUInt32BE(height, 4)
  header.set([8, 2, 0, 0, 0], 8)
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', deflateSync(rows, { level: 0 })), chunk('IEND', Buffer.alloc(0))])
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})
function crc32(bytes: Buffer): number {
  let c = 0xffffffff
  for (const byte of bytes) c = (CRC_TABLE[(c ^ byte) & 0xff] as number) ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}

interface People {
  editor: string
  approver: string
  district: string
  commune: string
  board: { deviceId: string; token: string }
}

interface Model {
  /** Acknowledged uploads: content id → sha256 of the bytes. */
  uploads: Map<string, string>
  notices: string[]
  /** Entries whose approval was acknowledged: each must be in the board's manifest. */
  approved: Set<string>
  /** An approval sent but not answered: either outcome is right. */
  approving: string | null
  /** Submissions found waiting after a restart and approved then. */
  recovered: number
  /** Emergencies whose send was acknowledged and not cleared: listed in the board's manifest. */
  active: Set<string>
  /** Acknowledged clears: no longer listed. */
  cleared: Set<string>
  /** A clear sent but not answered when the server died: either outcome is right. */
  clearing: string | null
}

/** A console client for a script: an API token as Bearer (no cookie, no CSRF; survives restarts). */
function api(url: string, token: string) {
  return async <T>(method: string, path: string, body?: unknown, raw?: Buffer): Promise<{ status: number; body: T }> => {
    const headers: Record<string, string> = { authorization: `Bearer ${token}` }
    if (raw) headers['content-type'] = 'application/octet-stream'
    else if (body !== undefined) headers['content-type'] = 'application/json'
    const res = await rawRequest(`${url}${path}`, { method, headers, ...(raw ? { body: raw } : body !== undefined ? { body: JSON.stringify(body) } : {}) })
    const text = res.body.toString()
    return { status: res.status, body: (text ? JSON.parse(text) : null) as T }
  }
}

async function setUp(product: StartedProduct): Promise<People> {
  const url = product.url
  const admin = await ConsoleSession.firstSignIn(url, product.firstAdmin!.username, product.firstAdmin!.password, 'quản-trị-tỉnh-2026')
  const province = (await admin.ok<{ unit: { id: string } }>('GET', '/console/api/me')).unit.id
  const district = await admin.ok<{ id: string }>('POST', '/console/api/units', { parentId: province, name: 'Huyện Ninh Phước' })
  const commune = await admin.ok<{ id: string }>('POST', '/console/api/units', { parentId: district.id, name: 'Xã Phước Hậu' })
  const tokenOf = async (username: string, role: string): Promise<string> => {
    const made = await admin.ok<{ password: string }>('POST', '/console/api/users', { unitId: district.id, username, displayName: username, role })
    const session = await ConsoleSession.firstSignIn(url, username, made.password, `${username}-mật-khẩu-mới`)
    return (await session.ok<{ token: string }>('POST', '/console/api/tokens', { name: 'kịch bản' })).token
  }
  const pairing = await startPairing(url)
  const placed = await admin.ok<{ deviceId: string }>('POST', '/console/api/pairings/approve', { code: pairing.code, unitId: commune.id, displayName: 'Bảng UBND xã' })
  const board = await collectToken(url, pairing.pairingId)
  expect(board.deviceId).toBe(placed.deviceId)
  return { editor: await tokenOf('bientap', 'bien-tap'), approver: await tokenOf('duyet', 'duyet'), district: district.id, commune: commune.id, board }
}

async function mediaFiles(dataDir: string): Promise<string[]> {
  const entries = await readdir(join(dataDir, 'media'), { withFileTypes: true, recursive: true }).catch(() => [])
  return entries.filter((e) => e.isFile() && !e.name.startsWith('.tmp')).map((e) => join(e.parentPath, e.name))
}

async function check(product: StartedProduct, dataDir: string, people: People, model: Model): Promise<void> {
  const sqlite = new SQLite(join(dataDir, 'bangtin.sqlite'), { readonly: true })
  try {
    expect(sqlite.pragma('integrity_check', { simple: true })).toBe('ok')
    // Nothing left half-approved: a submission caught publishing was put back to waiting at start.
    expect(sqlite.prepare("select count(*) as n from editorial_submission where state = 'publishing'").get()).toEqual({ n: 0 })
    // Every media item's file is there (the row is written after the file).
    const rows = sqlite.prepare('select media_sha256 as sha from library_content where media_sha256 is not null').all() as { sha: string }[]
    const files = new Set((await mediaFiles(dataDir)).map((f) => f.split('/').pop()))
    for (const { sha } of rows) expect(files.has(sha), `media ${sha}`).toBe(true)
  } finally {
    sqlite.close()
  }
  for (const file of await mediaFiles(dataDir)) expect(sha256(await readFile(file)), file).toBe(file.split('/').pop())
  const editor = api(product.url, people.editor)
  for (const [id, sha] of model.uploads) {
    const item = await editor<{ id: string }>('GET', `/console/api/library/items/${id}`)
    expect(item.status, `upload ${id} (${sha})`).toBe(200)
  }
  for (const id of model.notices) expect((await editor('GET', `/console/api/library/items/${id}`)).status).toBe(200)
  // Whatever waits (filed before a kill, or put back by the restart after a kill mid-publication) can be
  // approved now, and then is published: an approval is never stuck.
  const approver = api(product.url, people.approver)
  const waiting = await approver<{ submissions: { id: number; subjectId: string; state: string }[] }>('GET', '/console/api/approvals')
  for (const submission of waiting.body.submissions) {
    const approved = await approver<{ state: string }>('POST', `/console/api/approvals/${submission.id}/approve`)
    expect([approved.status, approved.body.state], JSON.stringify(approved.body)).toEqual([200, 'approved'])
    model.approved.add(submission.subjectId)
    model.recovered++
  }
  // The board's manifest: every acknowledged approval, all its files there and whole.
  model.approving = null
  const got = await boardManifest(product, people.board)
  if (model.approved.size === 0 && got.status === 404) return
  expect(got.status).toBe(200)
  const manifest = got.document as { playlists: { id: string }[]; assets: { sha256: string; url: string }[]; emergencies: { id: string }[] }
  // Every acknowledged emergency is still listed and every acknowledged clear is not; an unanswered clear may have landed.
  const listed = new Set(manifest.emergencies.map((e) => e.id))
  if (model.clearing !== null && !listed.has(model.clearing)) {
    model.active.delete(model.clearing)
    model.cleared.add(model.clearing)
  }
  model.clearing = null
  for (const id of model.active) expect(listed.has(id), `active emergency ${id}`).toBe(true)
  for (const id of model.cleared) expect(listed.has(id), `cleared emergency ${id}`).toBe(false)
  const playing = new Set(manifest.playlists.map((p) => p.id))
  for (const id of model.approved) expect(playing.has(id), `approved entry ${id}`).toBe(true)
  for (const asset of manifest.assets) {
    const file = await rawRequest(new URL(asset.url, `${product.url}/api/v1/devices/x/manifest`).toString(), { headers: { authorization: `Bearer ${people.board.token}` } })
    expect(file.status).toBe(200)
    expect(sha256(file.body)).toBe(asset.sha256)
  }
}

/** Editors and an approver at work until the server dies under them; records only what was acknowledged. */
async function workload(product: StartedProduct, people: People, model: Model, step: number): Promise<void> {
  const editor = api(product.url, people.editor)
  const approver = api(product.url, people.approver)
  const must = <T>(answer: { status: number; body: T }, what: string): T => {
    if (answer.status < 200 || answer.status > 299) throw new Error(`${what}: ${answer.status} ${JSON.stringify(answer.body)}`)
    return answer.body
  }
  for (let n = 0; ; n++) {
    const roll = Math.random()
    if (roll < 0.4 || model.uploads.size === 0) {
      const bytes = noisyPng()
      const made = must(await editor<{ item: { id: string } }>('POST', `/console/api/library/uploads?unitId=${people.district}&fileName=anh-${step}-${n}.png`, undefined, bytes), 'upload')
      model.uploads.set(made.item.id, sha256(bytes))
    } else if (roll < 0.55 && model.active.size < 8) {
      const sent = must(
        await approver<{ id: string }>('POST', '/console/api/emergencies', {
          templateId: 'bao',
          fields: { ten_bao: `số ${step}-${n}`, dia_ban: 'xã Phước Hậu', thoi_gian: '14 giờ', dien_thoai: '0259 3822 113' },
          unitIds: [people.commune],
          ttlSec: 24 * 3600
        }),
        'emergency'
      )
      model.active.add(sent.id)
    } else if (roll < 0.6 && model.active.size > 0) {
      // The oldest: often sent before an earlier kill, cleared after it.
      const id = [...model.active][0]!
      model.clearing = id
      must(await approver('POST', `/console/api/emergencies/${id}/clear`, {}), `clear ${id}`)
      model.clearing = null
      model.active.delete(id)
      model.cleared.add(id)
    } else if (roll < 0.7) {
      const made = must(await editor<{ id: string }>('POST', '/console/api/library/text-notices', { unitId: people.district, title: `Thông báo số ${step}-${n}`, body: 'Đề nghị bà con chú ý theo dõi thông tin.' }), 'notice')
      model.notices.push(made.id)
    } else {
      // Schedule the newest image, submit, approve: the approval publishes.
      const image = [...model.uploads.keys()].at(-1)!
      const playlist = must(await editor<{ id: string }>('POST', '/console/api/playlists', { unitId: people.district, name: `Danh sách ${step}-${n}`, items: [{ contentId: image, durationSec: 10 }] }), 'playlist')
      const entry = must(await editor<{ id: string }>('POST', '/console/api/schedule-entries', { unitId: people.district, playlistId: playlist.id, name: `Lịch ${step}-${n}`, targetUnitIds: [people.commune] }), 'entry')
      must(await editor('POST', `/console/api/schedule-entries/${entry.id}/submit`), 'submit')
      const submission = must(await editor<{ id: number }>('POST', '/console/api/approvals', { kind: 'schedule-entry', subjectId: entry.id }), 'file for approval')
      model.approving = entry.id
      must(await approver('POST', `/console/api/approvals/${submission.id}/approve`), 'approve')
      model.approved.add(entry.id)
      model.approving = null
    }
  }
}

describe('product restart safety through the console API', () => {
  const tempDir = useTempDirs()
  beforeAll(buildProduct)
  afterAll(removeBuild)
  let running: StartedProduct | null = null
  afterEach(async () => {
    if (running) await kill9(running)
  })

  it(`survives ${KILLS} kill -9 during uploads, approvals and emergency sends: acknowledged items, publications, emergencies and clears kept, nothing half-stored`, { timeout: 600_000 }, async () => {
    const dataDir = join(await tempDir(), 'data')
    running = await startProductLines(dataDir)
    const people = await setUp(running)
    const model: Model = { uploads: new Map(), notices: [], approved: new Set(), approving: null, recovered: 0, active: new Set(), cleared: new Set(), clearing: null }
    let midApproval = 0
    for (let kill = 0; kill < KILLS; kill++) {
      const product = running
      let killing = false
      const work = workload(product, people, model, kill).catch((error: unknown) => (killing ? 'died' : error))
      await new Promise((resolve) => setTimeout(resolve, 100 + Math.random() * 600))
      killing = true
      if (model.approving !== null) midApproval++
      await kill9(product)
      expect(await work).toBe('died')
      running = await startProductLines(dataDir)
      // The first administrator's one-time password is printed once, at the first start only.
      expect(running.firstAdmin).toBeNull()
      await check(running, dataDir, people, model)
    }
    console.log(`console restart safety: ${KILLS} kills (${midApproval} during an approval); ${model.uploads.size} uploads, ${model.notices.length} notices, ${model.approved.size} approvals acknowledged, ${model.recovered} found waiting after a restart and approved; ${model.cleared.size} clears, ${model.active.size} emergencies active`)
  })
})
