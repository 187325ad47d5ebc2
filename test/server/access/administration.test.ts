// Administering through the API, as a province and as a district: units (create, rename, move within the
// subtree), users (create with a one-time password, role changes, reset), boards (placement, tags, who
// sees them) and the audit log each sees.
import { afterAll, beforeAll, expect, test } from 'vitest'
import { visibleDeviceIds, canSeeBoard } from '../../../server/access/boards'
import { authenticate } from '../../../server/access/sessions'
import { makeWorld, type World } from './world'

let w: World
beforeAll(async () => {
  w = await makeWorld()
  await w.opened.db.updateTable('users').set({ must_change_password: 0 }).where('username', '=', w.admin.username).execute()
})
afterAll(async () => {
  await w.close()
})

async function province() {
  const client = w.anonymous()
  await client.signIn(w.admin.username, w.admin.password)
  return client
}

test('units: a district administrator creates communes under their district only; levels follow the tree', async () => {
  const admin = await w.clientAs('A', 'quan-tri')
  const created = await admin.call('POST', '/console/api/units', { parentId: w.districtA, name: 'Xã A2' })
  expect(created.status).toBe(201)
  expect(created.json).toMatchObject({ level: 'xa', parentId: w.districtA, name: 'Xã A2' })
  const below = await admin.call('POST', '/console/api/units', { parentId: created.json.id, name: 'Thôn' })
  expect(below).toMatchObject({ status: 409, json: { error: { field: 'body.parentId' } } })
  expect((await admin.call('POST', '/console/api/units', { parentId: w.rootId, name: 'Huyện C' })).json.error).toMatchObject({ code: 'forbidden-unit', field: 'body.parentId' })
  expect((await admin.call('POST', '/console/api/units', { parentId: w.districtA, name: '' })).json.error).toMatchObject({ code: 'bad-input', field: 'body.name' })
  const units = (await (await w.clientAs('A', 'xem')).call('GET', '/console/api/units')).json.units as { id: string }[]
  expect(units.map((u) => u.id).sort()).toEqual([w.districtA, w.communeA, created.json.id].sort())
})

test('units and users: a bidi override or invisible-only name is refused naming the field; Vietnamese and stacked marks are kept', async () => {
  const admin = await w.clientAs('A', 'quan-tri')
  for (const name of ['\u202EnA úhP ãX', '\u200b', 'Xã\u2066 Phú An']) {
    const answer = await admin.call('POST', '/console/api/units', { parentId: w.districtA, name })
    expect(answer, JSON.stringify(name)).toMatchObject({ status: 400, json: { error: { field: 'body.name', vi: expect.stringContaining('Tên đơn vị') } } })
  }
  expect((await admin.call('PATCH', `/console/api/units/${w.communeA}`, { name: '\u202Ex' })).json.error).toMatchObject({ field: 'body.name' })
  const user = { unitId: w.communeA, username: 'tenan', role: 'xem', displayName: '\u200b\u200d' }
  expect((await admin.call('POST', '/console/api/users', user)).json.error).toMatchObject({ field: 'body.displayName', en: expect.stringContaining('display name') })
  expect((await admin.call('POST', '/console/api/users', { ...user, displayName: 'Y Bơ̆ Niê'.normalize('NFD') })).json.user).toMatchObject({ displayName: 'Y Bơ̆ Niê'.normalize('NFC') })
  const stacked = await admin.call('POST', '/console/api/units', { parentId: w.districtA, name: 'Xã Ơ̆ Ŏ̂' })
  expect(stacked.json).toMatchObject({ name: 'Xã Ơ̆ Ŏ̂' })
})

