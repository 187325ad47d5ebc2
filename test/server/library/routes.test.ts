// The library's console API through real HTTP on 127.0.0.1, a real SQLite file and real media: upload as a
// streamed body, authored items, list/get/update/delete; roles and units checked route by route; no hash
// in any answer; every change in the audit log.
import { createHash } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Actor, Authenticated } from '../../../server/api/actor'
import { createConsoleApi } from '../../../server/api/console-api'
import { ACCESS_KINDS } from '../../../server/access/scope'
import { LIBRARY_KINDS, libraryRoutes } from '../../../server/library/routes'
import { hasMedia } from '../../../server/library/media-files'
import { startReferenceServer, type ReferenceServer } from '../../../server/reference-server'
import { rawRequest } from '../helpers'
import { useTempDirs } from '../../helpers/temp-dir'
import { craftPng, makeMp4, makePicture, openTestLibrary, type TestLibrary } from './fixtures/media'

const tempDir = useTempDirs()
let t: TestLibrary
let server: ReferenceServer
let jpeg: Buffer
let mp4: Buffer
const inUse = new Map<string, string[]>()

function caller(userId: string, unitId: string, subtree: string[], role: Actor['role'], csrfToken: string | null): Authenticated {
  return { actor: { userId, unitId, role, subtree: new Set(subtree), atRoot: false, via: csrfToken ? 'session' : 'token' }, csrfToken, mustChangePassword: false }
}
const callers: Record<string, Authenticated> = {
  editor: caller('u-editor', 'huyen-a', ['huyen-a', 'xa-a1'], 'bien-tap', 'csrf-editor'),
  approver: caller('u-approver', 'huyen-a', ['huyen-a', 'xa-a1'], 'duyet', null),
  viewer: caller('u-viewer', 'huyen-a', ['huyen-a', 'xa-a1'], 'xem', null),
  other: caller('u-other', 'huyen-b', ['huyen-b'], 'bien-tap', null)
}

beforeAll(async () => {
  const dir = await tempDir()
  jpeg = makePicture(dir, 'p.jpg')
  mp4 = makeMp4(dir)
  // Reads through the db it is given (the DELETE's transaction), as server/programme's answer will.
  t = await openTestLibrary(dir, {
    contentInUse: async (id, db) => {
      await db.selectFrom('library_content').select('id').where('id', '=', id).execute()
      return inUse.get(id) ?? []
    }
  })
  const consoleApi = createConsoleApi({
    db: t.opened.db,
    routes: libraryRoutes,
    kinds: { ...ACCESS_KINDS, ...LIBRARY_KINDS },
    services: { library: t.library },
    authenticate: async (req) => callers[(req.headers.authorization ?? '').replace(/^Bearer /, '')] ?? null
  })
  server = await startReferenceServer({ consoleApi })
}, 60_000)

afterAll(async () => {
  await server?.close()
  await t?.opened.close()
})

// Answers are read loosely here: their shapes are checked with toMatchObject.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>

async function call(who: string, method: string, path: string, body?: unknown) {
  const headers: Record<string, string> = { Authorization: `Bearer ${who}`, ...(callers[who]?.csrfToken ? { 'X-CSRF-Token': callers[who].csrfToken } : {}) }
  let payload: string | Buffer | undefined
  if (Buffer.isBuffer(body)) {
    payload = body
    headers['Content-Type'] = 'application/octet-stream'
  } else if (body !== undefined) {
    payload = JSON.stringify(body)
    headers['Content-Type'] = 'application/json'
  }
  const res = await rawRequest(`${server.url}${path}`, { method, headers, ...(payload !== undefined ? { body: payload } : {}) })
  const text = res.body.toString('utf8')
  return { status: res.status, text, json: (text ? JSON.parse(text) : null) as Json }
}

const upload = (who: string, unitId: string, fileName: string, bytes: Buffer) =>
  call(who, 'POST', `/console/api/library/uploads?unitId=${unitId}&fileName=${encodeURIComponent(fileName)}`, bytes)

