// The console API framework through real HTTP on 127.0.0.1 and a real SQLite file: routing, 401/403/404/
// 405/413/415, bilingual field errors, CSRF and Origin, unit scope, transactions with their audit entries,
// no stack traces, and the OpenAPI document served.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { z } from 'zod'
import type { Actor, Authenticated } from '../../../server/api/actor'
import { createConsoleApi } from '../../../server/api/console-api'
import { defineRoute, RawReply, type AnyRoute } from '../../../server/api/route'
import { readRawBody } from '../../../server/http-util'
import { ACCESS_KINDS } from '../../../server/access/scope'
import { openSqlite, type OpenedDatabase } from '../../../server/db/database'
import { startReferenceServer, type ReferenceServer } from '../../../server/reference-server'
import { rawRequest } from '../helpers'

let dir = ''
let opened: OpenedDatabase
let server: ReferenceServer

// The framework takes its authenticator as a parameter; here a fixed table of two callers stands in for
// the access room's sessions (tested in test/server/access/).
const actors: Record<string, Authenticated> = {
  editor: {
    actor: { userId: 'u-editor', unitId: 'huyen-a', role: 'bien-tap', subtree: new Set(['huyen-a']), atRoot: false, via: 'session' } satisfies Actor,
    csrfToken: 'csrf-editor',
    mustChangePassword: false
  },
  fresh: {
    actor: { userId: 'u-fresh', unitId: 'huyen-a', role: 'bien-tap', subtree: new Set(['huyen-a']), atRoot: false, via: 'token' },
    csrfToken: null,
    mustChangePassword: true
  },
  viewer: {
    actor: { userId: 'u-viewer', unitId: 'huyen-a', role: 'xem', subtree: new Set(['huyen-a']), atRoot: false, via: 'token' },
    csrfToken: null,
    mustChangePassword: false
  }
}

/** What the after-commit route's work read through the root handle, once its answer came. */
let seenAfterCommit: string | null = null

const routes: AnyRoute[] = [
  defineRoute({
    method: 'POST',
    path: '/console/api/test/after-commit',
    roles: ['bien-tap'],
    summary: 'test',
    tag: 'test',
    output: z.object({ ok: z.boolean() }),
    async handler(ctx) {
      await ctx.db.insertInto('meta').values({ key: 'after-commit', value: 'committed' }).execute()
      // Through the root handle: inside the transaction it would wait for the one connection.
      ctx.afterCommit(async () => {
        seenAfterCommit = (await opened.db.selectFrom('meta').select('value').where('key', '=', 'after-commit').executeTakeFirst())?.value ?? null
      })
      return { ok: true }
    }
  }),
  defineRoute({
    method: 'POST',
    path: '/console/api/test/units/:id/notes',
    roles: ['bien-tap'],
    summary: 'test',
    tag: 'test',
    params: z.object({ id: z.string() }),
    body: z.object({ title: z.string().min(3), fail: z.boolean().optional(), password: z.string().optional() }),
    output: z.object({ stored: z.string() }),
    scope: { 'params.id': 'unit' },
    status: 201,
    async handler(ctx, input) {
      await ctx.db.insertInto('meta').values({ key: `note-${input.params.id}-${Math.random()}`, value: input.body.title }).execute()
      if (input.body.fail) throw new Error('secret internal detail')
      return { stored: input.body.title, leaked: 'not in the output schema' } as { stored: string }
    }
  }),
  defineRoute({
    method: 'POST',
    path: '/console/api/test/bad-output',
    roles: ['bien-tap'],
    summary: 'test',
    tag: 'test',
    output: z.object({ n: z.number() }),
    async handler(ctx) {
      await ctx.db.insertInto('meta').values({ key: 'bad-output', value: 'stored?' }).execute()
      return { n: 'not a number' } as unknown as { n: number }
    }
  }),
  defineRoute({
    method: 'POST',
    path: '/console/api/test/upload',
    roles: ['bien-tap'],
    summary: 'test',
    tag: 'test',
    rawBody: true,
    output: z.object({ bytes: z.number() }),
    async handler(ctx) {
      const bytes = await readRawBody(ctx.req, 4 * 1024 * 1024)
      return new RawReply('text/csv; charset=utf-8', `bytes\n${bytes.length}\n`, { 'Content-Disposition': 'attachment; filename="x.csv"' })
    }
  }),
  defineRoute({
    method: 'GET',
    path: '/console/api/test/hello',
    roles: ['bien-tap', 'xem'],
    summary: 'test',
    tag: 'test',
    query: z.object({ n: z.coerce.number().int().max(5) }),
    output: z.object({ n: z.number(), who: z.string() }),
    async handler(ctx, input) {
      return { n: input.query.n, who: ctx.actor.userId }
    }
  })
]

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'bangtin-api-'))
  opened = await openSqlite(join(dir, 'source.sqlite'))
  const now = new Date().toISOString()
  for (const [id, path] of [['tinh', '/tinh/'], ['huyen-a', '/tinh/huyen-a/'], ['huyen-b', '/tinh/huyen-b/']] as const) {
    await opened.db.insertInto('units').values({ id, parent_id: id === 'tinh' ? null : 'tinh', level: id === 'tinh' ? 'tinh' : 'huyen', name: id, path, created_at: now }).execute()
  }
  const consoleApi = createConsoleApi({
    db: opened.db,
    routes,
    kinds: ACCESS_KINDS,
    authenticate: async (req) => actors[(req.headers.authorization ?? '').replace(/^Bearer /, '')] ?? null
  })
  server = await startReferenceServer({ consoleApi })
})

