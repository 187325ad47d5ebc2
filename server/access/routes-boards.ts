// Boards' placement (unit, name, tags), API tokens for scripts, and reading the audit log.
import { z } from 'zod'
import { ANY_ROLE } from '../api/actor'
import { ApiFailure, fail } from '../api/errors'
import { defineRoute } from '../api/route'
import { placeBoard, placementOf, placementsIn } from './boards'
import { AuditOut, BoardName, BoardOut, DeviceId, IdParam, Name, Tag, TokenOut } from './schemas'
import { createApiToken, revokeApiToken, tokensOf } from './tokens'

export const listBoards = defineRoute({
  method: 'GET',
  path: '/console/api/boards',
  roles: ANY_ROLE,
  summary: 'Boards placed in my units, with unit, name and tags',
  tag: 'access',
  query: z.object({ tag: z.string().optional(), unitId: z.string().optional() }),
  scope: { 'query.unitId': 'unit' },
  output: z.object({ boards: z.array(BoardOut) }),
  async handler(ctx, { query }) {
    let boards = await placementsIn(ctx.db, ctx.actor.subtree)
    if (query.tag) boards = boards.filter((b) => b.tags.includes(query.tag as string))
    if (query.unitId) boards = boards.filter((b) => b.unitId === query.unitId)
    return { boards }
  }
})

export const getBoard = defineRoute({
  method: 'GET',
  path: '/console/api/boards/:deviceId',
  roles: ANY_ROLE,
  summary: "A board's placement",
  tag: 'access',
  params: z.object({ deviceId: DeviceId }),
  scope: { 'params.deviceId': 'board' },
  output: BoardOut,
  async handler(ctx, { params }) {
    const placement = await placementOf(ctx.db, params.deviceId)
    if (!placement) throw fail.notFound('params.deviceId', 'Bảng tin này chưa được gán vào đơn vị nào.', 'This board is not placed in any unit yet.')
    return placement
  }
})

export const putBoard = defineRoute({
  method: 'PUT',
  path: '/console/api/boards/:deviceId',
  roles: ['quan-tri'],
  summary: 'Place a board in one of my units, with its name and tags (e.g. "LED ngoài trời", "trụ sở UBND")',
  tag: 'access',
  params: z.object({ deviceId: DeviceId }),
  body: z.object({ unitId: z.string().min(1), displayName: BoardName, tags: z.array(Tag).max(20).default([]) }),
  scope: { 'params.deviceId': 'board', 'body.unitId': 'unit' },
  output: BoardOut,
  async handler(ctx, { params, body }) {
    const before = await placementOf(ctx.db, params.deviceId)
    const board = await placeBoard(ctx.db, { deviceId: params.deviceId, ...body }, ctx.now())
    await ctx.audit('board-placed', params.deviceId, body, { targetUnitId: body.unitId })
    // Moved, renamed or retagged: what it should play may differ, so the programme is republished (as after
    // a pairing approval), once the move is committed; unchanged documents keep their version.
    const changed = !before || before.unitId !== board.unitId || before.displayName !== board.displayName || before.tags.join('\0') !== board.tags.join('\0')
    const afterPlaced = ctx.services.enrolment?.afterPlaced
    if (changed && afterPlaced) ctx.afterCommit(() => afterPlaced(params.deviceId))
    return board
  }
})

export const listTokens = defineRoute({
  method: 'GET',
  path: '/console/api/tokens',
  roles: ANY_ROLE,
  summary: 'My API tokens (never the tokens themselves)',
  tag: 'access',
  output: z.object({ tokens: z.array(TokenOut) }),
  async handler(ctx) {
    return { tokens: await tokensOf(ctx.db, ctx.actor.userId) }
  }
})

export const addToken = defineRoute({
  method: 'POST',
  path: '/console/api/tokens',
  roles: ANY_ROLE,
  summary: 'Create an API token for scripts, acting with my role and unit; the token is shown once (signed-in people only, not another token)',
  tag: 'access',
  body: z.object({ name: Name }),
  output: TokenOut.extend({ token: z.string() }),
  status: 201,
  async handler(ctx, { body }) {
    // A stolen token must not outlive its own revocation by minting others.
    if (ctx.actor.via !== 'session') {
      throw new ApiFailure(
        403,
        'sign-in-required',
        'Chỉ người đã đăng nhập mới tạo được mã truy cập API; một mã truy cập không thể tạo mã khác.',
        'Only a signed-in person can create API tokens; a token cannot create another.',
        'headers.authorization'
      )
    }
    const { info, token } = await createApiToken(ctx.db, ctx.actor.userId, body.name, ctx.now())
    await ctx.audit('token-created', info.id, { name: info.name })
    return { ...info, token }
  }
})

export const revokeToken = defineRoute({
  method: 'DELETE',
  path: '/console/api/tokens/:id',
  roles: ANY_ROLE,
  summary: 'Revoke one of my API tokens',
  tag: 'access',
  params: IdParam,
  unscoped: { 'params.id': "the caller's own tokens only: another's answers 404" },
  output: z.object({ revoked: z.literal(true) }),
  async handler(ctx, { params }) {
    if (!(await revokeApiToken(ctx.db, ctx.actor.userId, params.id, ctx.now()))) throw fail.notFound('params.id')
    await ctx.audit('token-revoked', params.id)
    return { revoked: true as const }
  }
})

export const readAudit = defineRoute({
  method: 'GET',
  path: '/console/api/audit',
  roles: ['quan-tri', 'duyet'],
  summary: 'The audit log of my units (done by their users, or to their things), newest first; the province also sees what belongs to no unit (the admin API, sign-in attempts for unknown names)',
  tag: 'access',
  query: z.object({ limit: z.coerce.number().int().min(1).max(500).default(100), before: z.coerce.number().int().min(1).optional() }),
  output: z.object({ entries: z.array(AuditOut) }),
  async handler(ctx, { query }) {
    const units = [...ctx.actor.subtree]
    let q = ctx.db
      .selectFrom('audit_log')
      .leftJoin('users', 'users.id', 'audit_log.user_id')
      .selectAll('audit_log')
      .select('users.display_name as user_name')
      .where((eb) =>
        eb.or([
          eb('audit_log.unit_id', 'in', units),
          eb('audit_log.target_unit_id', 'in', units),
          // Entries of no unit (the admin token's changes, unknown names trying to sign in): the province's to see.
          ...(ctx.actor.atRoot ? [eb.and([eb('audit_log.unit_id', 'is', null), eb('audit_log.target_unit_id', 'is', null)])] : [])
        ])
      )
    if (query.before !== undefined) q = q.where('audit_log.id', '<', query.before)
    const rows = await q.orderBy('audit_log.id', 'desc').limit(query.limit).execute()
    return {
      entries: rows.map((r) => ({
        id: r.id,
        at: r.at,
        userId: r.user_id,
        userName: r.user_name ?? null,
        unitId: r.unit_id,
        targetUnitId: r.target_unit_id,
        address: r.address,
        via: r.via,
        action: r.action,
        target: r.target,
        detail: JSON.parse(r.detail) as unknown
      }))
    }
  }
})

export const boardRoutes = [listBoards, getBoard, putBoard, listTokens, addToken, revokeToken, readAudit]