test('units: no two siblings share a name (after NFC, spaces and case; "Phú" and "Phụ" differ), on create, rename and move', async () => {
  const top = await province()
  const made = async (parentId: string, name: string) => top.call('POST', '/console/api/units', { parentId, name })
  const first = await made(w.districtB, 'Xã Phú An')
  expect(first.status).toBe(201)
  for (const again of ['Xã Phú An', '  Xã   Phú An ', 'Xã Phú An'.normalize('NFD'), 'xã phú an', 'XÃ PHÚ AN']) {
    const dup = await made(w.districtB, again)
    expect(dup, JSON.stringify(again)).toMatchObject({ status: 409, json: { error: { code: 'conflict', field: 'body.name', vi: expect.stringContaining('Xã Phú An'), en: expect.stringContaining('already exists') } } })
  }
  // Look-alikes (review2 A-11): invisible, tag, variation, joiner characters and a Cyrillic "а" are refused as text.
  for (const lookalike of ['Xã Phú An\u200e', 'Xã Ph\u2060ú An', 'Xã Ph\u200bú An', 'Xã Phú An\u{e0020}', 'Xã Phú An\ufe0f', 'Xã Ph\u034fú An', 'Xа Phú An', 'Xã \u3164']) {
    expect(await made(w.districtB, lookalike), JSON.stringify(lookalike)).toMatchObject({ status: 400, json: { error: { code: 'bad-input', field: 'body.name' } } })
  }
  // Different names: another diacritic; and the same name under another parent.
  const phu = await made(w.districtB, 'Xã Phụ An')
  expect(phu.status).toBe(201)
  const inA = await made(w.districtA, 'Xã Phú An')
  expect(inA.status).toBe(201)
  // Renaming onto a sibling's name is refused; renaming to its own name is not.
  expect((await top.call('PATCH', `/console/api/units/${phu.json.id}`, { name: 'Xã Phú An' })).json.error).toMatchObject({ code: 'conflict', field: 'body.name' })
  expect((await top.call('PATCH', `/console/api/units/${phu.json.id}`, { name: 'xã PHÚ an' })).json.error).toMatchObject({ code: 'conflict', field: 'body.name' })
  expect((await top.call('PATCH', `/console/api/units/${phu.json.id}`, { name: 'Xã Phụ An' })).status).toBe(200)
  // Its own name in another case is a rename, not a clash with itself.
  expect((await top.call('PATCH', `/console/api/units/${phu.json.id}`, { name: 'XÃ PHỤ AN' })).json).toMatchObject({ name: 'XÃ PHỤ AN' })
  // Moving into a parent that has the name already is refused; with a new name in the same change it is not.
  expect((await top.call('PATCH', `/console/api/units/${inA.json.id}`, { parentId: w.districtB })).json.error).toMatchObject({ code: 'conflict', field: 'body.parentId' })
  expect((await top.call('PATCH', `/console/api/units/${inA.json.id}`, { parentId: w.districtB, name: 'Xã Phụ An' })).json.error).toMatchObject({ code: 'conflict', field: 'body.name' })
  const units = async () => (await top.call('GET', '/console/api/units')).json.units as { id: string; parentId: string; name: string }[]
  expect((await units()).find((u) => u.id === inA.json.id)).toMatchObject({ parentId: w.districtA, name: 'Xã Phú An' })
  const moved = await top.call('PATCH', `/console/api/units/${inA.json.id}`, { parentId: w.districtB, name: 'Xã Phú An 2' })
  expect(moved.json).toMatchObject({ parentId: w.districtB, name: 'Xã Phú An 2' })
  const names = (await units()).filter((u) => u.parentId === w.districtB).map((u) => u.name)
  expect(names.filter((n) => n === 'Xã Phú An')).toHaveLength(1)
})

