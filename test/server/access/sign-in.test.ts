// Signing in against the real server and a real SQLite file: the first administrator's one-time password,
// session cookie flags, hashed storage of passwords, sessions and tokens, lockout and address limits (see also lockout.test.ts),
// sign-out, API tokens, a disabled account.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, expect, test } from 'vitest'
import { ensureFirstAdministrator } from '../../../server/access/bootstrap'
import { Client, makeWorld, type World } from './world'

const worlds: World[] = []
afterEach(async () => {
  for (const world of worlds.splice(0)) await world.close()
})

async function world(opts: Parameters<typeof makeWorld>[0] = {}): Promise<World> {
  const made = await makeWorld(opts)
  worlds.push(made)
  return made
}

test('the first administrator: one-time password returned once, only its scrypt hash stored; the first sign-in must change it', async () => {
  const w = await world()
  expect(await ensureFirstAdministrator(w.opened.db)).toBeNull()
  const row = await w.opened.db.selectFrom('users').selectAll().where('username', '=', w.admin.username).executeTakeFirstOrThrow()
  expect(row.password_hash).toMatch(/^scrypt\$32768\$8\$1\$[\w-]+\$[\w-]+$/)
  expect(row.password_hash).not.toContain(w.admin.password)
  expect(row.must_change_password).toBe(1)

  const client = w.anonymous()
  const signedIn = await client.signIn(w.admin.username, w.admin.password)
  expect(signedIn.status).toBe(200)
  expect(signedIn.json.mustChangePassword).toBe(true)
  const refused = await client.call('GET', '/console/api/units')
  expect(refused.status).toBe(403)
  expect(refused.json.error?.code).toBe('password-change-required')
  expect((await client.call('GET', '/console/api/me')).status).toBe(200)

  const weak = await client.call('POST', '/console/api/me/password', { currentPassword: w.admin.password, newPassword: 'ngan' })
  expect(weak.json.error).toMatchObject({ code: 'bad-input', field: 'body.newPassword' })
  const wrong = await client.call('POST', '/console/api/me/password', { currentPassword: 'sai', newPassword: 'mat-khau-moi-dai' })
  expect(wrong.json.error?.field).toBe('body.currentPassword')
  expect((await client.call('POST', '/console/api/me/password', { currentPassword: w.admin.password, newPassword: 'mat-khau-moi-dai' })).status).toBe(200)
  expect((await client.call('GET', '/console/api/units')).status).toBe(200)
  expect((await w.anonymous().signIn(w.admin.username, w.admin.password)).status).toBe(401)
  expect((await w.anonymous().signIn(w.admin.username, 'mat-khau-moi-dai')).json.mustChangePassword).toBe(false)
})

test('the session cookie is HttpOnly, SameSite=Strict, not Secure over HTTP; the database holds only its hash', async () => {
  const w = await world()
  const client = w.anonymous()
  const answer = await client.signIn(w.users.A['bien-tap'].username, w.users.A['bien-tap'].password)
  const cookie = String(answer.headers['set-cookie'])
  expect(cookie).toMatch(/^bangtin_session=[\w-]{40,};/)
  expect(cookie).toContain('HttpOnly')
  expect(cookie).toContain('SameSite=Strict')
  expect(cookie).toContain('Path=/console')
  expect(cookie).not.toContain('Secure')
  const value = client.cookie?.split('=')[1] ?? ''
  const stored = await w.opened.db.selectFrom('sessions').select('id_hash').execute()
  expect(stored.map((s) => s.id_hash)).not.toContain(value)
  // Nor anywhere in the database's files (the WAL included, where fresh commits sit).
  const file = w.opened.sqlite?.name ?? ''
  for (const part of [file, `${file}-wal`]) expect(readFileSync(part).includes(Buffer.from(value)), part).toBe(false)
  expect(readFileSync(`${file}-wal`).includes(Buffer.from(answer.json.csrfToken as string))).toBe(true)
})

const hasOpenssl = (() => {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
})()

test.skipIf(!hasOpenssl)('over TLS the session cookie is also Secure', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'bangtin-tls-'))
  try {
    const keyPath = join(dir, 'key.pem')
    const certPath = join(dir, 'cert.pem')
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', keyPath, '-out', certPath, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' })
    const cert = readFileSync(certPath, 'utf8')
    const w = await world({ server: { tls: { key: readFileSync(keyPath, 'utf8'), cert } }, ca: cert })
    const answer = await w.anonymous().signIn(w.users.A.xem.username, w.users.A.xem.password)
    expect(answer.status).toBe(200)
    expect(String(answer.headers['set-cookie'])).toMatch(/; Secure/)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test('five wrong passwords lock the account, with a bilingual message saying when to retry; it opens again after', async () => {
  let now = Date.parse('2026-11-30T08:00:00Z')
  const w = await world({ now: () => now })
  const { username, password } = w.users.A.duyet
  const client = w.anonymous()
  for (let i = 1; i <= 4; i++) expect((await client.signIn(username, `sai-${i}`)).json.error?.code).toBe('bad-credentials')
  const locked = await client.signIn(username, 'sai-5')
  expect(locked.status).toBe(429)
  expect(locked.headers['retry-after']).toBe('900')
  expect(locked.json.error).toMatchObject({ code: 'account-locked' })
  expect(locked.json.error?.vi).toContain('Thử lại sau 15 phút')
  expect(locked.json.error?.vi).toContain('15:15')
  expect(locked.json.error?.en).toContain('2026-11-30T08:15:00.000Z')
  // The right password does not open a locked account.
  expect((await client.signIn(username, password)).json.error?.code).toBe('account-locked')
  now += 15 * 60_000
  expect((await client.signIn(username, password)).status).toBe(200)
  const failures = await w.opened.db.selectFrom('audit_log').selectAll().where('action', '=', 'sign-in-failed').execute()
  expect(failures).toHaveLength(5)
  expect(failures.every((f) => f.address === '127.0.0.1' && f.user_id === w.users.A.duyet.id)).toBe(true)
})