afterAll(async () => {
  await server.close()
  await opened.close()
  rmSync(dir, { recursive: true, force: true })
})

async function call(method: string, path: string, opts: { who?: string; body?: unknown; headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { ...(opts.who ? { Authorization: `Bearer ${opts.who}` } : {}), ...opts.headers }
  let body: string | undefined
  if (opts.body !== undefined) {
    body = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body)
    headers['Content-Type'] ??= 'application/json'
  }
  const res = await rawRequest(`${server.url}${path}`, { method, headers, ...(body !== undefined ? { body } : {}) })
  const text = res.body.toString('utf8')
  return { status: res.status, headers: res.headers, json: text && String(res.headers['content-type']).startsWith('application/json') ? (JSON.parse(text) as Record<string, unknown>) : null, text }
}

const notes = '/console/api/test/units/huyen-a/notes'
const csrf = { 'X-CSRF-Token': 'csrf-editor' }

test('a declared route answers JSON; the output schema strips what it does not declare', async () => {
  const res = await call('POST', notes, { who: 'editor', headers: csrf, body: { title: 'Lịch họp' } })
  expect(res.status).toBe(201)
  expect(res.json).toEqual({ stored: 'Lịch họp' })
  const got = await call('GET', '/console/api/test/hello?n=3', { who: 'viewer' })
  expect(got).toMatchObject({ status: 200, json: { n: 3, who: 'u-viewer' } })
})

test('every state-changing call leaves an audit entry, passwords redacted', async () => {
  await call('POST', notes, { who: 'editor', headers: csrf, body: { title: 'audited', password: 'hunter2' } })
  const rows = await opened.db.selectFrom('audit_log').selectAll().where('detail', 'like', '%audited%').execute()
  expect(rows).toHaveLength(1)
  expect(rows[0]).toMatchObject({ user_id: 'u-editor', unit_id: 'huyen-a', target_unit_id: 'huyen-a', address: '127.0.0.1', via: 'session' })
  expect(rows[0]?.detail).not.toContain('hunter2')
})

test('no credentials: 401, bilingual', async () => {
  const res = await call('GET', '/console/api/test/hello?n=1')
  expect(res.status).toBe(401)
  expect(res.json).toMatchObject({ error: { code: 'unauthenticated', vi: expect.any(String), en: expect.any(String) } })
})

test('a zod failure names the first failing field in Vietnamese and English', async () => {
  const res = await call('POST', notes, { who: 'editor', headers: csrf, body: { title: 'ab' } })
  expect(res.status).toBe(400)
  expect(res.json).toMatchObject({ error: { code: 'bad-input', field: 'body.title' } })
  const error = (res.json as { error: { vi: string; en: string } }).error
  expect(error.vi).toContain('quá ngắn')
  expect(error.en).toContain('body.title')
  const query = await call('GET', '/console/api/test/hello?n=9', { who: 'viewer' })
  expect(query.json).toMatchObject({ error: { field: 'query.n' } })
  const missing = await call('POST', notes, { who: 'editor', headers: csrf, body: {} })
  expect(missing.json).toMatchObject({ error: { field: 'body.title', en: expect.stringContaining('required') } })
})

test('wrong role 403; CSRF token missing or wrong 403; foreign Origin 403; Bearer needs no CSRF token', async () => {
  expect((await call('POST', notes, { who: 'viewer', body: { title: 'xyz' } })).json).toMatchObject({ error: { code: 'forbidden-role' } })
  expect((await call('POST', notes, { who: 'editor', body: { title: 'xyz' } })).json).toMatchObject({ error: { code: 'bad-csrf', field: 'header.x-csrf-token' } })
  expect((await call('POST', notes, { who: 'editor', headers: { 'X-CSRF-Token': 'nope' }, body: { title: 'xyz' } })).status).toBe(403)
  const foreign = await call('POST', notes, { who: 'editor', headers: { ...csrf, Origin: 'https://evil.example' }, body: { title: 'xyz' } })
  expect(foreign.json).toMatchObject({ error: { code: 'bad-origin' } })
  const same = await call('POST', notes, { who: 'editor', headers: { ...csrf, Origin: server.url }, body: { title: 'xyz' } })
  expect(same.status).toBe(201)
})