test('units: rename within the subtree; moves only below the level above, never into itself; the province moves communes between districts', async () => {
  const admin = await w.clientAs('A', 'quan-tri')
  expect((await admin.call('PATCH', `/console/api/units/${w.communeA}`, { name: 'Xã A1 (mới)' })).json.name).toBe('Xã A1 (mới)')
  expect((await admin.call('PATCH', `/console/api/units/${w.districtA}`, { parentId: w.communeA })).status).toBe(409)
  expect((await admin.call('PATCH', `/console/api/units/${w.communeA}`, { parentId: w.districtB })).json.error?.code).toBe('forbidden-unit')
  const top = await province()
  const commune = (await top.call('POST', '/console/api/units', { parentId: w.districtB, name: 'Xã B9' })).json.id as string
  expect((await top.call('PATCH', `/console/api/units/${commune}`, { parentId: w.rootId })).json.error?.field).toBe('body.parentId')
  const moved = await top.call('PATCH', `/console/api/units/${commune}`, { parentId: w.districtA })
  expect(moved.json).toMatchObject({ id: commune, parentId: w.districtA })
  // The move reaches the subtree: district A now sees it, B no longer does.
  const seenByA = (await admin.call('GET', '/console/api/units')).json.units as { id: string }[]
  expect(seenByA.map((u) => u.id)).toContain(commune)
  const seenByB = (await (await w.clientAs('B', 'xem')).call('GET', '/console/api/units')).json.units as { id: string }[]
  expect(seenByB.map((u) => u.id)).not.toContain(commune)
})

test('users: created in the subtree with a one-time password; not outside it, not twice; roles changed; not one’s own', async () => {
  const admin = await w.clientAs('A', 'quan-tri')
  const created = await admin.call('POST', '/console/api/users', { unitId: w.communeA, username: 'BienTap.Xa', displayName: 'Biên tập xã', role: 'bien-tap' })
  expect(created.status).toBe(201)
  expect(created.json.user).toMatchObject({ username: 'bientap.xa', role: 'bien-tap', mustChangePassword: true })
  expect(JSON.stringify(created.json)).not.toContain('scrypt')
  expect((await admin.call('POST', '/console/api/users', { unitId: w.communeA, username: 'bientap.xa', displayName: 'x', role: 'xem' })).json.error).toMatchObject({ code: 'conflict', field: 'body.username' })
  expect((await admin.call('POST', '/console/api/users', { unitId: w.rootId, username: 'tinh.moi', displayName: 'x', role: 'quan-tri' })).json.error?.code).toBe('forbidden-unit')
  expect((await admin.call('POST', '/console/api/users', { unitId: w.communeA, username: 'x y', displayName: 'x', role: 'xem' })).json.error?.field).toBe('body.username')
  expect((await admin.call('POST', '/console/api/users', { unitId: w.communeA, username: 'ok.name', displayName: 'x', role: 'vua' })).json.error?.field).toBe('body.role')

  const newcomer = w.anonymous()
  expect((await newcomer.signIn('bientap.xa', created.json.password as string)).json.mustChangePassword).toBe(true)
  const userId = (created.json.user as { id: string }).id
  expect((await admin.call('PATCH', `/console/api/users/${userId}`, { role: 'duyet' })).json.role).toBe('duyet')
  expect((await admin.call('PATCH', `/console/api/users/${w.users.A['quan-tri'].id}`, { role: 'xem' })).status).toBe(409)
  const reset = await admin.call('POST', `/console/api/users/${userId}/password-reset`)
  expect(reset.json.password).toEqual(expect.any(String))
  expect((await newcomer.call('GET', '/console/api/me')).status).toBe(401)
  expect((await w.anonymous().signIn('bientap.xa', reset.json.password as string)).status).toBe(200)
  const listed = (await admin.call('GET', '/console/api/users')).json.users as { unitId: string }[]
  expect(listed.every((u) => u.unitId === w.districtA || u.unitId === w.communeA)).toBe(true)
})

