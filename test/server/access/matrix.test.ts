// The role × unit access matrix, table-driven over the whole route registry (ALL_ROUTES): every route is
// called anonymously (401), with a wrong CSRF token (403), by every role of district A naming A's things
// (allowed roles pass the access checks, others get 403), and by its allowed roles naming district B's
// unit, board, user, … in each scoped field in turn (403 naming that field). A route another room adds
// to the registry is covered without touching this file; a new scope kind needs its `sample`.
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { z } from 'zod'
import { ROLES, type Role } from '../../../server/api/actor'
import { ALL_ROUTES, SCOPE_KINDS } from '../../../server/api/registry'
import { isStateChanging, type AnyRoute } from '../../../server/api/route'
import { makeWorld, type Client, type World } from './world'

let world: World
beforeAll(async () => {
  world = await makeWorld()
})
afterAll(async () => {
  await world.close()
})

/** Puts `id` at a body path, `*` making a one-element list: `items.*.contentId` → `{ items: [{ contentId }] }`. */
function place(into: Record<string, unknown>, keys: readonly string[], id: string): void {
  const [key, ...rest] = keys as [string, ...string[]]
  if (rest.length === 0) {
    into[key] = id
    return
  }
  if (rest[0] === '*') {
    const list = (into[key] ??= [{}]) as Record<string, unknown>[]
    place(list[0] as Record<string, unknown>, rest.slice(1), id)
    return
  }
  place((into[key] ??= {}) as Record<string, unknown>, rest, id)
}

/** The field a refusal names for a scope spec: the first element of each list. */
const blamed = (field: string) => field.replace(/\.\*\./g, '.0.')

/** Fresh things of each kind the route names, in the given district; every scoped field filled. */
async function inputFor(route: AnyRoute, district: 'A' | 'B', only?: string): Promise<{ path: string; body: unknown }> {
  const unitId = district === 'A' ? world.districtA : world.districtB
  const values: Record<string, string> = {}
  for (const [field, kind] of Object.entries(route.scope ?? {})) {
    const which = only === undefined || only === field ? unitId : world.districtA
    const sample = SCOPE_KINDS[kind]?.sample
    if (!sample) throw new Error(`scope kind "${kind}" (route ${route.method} ${route.path}) has no sample(): add one so the access matrix can exercise it`)
    values[field] = await sample(world.opened.db, which)
  }
  const path = route.path.replace(/:([A-Za-z0-9_]+)/g, (_m, name: string) => encodeURIComponent(values[`params.${name}`] ?? 'khong-co'))
  const query = Object.entries(values)
    .filter(([field]) => field.startsWith('query.'))
    .map(([field, id]) => `${encodeURIComponent(field.slice('query.'.length))}=${encodeURIComponent(id)}`)
    .join('&')
  const bodyFields = Object.entries(values).filter(([field]) => field.startsWith('body.'))
  const nested: Record<string, unknown> = {}
  for (const [field, id] of bodyFields) place(nested, field.slice('body.'.length).split('.'), id)
  const body = isStateChanging(route.method) || bodyFields.length > 0 ? nested : undefined
  return { path: query ? `${path}?${query}` : path, body }
}

function allowed(route: AnyRoute, role: Role): boolean {
  return route.roles === 'public' || route.roles.includes(role)
}

async function call(client: Client, route: AnyRoute, input: { path: string; body: unknown }) {
  return client.call(route.method, input.path, input.body)
}

test('the registry is not empty and every scope kind can make samples', () => {
  expect(ALL_ROUTES.length).toBeGreaterThan(10)
  for (const [name, kind] of Object.entries(SCOPE_KINDS)) expect(kind.sample, name).toBeDefined()
})

for (const route of ALL_ROUTES) {
  describe(`${route.method} ${route.path}`, () => {
    if (route.roles !== 'public') {
      test('anonymous: 401', async () => {
        const answer = await call(world.anonymous(), route, await inputFor(route, 'A'))
        expect(answer.status).toBe(401)
        expect(answer.json.error).toMatchObject({ code: 'unauthenticated', vi: expect.any(String), en: expect.any(String) })
      })
    }

    if (route.roles !== 'public' && isStateChanging(route.method)) {
      test('a session with a wrong or missing CSRF token: 403', async () => {
        const role = ROLES.find((r) => allowed(route, r)) as Role
        const client = await world.clientAs('A', role)
        client.csrf = 'not-the-token'
        const answer = await call(client, route, await inputFor(route, 'A'))
        expect(answer.status).toBe(403)
        expect(answer.json.error?.code).toBe('bad-csrf')
        client.csrf = null
        expect((await call(client, route, await inputFor(route, 'A'))).json.error?.code).toBe('bad-csrf')
      })
    }

    test.each(ROLES.map((role) => [role]))('role %s naming its own district’s things', async (role) => {
      const answer = await call(await world.clientAs('A', role), route, await inputFor(route, 'A'))
      if (allowed(route, role)) {
        // Past every access check: what remains is the route's own answer (success, bad input, not found, conflict).
        expect([401, 403, 500], JSON.stringify(answer.json)).not.toContain(answer.status)
      } else {
        expect(answer.status).toBe(403)
        expect(answer.json.error?.code).toBe('forbidden-role')
      }
    })

    const scoped = Object.keys(route.scope ?? {})
    if (scoped.length > 0 && route.roles !== 'public') {
      test('allowed roles naming a sibling district’s thing: 403 naming the field', async () => {
        for (const role of ROLES.filter((r) => allowed(route, r))) {
          for (const field of scoped) {
            const answer = await call(await world.clientAs('A', role), route, await inputFor(route, 'B', field))
            expect(answer.status, `${role} ${field}: ${JSON.stringify(answer.json)}`).toBe(403)
            expect(answer.json.error).toMatchObject({ code: 'forbidden-unit', field: blamed(field) })
          }
        }
      })
    }
  })
}

/** Keys named id, …Id or …Ids in an object schema, nested ones too (`items.*.contentId` inside a list of objects). */
function idKeys(schema: z.ZodType, at: string): string[] {
  let inner: unknown = schema
  while (inner instanceof z.ZodOptional || inner instanceof z.ZodNullable || inner instanceof z.ZodDefault) inner = inner.unwrap()
  if (inner instanceof z.ZodArray) return idKeys(inner.element as z.ZodType, `${at}.*`)
  if (!(inner instanceof z.ZodObject)) return []
  return Object.entries(inner.shape as Record<string, z.ZodType>).flatMap(([key, value]) => [...(/^id$|Ids?$/.test(key) ? [`${at}.${key}`] : []), ...idKeys(value, `${at}.${key}`)])
}

/** Path params and body/query keys named id, …Id or …Ids, at any depth: things that belong to units. */
function idLikeFields(route: AnyRoute): string[] {
  const fields = [...route.path.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => `params.${m[1] ?? ''}`)
  for (const where of ['query', 'body'] as const) {
    const schema = route[where]
    if (schema) fields.push(...idKeys(schema, where))
  }
  return fields
}

test.each(ALL_ROUTES.map((route) => [`${route.method} ${route.path}`, route] as const))('%s: every id-like field is unit-scoped or says why not', (_name, route) => {
  for (const field of idLikeFields(route)) {
    const scoped = field in (route.scope ?? {})
    const excused = typeof route.unscoped?.[field] === 'string'
    expect(scoped || excused, `${field}: add it to scope (checked against the actor's units) or to unscoped with a reason`).toBe(true)
  }
})