test('an id of another district: 403 naming the field; an unknown id: 404', async () => {
  const other = await call('POST', '/console/api/test/units/huyen-b/notes', { who: 'editor', headers: csrf, body: { title: 'xyz' } })
  expect(other.status).toBe(403)
  expect(other.json).toMatchObject({ error: { code: 'forbidden-unit', field: 'params.id' } })
  const unknown = await call('POST', '/console/api/test/units/khong-co/notes', { who: 'editor', headers: csrf, body: { title: 'xyz' } })
  expect(unknown).toMatchObject({ status: 404, json: { error: { field: 'params.id' } } })
})

test('a failing handler stores nothing and answers 500 without the error text', async () => {
  const res = await call('POST', notes, { who: 'editor', headers: csrf, body: { title: 'rolled-back', fail: true } })
  expect(res.status).toBe(500)
  expect(res.text).not.toContain('secret internal detail')
  expect(res.text).not.toContain('.ts')
  expect(await opened.db.selectFrom('meta').selectAll().where('value', '=', 'rolled-back').execute()).toEqual([])
  expect(await opened.db.selectFrom('audit_log').selectAll().where('detail', 'like', '%rolled-back%').execute()).toEqual([])
})

test('bodies: over the limit 413, not JSON 400, wrong type 415; unknown path 404, wrong method 405', async () => {
  const big = await call('POST', notes, { who: 'editor', headers: csrf, body: JSON.stringify({ title: 'x'.repeat(1024 * 1024 + 10) }) })
  expect(big).toMatchObject({ status: 413, json: { error: { code: 'too-large', field: 'body' } } })
  expect((await call('POST', notes, { who: 'editor', headers: csrf, body: '{nope' })).json).toMatchObject({ error: { code: 'bad-input', field: 'body' } })
  const form = await call('POST', notes, { who: 'editor', headers: { ...csrf, 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'title=abc' })
  expect(form.status).toBe(415)
  expect((await call('GET', '/console/api/khong-co', { who: 'editor' })).status).toBe(404)
  expect((await call('DELETE', notes, { who: 'editor', headers: csrf })).status).toBe(405)
})

test('the OpenAPI document is served, generated from the routes', async () => {
  const res = await call('GET', '/console/api/openapi.json')
  expect(res.status).toBe(200)
  expect(res.json).toMatchObject({ openapi: '3.1.0', paths: { '/console/api/test/units/{id}/notes': { post: { 'x-roles': ['bien-tap'] } } } })
})

test('rawBody routes read the request themselves (past the JSON limit); RawReply answers bytes with its own type', async () => {
  const res = await call('POST', '/console/api/test/upload', { who: 'editor', headers: { ...csrf, 'Content-Type': 'application/octet-stream' }, body: 'x'.repeat(2 * 1024 * 1024) })
  expect(res.status).toBe(200)
  expect(res.headers['content-type']).toBe('text/csv; charset=utf-8')
  expect(res.headers['content-disposition']).toContain('x.csv')
  expect(res.text).toBe(`bytes\n${2 * 1024 * 1024}\n`)
})

test('an unchanged one-time password: 403 on every route not marked allowBeforePasswordChange', async () => {
  const res = await call('GET', '/console/api/test/hello?n=1', { who: 'fresh' })
  expect(res).toMatchObject({ status: 403, json: { error: { code: 'password-change-required' } } })
})

test('an answer outside the output schema is a 500 and stores nothing', async () => {
  const res = await call('POST', '/console/api/test/bad-output', { who: 'editor', headers: csrf })
  expect(res.status).toBe(500)
  expect(res.json).toEqual({ error: { code: 'internal', field: null, vi: 'Lỗi máy chủ.', en: 'Internal server error.' } })
  expect(await opened.db.selectFrom('meta').selectAll().where('key', '=', 'bad-output').execute()).toEqual([])
})

test('afterCommit work runs once the transaction committed (it reads the change through the root handle) and before the answer', async () => {
  const res = await call('POST', '/console/api/test/after-commit', { who: 'editor', headers: csrf })
  expect(res.status).toBe(200)
  expect(seenAfterCommit).toBe('committed')
})

