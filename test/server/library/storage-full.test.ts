// A full disk or database answers the operator a named, bilingual 507 storage-full, not a 500, and keeps
// the last good state: through real HTTP, a real SQLite file and the real file system (the reserve is set
// above the disk's real free space; SQLite is filled with its own max_page_count).
import { readdir, statfs } from 'node:fs/promises'
import { afterEach, expect, it } from 'vitest'
import type { Authenticated } from '../../../server/api/actor'
import { createConsoleApi } from '../../../server/api/console-api'
import { ACCESS_KINDS } from '../../../server/access/scope'
import { LIBRARY_KINDS, libraryRoutes } from '../../../server/library/routes'
import { startReferenceServer, type ReferenceServer } from '../../../server/reference-server'
import { rawRequest } from '../helpers'
import { useTempDirs } from '../../helpers/temp-dir'
import { makePicture, openTestLibrary, type TestLibrary } from './fixtures/media'

const tempDir = useTempDirs()
const cleanups: (() => Promise<unknown>)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

const editor: Authenticated = {
  actor: { userId: 'u-editor', unitId: 'huyen-a', role: 'bien-tap', subtree: new Set(['huyen-a', 'xa-a1']), atRoot: false, via: 'token' },
  csrfToken: null,
  mustChangePassword: false
}

async function serve(options: Parameters<typeof openTestLibrary>[1] & { storageReserveBytes?: number } = {}) {
  const dir = await tempDir()
  const picture = makePicture(dir, 'p.jpg')
  const t: TestLibrary = await openTestLibrary(dir, options)
  cleanups.push(() => t.opened.close())
  if (options.storageReserveBytes !== undefined) t.library.storageReserveBytes = options.storageReserveBytes
  const consoleApi = createConsoleApi({ db: t.opened.db, routes: libraryRoutes, kinds: { ...ACCESS_KINDS, ...LIBRARY_KINDS }, services: { library: t.library }, authenticate: async () => editor })
  const server: ReferenceServer = await startReferenceServer({ consoleApi })
  cleanups.push(() => server.close())
  const call = async (path: string, body: Buffer | object) => {
    const raw = Buffer.isBuffer(body)
    const res = await rawRequest(`${server.url}${path}`, { method: 'POST', headers: { authorization: 'Bearer x', 'content-type': raw ? 'application/octet-stream' : 'application/json' }, body: raw ? body : JSON.stringify(body) })
    return { status: res.status, json: JSON.parse(res.body.toString()) as { error?: { code: string; field: string | null; vi: string; en: string } } }
  }
  const items = () => t.opened.db.selectFrom('library_content').select('id').execute()
  return { dir, t, picture, call, items }
}

it('an upload that would leave less than the reserve free is refused with 507 storage-full naming the body; nothing is stored', async () => {
  const probe = await tempDir()
  const fs = await statfs(probe)
  const s = await serve({ storageReserveBytes: fs.bavail * fs.bsize + 1024 ** 3 })
  const answer = await s.call('/console/api/library/uploads?unitId=xa-a1&fileName=p.jpg', s.picture)
  expect(answer.status).toBe(507)
  expect(answer.json.error).toMatchObject({ code: 'storage-full', field: 'body' })
  expect(answer.json.error?.vi).toMatch(/Máy chủ hết dung lượng lưu trữ/)
  expect(answer.json.error?.en).toMatch(/The server is out of storage/)
  expect(await s.items()).toEqual([])
  expect(await readdir(s.t.mediaRoot).catch(() => [])).toEqual([])
  // With room again, the same upload goes through.
  s.t.library.storageReserveBytes = 0
  expect((await s.call('/console/api/library/uploads?unitId=xa-a1&fileName=p.jpg', s.picture)).status).toBe(201)
})

it('a save the database refuses for lack of space (SQLITE_FULL) answers 507 storage-full; what was stored stays, and saving works once there is room', async () => {
  const s = await serve()
  expect((await s.call('/console/api/library/text-notices', { unitId: 'xa-a1', body: 'Trước' })).status).toBe(201)
  const sqlite = s.t.opened.sqlite
  if (!sqlite) throw new Error('a SQLite file was opened')
  const pages = Number(sqlite.pragma('page_count', { simple: true }))
  sqlite.pragma(`max_page_count = ${pages}`)
  const big = 'Thông báo dài. '.repeat(1300)
  const answer = await s.call('/console/api/library/text-notices', { unitId: 'xa-a1', body: big })
  expect(answer.status).toBe(507)
  expect(answer.json.error).toMatchObject({ code: 'storage-full' })
  expect(answer.json.error?.en).toMatch(/The server is out of storage/)
  expect(await s.items()).toHaveLength(1)
  sqlite.pragma(`max_page_count = ${pages * 100}`)
  expect((await s.call('/console/api/library/text-notices', { unitId: 'xa-a1', body: big })).status).toBe(201)
  expect(await s.items()).toHaveLength(2)
})
