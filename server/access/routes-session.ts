// Sign in and out, who am I, change my password: the routes a person uses before anything else.
import { z } from 'zod'
import { ANY_ROLE } from '../api/actor'
import { ApiFailure, fail } from '../api/errors'
import { defineRoute } from '../api/route'
import { lockedFailure } from './login-limits'
import { dummyHash, verifyPassword } from './passwords'
import { NewPassword, UnitOut, UserOut } from './schemas'
import { accessServicesOr } from './services'
import { clearedCookie, createSession, csrfTokenOf, endSession, sessionCookie, sessionIdOf } from './sessions'
import { revokeTokensOf } from './tokens'
import { unitRow } from './units'
import { endSessionsOf, getUser, setPassword } from './users'
import { sha256 } from './ids'

const badCredentials = () =>
  new ApiFailure(401, 'bad-credentials', 'Sai tên đăng nhập hoặc mật khẩu.', 'Wrong username or password.', 'body.password')

export const signIn = defineRoute({
  method: 'POST',
  path: '/console/api/session',
  roles: 'public',
  summary: 'Sign in: sets the session cookie; answers the CSRF token to send as X-CSRF-Token',
  tag: 'access',
  body: z.object({ username: z.string().trim().min(1).max(64), password: z.string().min(1).max(200) }),
  output: z.object({ csrfToken: z.string(), expiresAt: z.string(), mustChangePassword: z.boolean(), user: UserOut }),
  // Failures must count (and be audited) even though the request fails: no enclosing transaction.
  transaction: false,
  async handler(ctx, { body }) {
    const now = ctx.now()
    const services = accessServicesOr(ctx.services.access)
    services.addressLimiter.take(ctx.address, now)
    // Names are limited alike whether or not an account has them: neither the answers nor their timing
    // tell which usernames exist.
    const name = body.username.toLowerCase()
    const delayedMs = services.guard.begin(name, ctx.address, now)
    if (delayedMs > 0) await new Promise((resolve) => setTimeout(resolve, delayedMs))
    const row = await ctx.db
      .selectFrom('users')
      .select(['id', 'unit_id', 'password_hash', 'disabled'])
      .where('username', '=', name)
      .executeTakeFirst()
    const about = row ? { userId: row.id, unitId: row.unit_id } : undefined
    // An unknown name is checked against a dummy hash, as slowly as a real one.
    if (!(await verifyPassword(body.password, row?.password_hash ?? (await dummyHash()))) || !row) {
      const lockedUntil = services.guard.failed(name, ctx.address, now)
      const reason = row ? 'wrong-password' : 'unknown-user'
      await ctx.audit('sign-in-failed', row?.id ?? null, { ...(row ? {} : { username: body.username }), reason, locked: lockedUntil !== null, delayedMs }, about)
      if (lockedUntil !== null) throw lockedFailure(lockedUntil, now)
      throw badCredentials()
    }
    // The right password: neither the address's limit nor the name's delay counts it.
    services.guard.succeeded(name, ctx.address)
    services.addressLimiter.forgive(ctx.address, now)
    if (row.disabled === 1) {
      await ctx.audit('sign-in-failed', row.id, { reason: 'disabled' }, about)
      throw new ApiFailure(403, 'account-disabled', 'Tài khoản đã bị vô hiệu hoá.', 'The account is disabled.', 'body.username')
    }
    const session = await createSession(ctx.db, row.id, ctx.address, now)
    ctx.setHeader('Set-Cookie', sessionCookie(ctx.req, session))
    await ctx.audit('sign-in', row.id, null, about)
    const user = await getUser(ctx.db, row.id)
    if (!user) throw fail.unauthenticated()
    return { csrfToken: session.csrfToken, expiresAt: session.expiresAt, mustChangePassword: user.mustChangePassword, user }
  }
})

export const signOut = defineRoute({
  method: 'DELETE',
  path: '/console/api/session',
  roles: ANY_ROLE,
  summary: 'Sign out: ends this session',
  tag: 'access',
  output: z.object({ signedOut: z.literal(true) }),
  allowBeforePasswordChange: true,
  async handler(ctx) {
    await endSession(ctx.db, ctx.req)
    ctx.setHeader('Set-Cookie', clearedCookie(ctx.req))
    await ctx.audit('sign-out', ctx.actor.userId)
    return { signedOut: true as const }
  }
})

export const me = defineRoute({
  method: 'GET',
  path: '/console/api/me',
  roles: ANY_ROLE,
  summary: 'Who is signed in: user, unit, role, the session CSRF token (after a page reload)',
  tag: 'access',
  output: z.object({ user: UserOut, unit: UnitOut, via: z.enum(['session', 'token']), csrfToken: z.string().nullable(), unitIds: z.array(z.string()) }),
  allowBeforePasswordChange: true,
  async handler(ctx) {
    const user = await getUser(ctx.db, ctx.actor.userId)
    const unit = await unitRow(ctx.db, ctx.actor.unitId)
    if (!user || !unit) throw fail.unauthenticated()
    return {
      user,
      unit: { id: unit.id, parentId: unit.parent_id, level: unit.level, name: unit.name },
      via: ctx.actor.via,
      csrfToken: ctx.actor.via === 'session' ? await csrfTokenOf(ctx.db, ctx.req) : null,
      unitIds: [...ctx.actor.subtree]
    }
  }
})

export const changePassword = defineRoute({
  method: 'POST',
  path: '/console/api/me/password',
  roles: ANY_ROLE,
  summary: 'Change my password (required first with a one-time password); ends my other sessions and revokes my API tokens',
  tag: 'access',
  body: z.object({ currentPassword: z.string().min(1).max(200), newPassword: NewPassword }),
  output: z.object({ changed: z.literal(true) }),
  allowBeforePasswordChange: true,
  async handler(ctx, { body }) {
    const row = await ctx.db.selectFrom('users').select(['password_hash']).where('id', '=', ctx.actor.userId).executeTakeFirst()
    if (!row || !(await verifyPassword(body.currentPassword, row.password_hash))) {
      throw fail.badInput('body.currentPassword', 'Mật khẩu hiện tại không đúng.', 'The current password is wrong.')
    }
    if (body.newPassword === body.currentPassword) {
      throw fail.badInput('body.newPassword', 'Mật khẩu mới phải khác mật khẩu cũ.', 'The new password must differ from the old one.')
    }
    await setPassword(ctx.db, ctx.actor.userId, body.newPassword, false)
    const current = sessionIdOf(ctx.req)
    await endSessionsOf(ctx.db, ctx.actor.userId, current ? sha256(current) : undefined)
    const revoked = await revokeTokensOf(ctx.db, ctx.actor.userId, ctx.now())
    await ctx.audit('password-changed', ctx.actor.userId)
    if (revoked > 0) await ctx.audit('tokens-revoked', ctx.actor.userId, { reason: 'password-changed', count: revoked }, { targetUnitId: ctx.actor.unitId })
    return { changed: true as const }
  }
})

export const sessionRoutes = [signIn, signOut, me, changePassword]