test('boards: placed with name and tags in the placer’s subtree; each district sees only its own; visibleDeviceIds agrees', async () => {
  const top = await province()
  expect((await top.call('PUT', '/console/api/boards/bang-ubnd-a1', { unitId: w.communeA, displayName: 'Bảng UBND xã A1', tags: ['LED ngoài trời', 'trụ sở UBND'] })).status).toBe(200)
  expect((await top.call('PUT', '/console/api/boards/bang-cho-b', { unitId: w.districtB, displayName: 'Bảng chợ B', tags: ['LED ngoài trời'] })).status).toBe(200)
  const adminA = await w.clientAs('A', 'quan-tri')
  // An unplaced board belongs to the province: a district cannot claim it.
  expect((await adminA.call('PUT', '/console/api/boards/bang-moi', { unitId: w.communeA, displayName: 'x' })).json.error).toMatchObject({ code: 'forbidden-unit', field: 'params.deviceId' })
  expect((await adminA.call('PUT', '/console/api/boards/bang-ubnd-a1', { unitId: w.districtA, displayName: 'Bảng UBND xã A1', tags: ['trụ sở UBND'] })).json.tags).toEqual(['trụ sở UBND'])
  expect((await adminA.call('PUT', '/console/api/boards/bang-ubnd-a1', { unitId: w.districtA, displayName: 'x', tags: [''] })).json.error?.field).toBe('body.tags.0')
  const editorA = await w.clientAs('A', 'bien-tap')
  const listA = (await editorA.call('GET', '/console/api/boards')).json.boards as { deviceId: string }[]
  expect(listA.map((b) => b.deviceId)).toEqual(['bang-ubnd-a1'])
  expect((await editorA.call('GET', '/console/api/boards/bang-cho-b')).json.error).toMatchObject({ code: 'forbidden-unit', field: 'params.deviceId' })
  const listTop = (await top.call('GET', '/console/api/boards?tag=LED%20ngo%C3%A0i%20tr%E1%BB%9Di')).json.boards as { deviceId: string }[]
  expect(listTop.map((b) => b.deviceId)).toEqual(['bang-cho-b'])

  const auth = (client: { cookie: string | null }) => authenticate({ headers: { cookie: client.cookie ?? '' } } as never, w.opened.db, Date.now())
  const actorA = (await auth(editorA))?.actor
  const actorTop = (await auth(top))?.actor
  if (!actorA || !actorTop) throw new Error('signed in')
  expect(await visibleDeviceIds(w.opened.db, actorA)).toEqual(['bang-ubnd-a1'])
  expect((await visibleDeviceIds(w.opened.db, actorTop)).sort()).toEqual(['bang-cho-b', 'bang-ubnd-a1'])
  expect(await canSeeBoard(w.opened.db, actorA, 'bang-moi')).toBe(false)
  expect(await canSeeBoard(w.opened.db, actorTop, 'bang-moi')).toBe(true)
})

test('the audit log: every change with who, when, from where; each district reads its own, not its sibling’s; no secrets', async () => {
  const adminB = await w.clientAs('B', 'quan-tri')
  await adminB.call('POST', '/console/api/units', { parentId: w.districtB, name: 'Xã B1' })
  const entriesB = (await adminB.call('GET', '/console/api/audit?limit=500')).json.entries as { action: string; userId: string | null; address: string; at: string; unitId: string | null; targetUnitId: string | null; detail: unknown }[]
  const created = entriesB.find((e) => e.action === 'unit-created')
  expect(created).toMatchObject({ userId: w.users.B['quan-tri'].id, address: '127.0.0.1', unitId: w.districtB })
  expect(Date.parse(created?.at ?? '')).toBeGreaterThan(0)
  // B sees what the province did to B's board, and nothing done in A.
  expect(entriesB.some((e) => e.action === 'board-placed' && e.targetUnitId === w.districtB)).toBe(true)
  expect(entriesB.some((e) => e.unitId === w.districtA || e.targetUnitId === w.districtA || e.targetUnitId === w.communeA)).toBe(false)
  const entriesA = (await (await w.clientAs('A', 'quan-tri')).call('GET', '/console/api/audit?limit=500')).json.entries as { action: string }[]
  for (const action of ['unit-created', 'unit-changed', 'user-created', 'user-changed', 'password-reset', 'board-placed']) expect(entriesA.map((e) => e.action)).toContain(action)
  const all = await w.opened.db.selectFrom('audit_log').select('detail').execute()
  expect(JSON.stringify(all)).not.toMatch(/mat-khau|scrypt/)
  expect((await (await w.clientAs('A', 'bien-tap')).call('GET', '/console/api/audit')).status).toBe(403)
  expect((await adminB.call('GET', '/console/api/audit?limit=0')).json.error?.field).toBe('query.limit')
})