test('an unknown user name answers exactly like an existing account: the same lockout after the same number of tries', async () => {
  let now = Date.parse('2026-11-30T08:00:00Z')
  const w = await world({ now: () => now })
  const known = w.users.A.duyet.username
  const client = w.anonymous()
  const tries = async (username: string) => {
    const answers: unknown[] = []
    for (let i = 1; i <= 7; i++) {
      const answer = await client.signIn(username, `sai-${i}`)
      answers.push({ status: answer.status, retryAfter: answer.headers['retry-after'] ?? null, error: answer.json.error })
    }
    return answers
  }
  const forKnown = await tries(known)
  const forUnknown = await tries('khong-co-ai')
  expect(forUnknown).toEqual(forKnown)
  expect(forUnknown.map((a) => (a as { status: number }).status)).toEqual([401, 401, 401, 401, 429, 429, 429])
  // Opens again after the same time; a differently cased name is the same name, as for accounts.
  now += 15 * 60_000
  expect((await client.signIn('KHONG-CO-AI', 'sai')).json.error?.code).toBe('bad-credentials')
})

test('one address may try only so many sign-ins per window: 429 with Retry-After', async () => {
  const w = await world({ loginLimits: { perAddress: 3 } })
  const client = w.anonymous()
  for (let i = 0; i < 3; i++) expect((await client.signIn('khong-ai', 'sai')).status).toBe(401)
  const limited = await client.signIn(w.users.A.xem.username, w.users.A.xem.password)
  expect(limited.status).toBe(429)
  expect(limited.json.error?.code).toBe('too-many-attempts')
  expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0)
})

test('sign-out ends the session and clears the cookie', async () => {
  const w = await world()
  const client = w.anonymous()
  await client.signIn(w.users.B.xem.username, w.users.B.xem.password)
  const out = await client.call('DELETE', '/console/api/session')
  expect(out.status).toBe(200)
  expect(String(out.headers['set-cookie'])).toContain('Max-Age=0')
  expect((await client.call('GET', '/console/api/me')).status).toBe(401)
})

test('API tokens: shown once, stored hashed, act with the user’s role and unit without CSRF, stop working when revoked', async () => {
  const w = await world()
  const person = await w.clientAs('A', 'bien-tap')
  const created = await person.call('POST', '/console/api/tokens', { name: 'script đồng bộ' })
  expect(created.status).toBe(201)
  const token = created.json.token as string
  expect((await w.opened.db.selectFrom('api_tokens').select('token_hash').execute()).map((t) => t.token_hash)).not.toContain(token)
  const script = new Client(w.server.url)
  script.bearer = token
  const me = await script.call('GET', '/console/api/me')
  expect(me.json).toMatchObject({ via: 'token', csrfToken: null, user: { role: 'bien-tap', unitId: w.districtA } })
  expect((await script.call('POST', '/console/api/tokens', { name: 'từ script' })).status).toBe(403)
  expect((await person.call('GET', '/console/api/tokens')).json.tokens).toHaveLength(1)
  // Another user cannot revoke it (404: not theirs), its owner can.
  const other = await w.clientAs('A', 'quan-tri')
  expect((await other.call('DELETE', `/console/api/tokens/${created.json.id as string}`)).status).toBe(404)
  expect((await person.call('DELETE', `/console/api/tokens/${created.json.id as string}`)).status).toBe(200)
  expect((await script.call('GET', '/console/api/me')).status).toBe(401)
})

test('a disabled account is refused at once, its sessions and tokens included', async () => {
  const w = await world()
  const user = await w.clientAs('B', 'bien-tap')
  const script = new Client(w.server.url)
  script.bearer = (await user.call('POST', '/console/api/tokens', { name: 't' })).json.token as string
  const admin = await w.clientAs('B', 'quan-tri')
  expect((await admin.call('PATCH', `/console/api/users/${w.users.B['bien-tap'].id}`, { disabled: true })).json.disabled).toBe(true)
  expect((await user.call('GET', '/console/api/me')).status).toBe(401)
  expect((await script.call('GET', '/console/api/me')).status).toBe(401)
  expect((await w.anonymous().signIn(w.users.B['bien-tap'].username, w.users.B['bien-tap'].password)).json.error?.code).toBe('account-disabled')
})
