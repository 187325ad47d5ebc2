// API tokens end with the trust they were made under, through the real server and a real SQLite file: a
// password change or reset, disabling, a move to another unit or another role revoke the user's tokens
// (audited); a token cannot make tokens (only a signed-in person can).
import { afterEach, expect, test } from 'vitest'
import { Client, makeWorld, type World } from './world'

const worlds: World[] = []
afterEach(async () => {
  for (const world of worlds.splice(0)) await world.close()
})

async function world(): Promise<World> {
  const made = await makeWorld()
  worlds.push(made)
  return made
}

/** A script holding a fresh token of the A editor (made by the editor's own session). */
async function editorScript(w: World): Promise<{ person: Client; script: Client; tokenId: string }> {
  const person = await w.clientAs('A', 'bien-tap')
  const created = await person.call('POST', '/console/api/tokens', { name: 'script' })
  expect(created.status).toBe(201)
  const script = new Client(w.server.url)
  script.bearer = created.json.token as string
  expect((await script.call('GET', '/console/api/me')).status).toBe(200)
  return { person, script, tokenId: created.json.id as string }
}

async function revocations(w: World): Promise<unknown[]> {
  const rows = await w.opened.db.selectFrom('audit_log').select(['user_id', 'target', 'detail', 'target_unit_id']).where('action', '=', 'tokens-revoked').orderBy('id').execute()
  return rows.map((r) => ({ by: r.user_id, target: r.target, detail: JSON.parse(r.detail) as unknown, targetUnitId: r.target_unit_id }))
}

test('an administrator’s password reset revokes the tokens: they stay dead after the user sets a new password', async () => {
  const w = await world()
  const { script } = await editorScript(w)
  const admin = await w.clientAs('A', 'quan-tri')
  const editor = w.users.A['bien-tap']
  const reset = await admin.call('POST', `/console/api/users/${editor.id}/password-reset`)
  expect(reset.status).toBe(200)
  const person = w.anonymous()
  expect((await person.signIn(editor.username, reset.json.password as string)).status).toBe(200)
  expect((await person.call('POST', '/console/api/me/password', { currentPassword: reset.json.password, newPassword: 'mat-khau-moi-rat-dai' })).status).toBe(200)
  // The reviewer's attack: the old token wrote again once the user had changed the one-time password.
  expect((await script.call('GET', '/console/api/me')).status).toBe(401)
  expect((await person.call('GET', '/console/api/tokens')).json.tokens).toMatchObject([{ revokedAt: expect.any(String) as unknown }])
  expect(await revocations(w)).toEqual([{ by: w.users.A['quan-tri'].id, target: editor.id, detail: { reason: 'password-reset', count: 1 }, targetUnitId: w.districtA }])
})

test('changing my own password revokes my tokens (my other sessions end too)', async () => {
  const w = await world()
  const { person, script } = await editorScript(w)
  const editor = w.users.A['bien-tap']
  expect((await person.call('POST', '/console/api/me/password', { currentPassword: editor.password, newPassword: 'mat-khau-moi-rat-dai' })).status).toBe(200)
  expect((await script.call('GET', '/console/api/me')).status).toBe(401)
  expect((await person.call('GET', '/console/api/me')).status).toBe(200)
  expect(await revocations(w)).toEqual([{ by: editor.id, target: editor.id, detail: { reason: 'password-changed', count: 1 }, targetUnitId: w.districtA }])
})

test('disabling a user revokes their tokens: enabling them again does not bring the tokens back', async () => {
  const w = await world()
  const { script } = await editorScript(w)
  const admin = await w.clientAs('A', 'quan-tri')
  const path = `/console/api/users/${w.users.A['bien-tap'].id}`
  expect((await admin.call('PATCH', path, { disabled: true })).status).toBe(200)
  expect((await admin.call('PATCH', path, { disabled: false })).status).toBe(200)
  expect((await script.call('GET', '/console/api/me')).status).toBe(401)
  expect(await revocations(w)).toMatchObject([{ detail: { reason: 'disabled', count: 1 } }])
})