describe('upload', () => {
  it('takes a picture and a video as the request body; answers names and sizes, never a hash', async () => {
    const picture = await upload('editor', 'xa-a1', 'Ảnh hội nghị.jpg', jpeg)
    expect(picture.status).toBe(201)
    expect(picture.json).toMatchObject({ alreadyInLibrary: false, notices: [], item: { kind: 'image', name: 'Ảnh hội nghị', unitId: 'xa-a1', file: { format: 'JPEG', width: 64, height: 48 } } })
    const video = await upload('approver', 'huyen-a', 'clip.mp4', mp4)
    expect(video.json).toMatchObject({ item: { kind: 'video', file: { format: 'MP4', width: 160, height: 120, probed: true } } })
    expect(picture.text + video.text).not.toMatch(/[0-9a-f]{64}/)
    expect(await hasMedia(t.mediaRoot, createHash('sha256').update(jpeg).digest('hex'))).toBe(true)
    const audit = await t.opened.db.selectFrom('audit_log').selectAll().where('action', '=', 'library.upload').execute()
    expect(audit.map((row) => row.user_id).sort()).toEqual(['u-approver', 'u-editor'])
  })

  it('refuses, naming the field: an HTML page called .png (body), a 20,000 px PNG (413), a unit outside the subtree (403)', async () => {
    const html = await upload('editor', 'xa-a1', 'anh.png', Buffer.from('<html><body>not a picture</body></html>'.repeat(10)))
    expect(html).toMatchObject({ status: 400, json: { error: { code: 'unsupported-type', field: 'body' } } })
    const bomb = await upload('editor', 'xa-a1', 'bomb.png', craftPng(20_000, 20_000))
    expect(bomb).toMatchObject({ status: 413, json: { error: { code: 'image-too-large', field: 'body' } } })
    expect(bomb.json.error.vi).toContain('20000×20000')
    expect(await upload('editor', 'huyen-b', 'a.jpg', jpeg)).toMatchObject({ status: 403, json: { error: { code: 'forbidden-unit', field: 'query.unitId' } } })
    expect(await upload('viewer', 'xa-a1', 'a.jpg', jpeg)).toMatchObject({ status: 403, json: { error: { code: 'forbidden-role' } } })
  })
})

describe('an image item’s picture', () => {
  it('serves an image’s own bytes to its unit’s users (any role), never another district’s, and no other kind', async () => {
    const picture = await upload('editor', 'xa-a1', 'thumb.jpg', jpeg)
    const id = picture.json.item.id as string
    for (const who of ['editor', 'viewer']) {
      const res = await rawRequest(`${server.url}/console/api/library/items/${id}/image`, { method: 'GET', headers: { Authorization: `Bearer ${who}` } })
      expect(res.status, who).toBe(200)
      expect(res.headers['content-type']).toBe('image/jpeg')
      expect(Buffer.compare(res.body, jpeg)).toBe(0)
    }
    expect(await call('other', 'GET', `/console/api/library/items/${id}/image`)).toMatchObject({ status: 403, json: { error: { code: 'forbidden-unit' } } })
    const video = await upload('editor', 'xa-a1', 'clip2.mp4', mp4)
    expect(await call('editor', 'GET', `/console/api/library/items/${video.json.item.id}/image`)).toMatchObject({ status: 404, json: { error: { code: 'not-an-image', field: 'params.id' } } })
    expect(await call('editor', 'GET', '/console/api/library/items/nope/image')).toMatchObject({ status: 404 })
  })
})

