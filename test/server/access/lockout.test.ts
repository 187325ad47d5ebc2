// Sign-in limits as an attacker on the LAN would test them, through the real server from several source
// addresses (127.0.0.x): wrong passwords lock an account only for the address that sent them, the account
// as a whole is slowed (a growing delay), never locked; successful sign-ins never count against an address.
import { afterEach, expect, test } from 'vitest'
import { makeWorld, type World } from './world'

const worlds: World[] = []
afterEach(async () => {
  for (const world of worlds.splice(0)) await world.close()
})

async function world(opts: Parameters<typeof makeWorld>[0] = {}): Promise<World> {
  const made = await makeWorld(opts)
  worlds.push(made)
  return made
}

test('wrong passwords from other addresses do not keep the rightful user out; the guessing address is locked, with until when', async () => {
  const now = Date.parse('2026-11-30T08:00:00Z')
  // A tiny delay unit: the growing delay is read from the audit log, not timed.
  const w = await world({ now: () => now, loginLimits: { delayBaseMs: 1, delayMaxMs: 4 } })
  const { username, password, id } = w.users.A['quan-tri']
  // Five wrong passwords, each from another address (the reviewer's attack), then five more from one.
  for (let i = 100; i < 105; i++) expect((await w.anonymous(`127.0.0.${i}`).signIn(username, `sai-${i}`)).status).toBe(401)
  const attacker = w.anonymous('127.0.0.200')
  for (let i = 1; i <= 4; i++) expect((await attacker.signIn(username, `sai-${i}`)).status).toBe(401)
  const locked = await attacker.signIn(username, 'sai-5')
  expect(locked.status).toBe(429)
  expect(locked.headers['retry-after']).toBe('900')
  expect(locked.json.error).toMatchObject({ code: 'account-locked' })
  expect(locked.json.error?.vi).toContain('Thử lại sau 15 phút (lúc 15:15 giờ Việt Nam)')
  expect(locked.json.error?.en).toContain('2026-11-30T08:15:00.000Z')
  // Even the right password is refused from the locked address…
  expect((await attacker.signIn(username, password)).json.error?.code).toBe('account-locked')
  // …but the rightful user at their own computer signs in.
  const rightful = await w.anonymous('127.0.0.1').signIn(username, password)
  expect(rightful.status).toBe(200)

  // The account as a whole was slowed, not locked: from the sixth failure on, each waited longer.
  const failures = await w.opened.db.selectFrom('audit_log').select(['detail', 'address']).where('action', '=', 'sign-in-failed').where('user_id', '=', id).orderBy('id').execute()
  const delays = failures.map((f) => (JSON.parse(f.detail) as { delayedMs: number }).delayedMs)
  expect(delays).toEqual([0, 0, 0, 0, 0, 1, 2, 4, 4, 4])
  expect(failures.map((f) => f.address).slice(0, 5)).toEqual(['127.0.0.100', '127.0.0.101', '127.0.0.102', '127.0.0.103', '127.0.0.104'])
})

test('an unknown user name is limited exactly as an account: locked for the guessing address only, slowed alike', async () => {
  const now = Date.parse('2026-11-30T08:00:00Z')
  const w = await world({ now: () => now, loginLimits: { delayBaseMs: 1, delayMaxMs: 4 } })
  const tries = async (username: string) => {
    const answers: unknown[] = []
    for (let i = 100; i < 103; i++) {
      const answer = await w.anonymous(`127.0.0.${i}`).signIn(username, 'sai')
      answers.push({ status: answer.status, error: answer.json.error })
    }
    const one = w.anonymous('127.0.0.150')
    for (let i = 1; i <= 6; i++) {
      const answer = await one.signIn(username, `sai-${i}`)
      answers.push({ status: answer.status, retryAfter: answer.headers['retry-after'] ?? null, error: answer.json.error })
    }
    answers.push((await w.anonymous('127.0.0.151').signIn(username, 'sai')).status)
    return answers
  }
  const forKnown = await tries(w.users.B.duyet.username)
  const forUnknown = await tries('khong-co-ai')
  expect(forUnknown).toEqual(forKnown)
  expect(forUnknown.map((a) => (typeof a === 'number' ? a : (a as { status: number }).status))).toEqual([401, 401, 401, 401, 401, 401, 401, 429, 429, 401])
  const details = (await w.opened.db.selectFrom('audit_log').select('detail').where('action', '=', 'sign-in-failed').orderBy('id').execute()).map(
    (r) => (JSON.parse(r.detail) as { delayedMs?: number }).delayedMs ?? null
  )
  // The refusals of a locked address are not audited as tries: 9 per name, delays alike.
  expect(details.slice(9)).toEqual(details.slice(0, 9))
  expect(details.slice(0, 9)).toEqual([0, 0, 0, 0, 0, 1, 2, 4, 4])
})

test('successful sign-ins never count against the address limit: an office behind one address keeps working', async () => {
  const w = await world({ loginLimits: { perAddress: 3 } })
  const office = [w.users.A.xem, w.users.A.duyet, w.users.B.xem, w.users.B['bien-tap'], w.users.A['quan-tri']]
  for (const user of [...office, ...office]) expect((await w.anonymous().signIn(user.username, user.password)).status).toBe(200)
  // Failures still count: three, then the address waits (even for a right password).
  for (let i = 0; i < 3; i++) expect((await w.anonymous().signIn('khong-ai', 'sai')).status).toBe(401)
  const limited = await w.anonymous().signIn(w.users.A.xem.username, w.users.A.xem.password)
  expect(limited.status).toBe(429)
  expect(limited.json.error?.code).toBe('too-many-attempts')
  // Another address is not held back.
  expect((await w.anonymous('127.0.0.9').signIn(w.users.A.xem.username, w.users.A.xem.password)).status).toBe(200)
})
