// The device side made durable: a reference server given a database commits what it acknowledges and a
// second server on the same database (a restart) answers boards as the first did. Real SQLite files,
// real HTTP on 127.0.0.1, real socket.io.
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { io } from 'socket.io-client'
import { describe, expect, it } from 'vitest'
import { ADDRESSED_MEDIA_TYPE } from '../../../main/core/protocol/addressed'
import { deviceEvents, paths, PUSH_NAMESPACE, pushEvents } from '../../../main/core/protocol/api'
import { generateSigningKey } from '../../../main/core/protocol/signing'
import { openSqlite, type OpenedDatabase } from '../../../server/db/database'
import { startReferenceServer, type ReferenceServer } from '../../../server/reference-server'
import { useTempDirs } from '../../helpers/temp-dir'
import { bearer, connected, manifestFor, nextEvent, patternBytes, rawRequest, sha256 } from '../helpers'

const image = patternBytes(50_000)
const imageSha = sha256(image)
const TOKEN = 'token-board-1-secret'

describe('durable device side', () => {
  const tempDir = useTempDirs()

  async function open(dir: string): Promise<{ server: ReferenceServer; database: OpenedDatabase; close(): Promise<void> }> {
    const database = await openSqlite(join(dir, 'source.sqlite'))
    const server = await startReferenceServer({ database: { db: database.db, dataDir: dir } })
    return {
      server,
      database,
      close: async () => {
        await server.close()
        await database.close()
      }
    }
  }

  it('keeps devices, publications, files, emergencies, clears and reports across a restart; tokens only hashed', async () => {
    const dir = await tempDir()
    const first = await open(dir)
    first.server.addDevice('board-1', TOKEN)
    first.server.addDevice('board-2', 'token-board-2-secret')
    await first.server.durable()
    const version = first.server.publish(manifestFor('v1', [{ sha: imageSha, size: image.length }]), new Map([[imageSha, image]]))
    const kept = first.server.emergency({ title: 'Bão số 3', ttlSec: 3600 })
    const cleared = first.server.emergency({ title: 'Đã qua', ttlSec: 3600 })
    await first.server.durable()
    first.server.clearEmergency(cleared.id)
    await first.server.durable()
    const play = { id: 'p-1', seq: 1, itemId: 'notice', programVersion: version, startedAt: 1_700_000_000_000, endedAt: 1_700_000_010_000 }
    const report = { kind: 'plays', batch: { batchId: 'b-1', entries: [play], dropped: { entries: 0, segments: 0 } } }
    const url = first.server.url
    for (let i = 0; i < 2; i++) {
      const res = await rawRequest(`${url}${paths.reports('board-1')}`, { method: 'POST', headers: { ...bearer(TOKEN), 'content-type': 'application/json' }, body: JSON.stringify(report) })
      expect(res.status, res.body.toString()).toBe(204)
    }
    await first.close()

    // Tokens never in clear: not in the database file, not in its WAL.
    for (const name of await readdir(dir)) {
      if (!name.startsWith('source.sqlite')) continue
      expect((await readFile(join(dir, name))).includes(Buffer.from(TOKEN))).toBe(false)
    }
    // The file lives in the content-addressed folder under its hash.
    expect(sha256(await readFile(join(dir, 'media', imageSha.slice(0, 2), imageSha)))).toBe(imageSha)

    const second = await open(dir)
    try {
      const { server } = second
      const manifest = await rawRequest(`${server.url}${paths.manifest('board-1')}`, { headers: bearer(TOKEN) })
      expect(manifest.status).toBe(200)
      const body = JSON.parse(manifest.body.toString()) as { version: string; emergencies: { id: string }[] }
      expect(body.version).toBe(version)
      expect(body.emergencies.map((e) => e.id)).toEqual([kept.id])
      const asset = await rawRequest(`${server.url}${paths.asset(imageSha)}`, { headers: bearer(TOKEN) })
      expect(asset.status).toBe(200)
      expect(asset.body.equals(image)).toBe(true)
      expect(server.playRecords('board-1').map((p) => p.id)).toEqual(['p-1'])
      const rows = await second.database.db.selectFrom('device_plays').selectAll().execute()
      expect(rows).toHaveLength(1)
      expect((await rawRequest(`${server.url}${paths.manifest('board-1')}`, { headers: bearer('wrong') })).status).toBe(401)
    } finally {
      await second.close()
    }
  })

  it('commits before acknowledging: an admin answer means the row is there', async () => {
    const dir = await tempDir()
    const opened = await open(dir)
    try {
      const { server, database } = opened
      const res = await rawRequest(`${server.url}/admin/emergency`, {
        method: 'POST',
        headers: { ...bearer(server.adminToken), 'content-type': 'application/json' },
        body: JSON.stringify({ title: 'Lũ quét', ttlSec: 600 })
      })
      expect(res.status).toBe(201)
      const { id } = JSON.parse(res.body.toString()) as { id: string }
      const row = await database.db.selectFrom('device_emergencies').select(['id']).where('id', '=', id).executeTakeFirst()
      expect(row?.id).toBe(id)
    } finally {
      await opened.close()
    }
  })

  it('a manifest is sealed once and kept: after a restart the board gets the same ETag (304), not a fresh signature', async () => {
    const dir = await tempDir()
    const key = generateSigningKey()
    const signingKey = { keyId: 'tinh', privateKeyPem: key.privateKeyPem }
    const start = async () => {
      const database = await openSqlite(join(dir, 'source.sqlite'))
      const server = await startReferenceServer({ signingKey, database: { db: database.db, dataDir: dir } })
      return { server, close: async () => (await server.close(), await database.close()) }
    }
    const first = await start()
    first.server.addDevice('board-1', TOKEN)
    first.server.publish(manifestFor('v1', []), new Map())
    await first.server.durable()
    const url = `${first.server.url}${paths.manifest('board-1')}`
    const headers = { ...bearer(TOKEN), accept: ADDRESSED_MEDIA_TYPE }
    const served = await rawRequest(url, { headers })
    const again = await rawRequest(url, { headers })
    expect(again.body.equals(served.body)).toBe(true)
    await first.close()
    const second = await start()
    try {
      const etag = String(served.headers.etag)
      const revalidated = await rawRequest(`${second.server.url}${paths.manifest('board-1')}`, { headers: { ...headers, 'if-none-match': etag } })
      expect(revalidated.status).toBe(304)
    } finally {
      await second.close()
    }
  })

  it('a pairing survives restarts: asked before one, approved before another, collected after; the token is nowhere in the database', async () => {
    const dir = await tempDir()
    let opened = await open(dir)
    const started = JSON.parse((await rawRequest(`${opened.server.url}${paths.pairings()}`, { method: 'POST' })).body.toString()) as { pairingId: string; code: string }
    await opened.close()
    opened = await open(dir)
    expect(opened.server.pendingPairings().map((p) => p.code)).toEqual([started.code])
    const approved = await rawRequest(`${opened.server.url}/admin/pairings/approve`, {
      method: 'POST',
      headers: { ...bearer(opened.server.adminToken), 'content-type': 'application/json' },
      body: JSON.stringify({ code: started.code, deviceId: 'board-7', boardName: 'UBND xã Phú An' })
    })
    expect(approved.status).toBe(200)
    await opened.close()
    opened = await open(dir)
    try {
      const status = JSON.parse((await rawRequest(`${opened.server.url}${paths.pairing(started.pairingId)}`)).body.toString()) as { state: string; token: string; boardName: string }
      expect(status).toMatchObject({ state: 'approved', deviceId: 'board-7', boardName: 'UBND xã Phú An' })
      for (const name of await readdir(dir)) {
        if (name.startsWith('source.sqlite')) expect((await readFile(join(dir, name))).includes(Buffer.from(status.token))).toBe(false)
      }
      opened.server.publish(manifestFor('v1', []), new Map())
      await opened.server.durable()
      expect((await rawRequest(`${opened.server.url}${paths.manifest('board-7')}`, { headers: bearer(status.token) })).status).toBe(200)
      // Handed over once.
      expect((await rawRequest(`${opened.server.url}${paths.pairing(started.pairingId)}`)).status).toBe(404)
    } finally {
      await opened.close()
    }
  })

  it('keeps uploads (bytes as files), acks and command results across a restart; a command result is kept only from a board it was for', async () => {
    const dir = await tempDir()
    let opened = await open(dir)
    opened.server.addDevice('board-1', TOKEN)
    opened.server.addDevice('board-2', 'token-board-2-secret')
    await opened.server.durable()
    const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), patternBytes(20_000)])
    const query = new URLSearchParams({ kind: 'screenshot', id: 'shot-1', takenAt: new Date().toISOString(), contentType: 'image/jpeg', width: '1920', height: '1080' })
    const uploaded = await rawRequest(`${opened.server.url}${paths.uploads('board-1')}?${query}`, { method: 'POST', headers: { ...bearer(TOKEN), 'content-type': 'image/jpeg' }, body: jpeg })
    expect(uploaded.status, uploaded.body.toString()).toBe(204)

    const socket = io(`${opened.server.url}${PUSH_NAMESPACE}`, { auth: { deviceId: 'board-1', token: TOKEN }, transports: ['websocket'], forceNew: true, reconnection: false })
    const other = io(`${opened.server.url}${PUSH_NAMESPACE}`, { auth: { deviceId: 'board-2', token: 'token-board-2-secret' }, transports: ['websocket'], forceNew: true, reconnection: false })
    try {
      await Promise.all([connected(socket), connected(other)])
      const received = nextEvent(socket, pushEvents.command, 20_000)
      const command = opened.server.command('screenshot', {}, { deviceIds: ['board-1'] })
      await received
      const ack = { kind: 'command', id: command.id, at: new Date().toISOString(), ok: true, detail: 'chụp xong' }
      // Answered only once stored.
      expect(await socket.emitWithAck(deviceEvents.ack, ack)).toEqual({ ok: true })
      expect(await other.emitWithAck(deviceEvents.ack, { ...ack, ok: false })).toEqual({ ok: true })
      const row = await opened.database.db.selectFrom('device_commands').select(['result']).where('id', '=', command.id).executeTakeFirstOrThrow()
      expect(Object.keys(JSON.parse(row.result ?? '{}') as object)).toEqual(['board-1'])
    } finally {
      socket.close()
      other.close()
    }
    await opened.close()

    opened = await open(dir)
    try {
      const list = JSON.parse((await rawRequest(`${opened.server.url}/admin/uploads`, { headers: bearer(opened.server.adminToken) })).body.toString()) as { uploads: { id: string; bytes: number }[] }
      expect(list.uploads.map((u) => [u.id, u.bytes])).toEqual([['shot-1', jpeg.length]])
      const bytes = await rawRequest(`${opened.server.url}/admin/uploads/shot-1`, { headers: bearer(opened.server.adminToken) })
      expect(bytes.body.equals(jpeg)).toBe(true)
      expect(opened.server.acks.map((a) => a.deviceId)).toEqual(['board-1', 'board-2'])
    } finally {
      await opened.close()
    }
  })

  it('a publication whose file cannot be stored fails whole (500, no rows, no manifest); a request beside it is answered', async () => {
    const dir = await tempDir()
    // The media folder cannot be made (a file is in its place): storing the publication's file fails.
    await writeFile(join(dir, 'media'), 'not a folder')
    const opened = await open(dir)
    try {
      const { server } = opened
      server.addDevice('board-1', TOKEN)
      await server.durable()
      const folder = join(dir, 'content')
      await mkdir(join(folder, 'media'), { recursive: true })
      await writeFile(join(folder, 'media', 'image-0.png'), image)
      await writeFile(join(folder, 'manifest.json'), JSON.stringify(manifestFor('v-khong-luu', [{ sha: imageSha, size: image.length }])))
      const post = (path: string, body: unknown) =>
        rawRequest(`${server.url}${path}`, { method: 'POST', headers: { ...bearer(server.adminToken), 'content-type': 'application/json' }, body: JSON.stringify(body) })
      const [published, emergency] = await Promise.all([post('/admin/publish', { folder }), post('/admin/emergency', { title: 'Vẫn gửi được', ttlSec: 600 })])
      expect(published.status).toBe(500)
      expect(emergency.status).toBe(201)
      expect(await opened.database.db.selectFrom('device_publications').selectAll().execute()).toEqual([])
      expect(await opened.database.db.selectFrom('device_assets').selectAll().execute()).toEqual([])
      expect((await rawRequest(`${server.url}${paths.manifest('board-1')}`, { headers: bearer(TOKEN) })).status).toBe(404)
    } finally {
      await opened.close()
    }
  })
})
