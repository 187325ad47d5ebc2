// Enrolment: an approver or administrator approves the pairing code a board shows into one of their units
// (the board gets its token, and is placed there in one go), and root actors see what waits or is unplaced.
import { z } from 'zod'
import { ApiFailure, fail } from '../api/errors'
import { defineRoute, type AnyRoute, type RouteContext } from '../api/route'
import type { Actor } from '../api/actor'
import { placeBoard, placementOf } from '../access/boards'
import { newId } from '../access/ids'
import { BoardName, BoardOut, DeviceId, Tag } from '../access/schemas'
import { DeviceExistsError, PairingTakenError } from '../pairing'
import { AttemptLimiter } from './limiter'

/** What enrolment needs of the reference server (ReferenceServer satisfies it). */
export interface PairingSource {
  pendingPairings(): { code: string; expiresAt: string }[]
  approvePairing(code: string, deviceId: string, boardName?: string, opts?: { rekey?: boolean }): { deviceId: string; token: string | null } | null
  /** Resolves once every change made so far is committed (the board gets its token only then). */
  durable(): Promise<void>
  deviceSummaries(): { deviceId: string; connected: boolean; lastSeen: string | null }[]
}

export interface EnrolmentServices {
  pairing: PairingSource
  /** Approvals per user per window (a wrong code counts too): codes are short, guessing must not pay. */
  limiter: AttemptLimiter
  /**
   * After a board is placed: the product republishes the approved programme, so the board gets its unit's
   * content at once rather than at the next approval. Must not throw (the pairing is done by then).
   */
  afterPlaced?: (deviceId: string) => Promise<void>
}

declare module '../api/route' {
  interface ApiServices {
    enrolment: EnrolmentServices
  }
}

const APPROVERS = ['duyet', 'quan-tri'] as const
const TAG = 'enrolment'

function services(ctx: RouteContext<Actor>): EnrolmentServices {
  const found = ctx.services.enrolment
  if (!found) throw new ApiFailure(503, 'unavailable', 'Máy chủ này không nhận ghép nối bảng tin.', 'This server does not take board pairings.')
  return found
}


export const listPairings = defineRoute({
  method: 'GET',
  path: '/console/api/pairings',
  roles: APPROVERS,
  summary: 'Mã ghép nối đang chờ (chỉ cấp tỉnh; cấp dưới: danh sách rỗng) / pairing codes boards show now (province level only; empty below it)',
  tag: TAG,
  output: z.object({ pairings: z.array(z.object({ code: z.string(), expiresAt: z.string() })) }),
  async handler(ctx) {
    // A code is proof that someone stands before the board: only the province lists what waits everywhere;
    // a district approver types the code the board shows.
    return { pairings: ctx.actor.atRoot ? services(ctx).pairing.pendingPairings() : [] }
  }
})

export const listUnplaced = defineRoute({
  method: 'GET',
  path: '/console/api/unplaced-boards',
  roles: APPROVERS,
  summary: 'Bảng tin đã ghép nối nhưng chưa gán đơn vị (chỉ cấp tỉnh; cấp dưới: rỗng) / paired boards not placed in a unit (province level only; empty below it)',
  tag: TAG,
  output: z.object({ boards: z.array(z.object({ deviceId: z.string(), connected: z.boolean(), lastSeen: z.string().nullable() })) }),
  async handler(ctx) {
    // Boards not yet placed belong to the province (server/access/boards.ts): nobody below sees them.
    if (!ctx.actor.atRoot) return { boards: [] }
    const placed = new Set((await ctx.db.selectFrom('board_placements').select('device_id').execute()).map((row) => row.device_id))
    const boards = services(ctx).pairing.deviceSummaries().filter((board) => !placed.has(board.deviceId))
    return { boards: boards.map(({ deviceId, connected, lastSeen }) => ({ deviceId, connected, lastSeen })) }
  }
})

export const approvePairing = defineRoute({
  method: 'POST',
  path: '/console/api/pairings/approve',
  roles: APPROVERS,
  summary: 'Duyệt mã ghép nối vào một đơn vị / approve the code a board shows into one of my units',
  tag: TAG,
  body: z.object({
    code: z.string().trim().min(4).max(16),
    unitId: z.string().min(1),
    displayName: BoardName,
    tags: z.array(Tag).max(20).default([]),
    /** Re-key: the board replaces this existing board (whose old token then stops working). */
    rekeyDeviceId: DeviceId.optional()
  }),
  scope: { 'body.unitId': 'unit', 'body.rekeyDeviceId': 'board' },
  output: BoardOut,
  status: 201,
  // The reference server commits the device through its own queue on the root handle: no route transaction.
  transaction: false,
  async handler(ctx, { body }) {
    const { pairing, limiter } = services(ctx)
    limiter.take(ctx.actor.userId, ctx.now())
    const code = body.code.toUpperCase()
    const noCode = () => fail.notFound('body.code', `Không có bảng tin nào đang hiện mã ${code}.`, `No board is showing code ${code}.`)
    if (body.rekeyDeviceId !== undefined && !pairing.deviceSummaries().some((d) => d.deviceId === body.rekeyDeviceId)) {
      throw fail.notFound('body.rekeyDeviceId', 'Không có bảng tin này để thay khóa.', 'No such board to re-key.')
    }
    const deviceId = body.rekeyDeviceId ?? newId('bang')
    let approved: { deviceId: string } | null
    try {
      approved = pairing.approvePairing(code, deviceId, body.displayName, { rekey: body.rekeyDeviceId !== undefined })
    } catch (error) {
      if (error instanceof DeviceExistsError) throw fail.conflict('body.rekeyDeviceId', 'Bảng tin này đã có; phải chọn thay khóa.', 'This board exists; re-keying must be chosen explicitly.')
      if (error instanceof PairingTakenError) {
        // Two operators typed the same code at once: the first one's board is the one paired.
        throw new ApiFailure(409, 'already-approved', `Mã ${code} vừa được duyệt rồi; xem danh sách bảng tin.`, `Code ${code} has just been approved; see the list of boards.`, 'body.code')
      }
      throw error
    }
    if (!approved) throw noCode()
    await pairing.durable()
    // Paired and committed; should placing fail now, the board is unplaced (the province's) and a
    // province administrator places it (PUT /console/api/boards/:deviceId): nothing is lost or half-trusted.
    const before = await placementOf(ctx.db, deviceId)
    const board = await placeBoard(ctx.db, { deviceId, unitId: body.unitId, displayName: body.displayName, tags: body.tags }, ctx.now())
    await ctx.audit(body.rekeyDeviceId ? 'board-rekeyed' : 'board-paired', deviceId, { code, displayName: body.displayName, tags: body.tags, from: before?.unitId ?? null }, { targetUnitId: body.unitId })
    await services(ctx).afterPlaced?.(deviceId)
    return board
  }
})

export const enrolmentRoutes: AnyRoute[] = [listPairings, listUnplaced, approvePairing]