describe('authored items, list, update, delete', () => {
  it('writes a notice, a ticker, a stream; a viewer reads them; another district cannot see or touch them', async () => {
    const notice = await call('editor', 'POST', '/console/api/library/text-notices', { unitId: 'xa-a1', title: 'Thông báo', body: 'Ƀuôn Ea Tu: họp thôn ơ̆' })
    expect(notice).toMatchObject({ status: 201, json: { kind: 'text', title: 'Thông báo', body: 'Ƀuôn Ea Tu: họp thôn ơ̆'.normalize('NFC') } })
    expect(await call('editor', 'POST', '/console/api/library/tickers', { unitId: 'huyen-a', text: 'Chạy chữ', speed: 'cham' })).toMatchObject({ status: 201, json: { speed: 1 } })
    const badStream = await call('editor', 'POST', '/console/api/library/streams', { unitId: 'huyen-a', name: 'x', url: 'ftp://a/b.m3u8' })
    expect(badStream).toMatchObject({ status: 400, json: { error: { code: 'bad-url', field: 'body.url' } } })
    expect(badStream.json.error.vi).toMatch(/https/)

    const id = notice.json.id as string
    const listed = await call('viewer', 'GET', '/console/api/library/items?kind=text')
    expect(listed.json.items.map((item: { id: string }) => item.id)).toEqual([id])
    expect(await call('viewer', 'GET', `/console/api/library/items/${id}`)).toMatchObject({ status: 200, json: { id } })
    expect(await call('viewer', 'PATCH', `/console/api/library/items/${id}`, { title: 'x' })).toMatchObject({ status: 403, json: { error: { code: 'forbidden-role' } } })

    expect(await call('other', 'GET', `/console/api/library/items/${id}`)).toMatchObject({ status: 403, json: { error: { field: 'params.id' } } })
    expect(await call('other', 'PATCH', `/console/api/library/items/${id}`, { title: 'sửa trộm' })).toMatchObject({ status: 403 })
    expect(await call('other', 'DELETE', `/console/api/library/items/${id}`)).toMatchObject({ status: 403 })
    expect(await call('other', 'GET', '/console/api/library/items?unitId=xa-a1')).toMatchObject({ status: 403, json: { error: { field: 'query.unitId' } } })
    expect((await call('other', 'GET', '/console/api/library/items')).json.items).toEqual([])
    expect(await call('other', 'GET', '/console/api/library/items/khong-co')).toMatchObject({ status: 404 })
  })

  it('updates by kind, refuses a field of another kind by name, refuses delete while in a playlist', async () => {
    const notice = await call('editor', 'POST', '/console/api/library/text-notices', { unitId: 'huyen-a', body: 'Cũ' })
    const id = notice.json.id as string
    expect(await call('editor', 'PATCH', `/console/api/library/items/${id}`, { body: 'Mới', name: 'Lịch họp' })).toMatchObject({ status: 200, json: { body: 'Mới', name: 'Lịch họp' } })
    expect(await call('editor', 'PATCH', `/console/api/library/items/${id}`, { fit: 'cover' })).toMatchObject({ status: 400, json: { error: { code: 'not-applicable', field: 'body.fit' } } })
    expect(await call('editor', 'PATCH', `/console/api/library/items/${id}`, { body: '' })).toMatchObject({ status: 400, json: { error: { field: 'body.body' } } })
    inUse.set(id, ['Chiều thứ Sáu'])
    const refused = await call('approver', 'DELETE', `/console/api/library/items/${id}`)
    expect(refused).toMatchObject({ status: 409, json: { error: { code: 'in-use', field: 'params.id' } } })
    inUse.clear()
    expect(await call('approver', 'DELETE', `/console/api/library/items/${id}`)).toMatchObject({ status: 200, json: { deleted: true } })
    expect(await call('editor', 'GET', `/console/api/library/items/${id}`)).toMatchObject({ status: 404 })
    const actions = (await t.opened.db.selectFrom('audit_log').select('action').where('target', '=', id).execute()).map((row) => row.action)
    expect(actions).toEqual(['library.create', 'library.update', 'library.delete'])
  })
})

describe('text notice presets', () => {
  it('takes a colour and size preset, changes them, and refuses an unknown one naming the field', async () => {
    const made = await call('editor', 'POST', '/console/api/library/text-notices', { unitId: 'xa-a1', body: 'Cảnh báo lũ', scheme: 'canh-bao', size: 'vua' })
    expect(made).toMatchObject({ status: 201, json: { kind: 'text', scheme: 'canh-bao', size: 'vua' } })
    const id = made.json.id as string
    expect(await call('editor', 'PATCH', `/console/api/library/items/${id}`, { scheme: 'trang-trong', size: 'lon' })).toMatchObject({ status: 200, json: { scheme: 'trang-trong', size: 'lon' } })
    const bad = await call('editor', 'POST', '/console/api/library/text-notices', { unitId: 'xa-a1', body: 'x', scheme: 'cau-vong' })
    expect(bad).toMatchObject({ status: 400, json: { error: { code: 'bad-scheme', field: 'body.scheme' } } })
    expect(bad.json.error.vi).toMatch(/canh-bao/)
    expect(await call('editor', 'PATCH', `/console/api/library/items/${id}`, { size: 'khong-lo' })).toMatchObject({ status: 400, json: { error: { code: 'bad-size', field: 'body.size' } } })
    // Nothing half-stored: the refused change left the item as it was.
    expect(await call('editor', 'GET', `/console/api/library/items/${id}`)).toMatchObject({ json: { scheme: 'trang-trong', size: 'lon' } })
  })
})
