// Administering units, users and their API tokens (role quan-tri), always within the administrator's own
// subtree: the framework refuses any unit or user id outside it (scope specs) before these handlers run.
import { z } from 'zod'
import { ANY_ROLE } from '../api/actor'
import { fail } from '../api/errors'
import { defineRoute } from '../api/route'
import { DisplayName, IdParam, RoleSchema, TokenOut, UnitName, UnitOut, Username, UserOut } from './schemas'
import { revokeApiToken, tokensOf } from './tokens'
import { createUnit, moveUnit, renameUnit, subtreeUnits } from './units'
import { createUser, resetPassword, updateUser, usersIn } from './users'

export const listUnits = defineRoute({
  method: 'GET',
  path: '/console/api/units',
  roles: ANY_ROLE,
  summary: 'Units I may see and target: my unit and everything below it',
  tag: 'access',
  output: z.object({ units: z.array(UnitOut) }),
  async handler(ctx) {
    return { units: await subtreeUnits(ctx.db, ctx.actor.unitId) }
  }
})

export const addUnit = defineRoute({
  method: 'POST',
  path: '/console/api/units',
  roles: ['quan-tri'],
  summary: 'Create a unit below one of mine (huyện below tỉnh, xã below huyện)',
  tag: 'access',
  body: z.object({ parentId: z.string().min(1), name: UnitName }),
  scope: { 'body.parentId': 'unit' },
  output: UnitOut,
  status: 201,
  async handler(ctx, { body }) {
    const unit = await createUnit(ctx.db, body.parentId, body.name, ctx.now())
    await ctx.audit('unit-created', unit.id, { name: unit.name, parentId: unit.parentId })
    return unit
  }
})

export const changeUnit = defineRoute({
  method: 'PATCH',
  path: '/console/api/units/:id',
  roles: ['quan-tri'],
  summary: 'Rename a unit, or move it below another of mine',
  tag: 'access',
  params: IdParam,
  body: z.object({ name: UnitName.optional(), parentId: z.string().min(1).optional() }),
  scope: { 'params.id': 'unit', 'body.parentId': 'unit' },
  output: UnitOut,
  async handler(ctx, { params, body }) {
    let unit = null
    if (body.parentId !== undefined) {
      if (params.id === ctx.actor.unitId) throw fail.conflict('params.id', 'Không thể chuyển đơn vị của chính mình.', 'You cannot move your own unit.')
      unit = await moveUnit(ctx.db, params.id, body.parentId, body.name)
    }
    if (body.name !== undefined) unit = await renameUnit(ctx.db, params.id, body.name)
    if (!unit) throw fail.badInput('body', 'Không có thay đổi nào (name, parentId).', 'Nothing to change (name, parentId).')
    await ctx.audit('unit-changed', params.id, body)
    return unit
  }
})

export const listUsers = defineRoute({
  method: 'GET',
  path: '/console/api/users',
  roles: ['quan-tri'],
  summary: 'Users in my units',
  tag: 'access',
  output: z.object({ users: z.array(UserOut) }),
  async handler(ctx) {
    return { users: await usersIn(ctx.db, ctx.actor.subtree) }
  }
})

export const addUser = defineRoute({
  method: 'POST',
  path: '/console/api/users',
  roles: ['quan-tri'],
  summary: 'Create a user in one of my units; answers their one-time password (shown once)',
  tag: 'access',
  body: z.object({ unitId: z.string().min(1), username: Username, displayName: DisplayName, role: RoleSchema }),
  scope: { 'body.unitId': 'unit' },
  output: z.object({ user: UserOut, password: z.string() }),
  status: 201,
  async handler(ctx, { body }) {
    const created = await createUser(ctx.db, { ...body, mustChangePassword: true }, ctx.now())
    await ctx.audit('user-created', created.user.id, { username: created.user.username, role: created.user.role, unitId: created.user.unitId })
    return created
  }
})

export const changeUser = defineRoute({
  method: 'PATCH',
  path: '/console/api/users/:id',
  roles: ['quan-tri'],
  summary: "Change a user's role, name, unit, or disable / enable them; a new role or unit, or disabling, revokes their API tokens",
  tag: 'access',
  params: IdParam,
  body: z.object({ role: RoleSchema.optional(), displayName: DisplayName.optional(), disabled: z.boolean().optional(), unitId: z.string().min(1).optional() }),
  scope: { 'params.id': 'user', 'body.unitId': 'unit' },
  output: UserOut,
  async handler(ctx, { params, body }) {
    const self = params.id === ctx.actor.userId
    if (self && (body.role !== undefined || body.disabled === true || body.unitId !== undefined)) {
      // Nobody locks themselves (or the last administrator of a unit) out by a slip of the mouse.
      throw fail.conflict('params.id', 'Không thể tự đổi vai trò, đơn vị hoặc tự vô hiệu hoá tài khoản của mình.', 'You cannot change your own role or unit, or disable yourself.')
    }
    const { user, revoked } = await updateUser(ctx.db, params.id, body, ctx.now())
    await ctx.audit('user-changed', params.id, body)
    if (revoked) await ctx.audit('tokens-revoked', params.id, revoked)
    return user
  }
})

export const resetUserPassword = defineRoute({
  method: 'POST',
  path: '/console/api/users/:id/password-reset',
  roles: ['quan-tri'],
  summary: "Give a user a new one-time password (shown once); ends the user's sessions and revokes their API tokens",
  tag: 'access',
  params: IdParam,
  scope: { 'params.id': 'user' },
  output: z.object({ password: z.string() }),
  async handler(ctx, { params }) {
    const { password, tokensRevoked } = await resetPassword(ctx.db, params.id, ctx.now())
    await ctx.audit('password-reset', params.id)
    if (tokensRevoked > 0) await ctx.audit('tokens-revoked', params.id, { reason: 'password-reset', count: tokensRevoked })
    return { password }
  }
})

export const listUserTokens = defineRoute({
  method: 'GET',
  path: '/console/api/users/:id/tokens',
  roles: ['quan-tri'],
  summary: "A user's API tokens, revoked ones included (never the tokens themselves)",
  tag: 'access',
  params: IdParam,
  scope: { 'params.id': 'user' },
  output: z.object({ tokens: z.array(TokenOut) }),
  async handler(ctx, { params }) {
    return { tokens: await tokensOf(ctx.db, params.id) }
  }
})

export const revokeUserToken = defineRoute({
  method: 'DELETE',
  path: '/console/api/users/:id/tokens/:tokenId',
  roles: ['quan-tri'],
  summary: "Revoke one of a user's API tokens (say, a script left behind by someone who moved on)",
  tag: 'access',
  params: IdParam.extend({ tokenId: z.string().min(1).max(128) }),
  scope: { 'params.id': 'user' },
  unscoped: { 'params.tokenId': 'only a token of that (scoped) user: any other answers 404' },
  output: z.object({ revoked: z.literal(true) }),
  async handler(ctx, { params }) {
    if (!(await revokeApiToken(ctx.db, params.id, params.tokenId, ctx.now()))) throw fail.notFound('params.tokenId')
    await ctx.audit('token-revoked', params.tokenId, { userId: params.id })
    return { revoked: true as const }
  }
})

export const adminRoutes = [listUnits, addUnit, changeUnit, listUsers, addUser, changeUser, resetUserPassword, listUserTokens, revokeUserToken]