test('moving a user to another unit, or giving them another role, revokes their tokens; renaming does not', async () => {
  const w = await world()
  const admin = await w.clientAs('A', 'quan-tri')
  const path = `/console/api/users/${w.users.A['bien-tap'].id}`
  const first = await editorScript(w)
  expect((await admin.call('PATCH', path, { displayName: 'Biên tập viên A' })).status).toBe(200)
  expect((await admin.call('PATCH', path, { unitId: w.districtA, role: 'bien-tap' })).status).toBe(200)
  expect((await first.script.call('GET', '/console/api/me')).status).toBe(200)
  expect((await admin.call('PATCH', path, { unitId: w.communeA })).status).toBe(200)
  expect((await first.script.call('GET', '/console/api/me')).status).toBe(401)
  const second = await editorScript(w)
  expect((await admin.call('PATCH', path, { role: 'xem' })).status).toBe(200)
  expect((await second.script.call('GET', '/console/api/me')).status).toBe(401)
  expect(await revocations(w)).toMatchObject([{ detail: { reason: 'unit-changed', count: 1 } }, { detail: { reason: 'role-changed', count: 1 } }])
})

test('a token cannot create tokens: 403, bilingual, naming why; nothing is made', async () => {
  const w = await world()
  const { person, script } = await editorScript(w)
  const refused = await script.call('POST', '/console/api/tokens', { name: 'từ script' })
  expect(refused.status).toBe(403)
  expect(refused.json.error).toMatchObject({ code: 'sign-in-required', field: 'headers.authorization' })
  expect(refused.json.error?.vi).toContain('đăng nhập')
  expect(refused.json.error?.en).toContain('signed-in person')
  expect((await person.call('GET', '/console/api/tokens')).json.tokens).toHaveLength(1)
})

test('an administrator lists and revokes the tokens of a user in their units, never the token itself; not another district’s', async () => {
  const w = await world()
  const { script, tokenId } = await editorScript(w)
  const editor = w.users.A['bien-tap']
  const admin = await w.clientAs('A', 'quan-tri')
  const listed = await admin.call('GET', `/console/api/users/${editor.id}/tokens`)
  expect(listed.status).toBe(200)
  expect(listed.json.tokens).toEqual([{ id: tokenId, name: 'script', createdAt: expect.any(String) as unknown, lastUsedAt: expect.any(String) as unknown, revokedAt: null }])
  expect(JSON.stringify(listed.json)).not.toContain(script.bearer)
  // Another district's administrator: refused for the user; a token id under another user: not found.
  const other = await w.clientAs('B', 'quan-tri')
  expect((await other.call('GET', `/console/api/users/${editor.id}/tokens`)).json.error).toMatchObject({ code: 'forbidden-unit', field: 'params.id' })
  expect((await other.call('DELETE', `/console/api/users/${editor.id}/tokens/${tokenId}`)).status).toBe(403)
  expect((await admin.call('DELETE', `/console/api/users/${w.users.A.xem.id}/tokens/${tokenId}`)).status).toBe(404)
  expect((await script.call('GET', '/console/api/me')).status).toBe(200)
  // The editor is not an administrator.
  expect((await (await w.clientAs('A', 'bien-tap')).call('GET', `/console/api/users/${editor.id}/tokens`)).status).toBe(403)

  const revoked = await admin.call('DELETE', `/console/api/users/${editor.id}/tokens/${tokenId}`)
  expect(revoked.status).toBe(200)
  expect((await script.call('GET', '/console/api/me')).status).toBe(401)
  expect((await admin.call('DELETE', `/console/api/users/${editor.id}/tokens/${tokenId}`)).status).toBe(404)
  expect((await admin.call('GET', `/console/api/users/${editor.id}/tokens`)).json.tokens).toMatchObject([{ id: tokenId, revokedAt: expect.any(String) as unknown }])
  const audited = await w.opened.db.selectFrom('audit_log').selectAll().where('action', '=', 'token-revoked').executeTakeFirstOrThrow()
  expect(audited).toMatchObject({ user_id: w.users.A['quan-tri'].id, target: tokenId, target_unit_id: w.districtA })
  expect(JSON.parse(audited.detail)).toEqual({ userId: editor.id })
})
