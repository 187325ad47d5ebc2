// Commands to one board from the console (screenshot now, fetch the programme, reload, display on/off, send
// logs) with the results the board sends back, and the board's newest screenshot. Each command sent is in the
// audit log, which is also where the list of a board's commands is read from (results from its acks).
import { z } from 'zod'
import type { UploadMeta } from '../../main/core/protocol/api'
import { ANY_ROLE, type Actor } from '../api/actor'
import { ApiFailure, fail } from '../api/errors'
import { defineRoute, RawReply, type AnyRoute, type RouteContext } from '../api/route'
import { placementOf } from '../access/boards'
import { DeviceId } from '../access/schemas'
import type { AckRecord, UploadRecord } from '../state'

/** What the command routes use of the reference server (ReferenceServer satisfies it). */
export interface CommandSink {
  command(kind: string, args?: Record<string, string | number | boolean>, opts?: { deviceIds?: string[]; ttlSec?: number }): { id: string; kind: string; issuedAt: string }
  readonly acks: readonly AckRecord[]
  readonly uploads: ReadonlyMap<string, UploadRecord>
}

declare module '../api/route' {
  interface ApiServices {
    boardCommands: CommandSink
  }
}

/** The kinds an officer may send from the console (restart and volume stay with the administrators' tools). */
export const CONSOLE_COMMANDS = ['screenshot', 'resync', 'reload', 'display-on', 'display-off', 'upload-logs'] as const
const SENDERS = ['quan-tri', 'duyet'] as const
const AUDIT_ACTION = 'board.command'

function sink(ctx: RouteContext<Actor>): CommandSink {
  const found = ctx.services.boardCommands
  if (!found) throw new ApiFailure(503, 'unavailable', 'Máy chủ này không gửi lệnh tới bảng tin.', 'This server does not send commands to boards.')
  return found
}

async function placed(ctx: RouteContext<Actor>, deviceId: string) {
  const placement = await placementOf(ctx.db, deviceId)
  if (!placement) throw fail.notFound('params.deviceId', 'Bảng tin này chưa được gán vào đơn vị nào.', 'This board is not placed in any unit yet.')
  return placement
}

type Screenshot = UploadRecord & { meta: Extract<UploadMeta, { kind: 'screenshot' }> }

function newestScreenshot(source: CommandSink, deviceId: string): Screenshot | null {
  const shots = [...source.uploads.values()].filter((u): u is Screenshot => u.deviceId === deviceId && u.meta.kind === 'screenshot')
  return shots.reduce<Screenshot | null>((newest, shot) => (!newest || shot.meta.takenAt > newest.meta.takenAt ? shot : newest), null)
}

const CommandOut = z.object({
  id: z.string(),
  kind: z.string(),
  sentAt: z.string(),
  sentBy: z.string().nullable(),
  result: z.object({ ok: z.boolean().nullable(), detail: z.string().nullable(), at: z.string() }).nullable()
})

export const sendBoardCommand = defineRoute({
  method: 'POST',
  path: '/console/api/boards/:deviceId/commands',
  roles: SENDERS,
  summary: 'Gửi lệnh tới một bảng tin (chụp màn hình, lấy chương trình, tải lại, bật/tắt màn hình, gửi nhật ký) / send a command to one board',
  tag: 'store',
  params: z.object({ deviceId: DeviceId }),
  body: z.object({ kind: z.enum(CONSOLE_COMMANDS) }),
  scope: { 'params.deviceId': 'board' },
  output: CommandOut,
  status: 201,
  async handler(ctx, { params, body }) {
    const placement = await placed(ctx, params.deviceId)
    const sent = sink(ctx).command(body.kind, {}, { deviceIds: [params.deviceId], ttlSec: 600 })
    await ctx.audit(AUDIT_ACTION, params.deviceId, { commandId: sent.id, kind: sent.kind }, { targetUnitId: placement.unitId })
    return { id: sent.id, kind: sent.kind, sentAt: sent.issuedAt, sentBy: ctx.actor.userId, result: null }
  }
})

export const listBoardCommands = defineRoute({
  method: 'GET',
  path: '/console/api/boards/:deviceId/commands',
  roles: ANY_ROLE,
  summary: "Lệnh đã gửi tới bảng tin và kết quả; ảnh chụp màn hình mới nhất / a board's commands with their results, and its newest screenshot",
  tag: 'store',
  params: z.object({ deviceId: DeviceId }),
  scope: { 'params.deviceId': 'board' },
  output: z.object({ commands: z.array(CommandOut), screenshot: z.object({ takenAt: z.string(), commandId: z.string().nullable(), width: z.number(), height: z.number() }).nullable() }),
  async handler(ctx, { params }) {
    await placed(ctx, params.deviceId)
    const source = sink(ctx)
    const rows = await ctx.db.selectFrom('audit_log').selectAll().where('action', '=', AUDIT_ACTION).where('target', '=', params.deviceId).orderBy('id', 'desc').limit(20).execute()
    const results = new Map<string, { ok: boolean | null; detail: string | null; at: string }>()
    for (const record of source.acks) {
      const ack = record.ack as { kind?: string; id?: string; at?: string; ok?: boolean; detail?: string } | null
      if (record.deviceId !== params.deviceId || !record.valid || ack?.kind !== 'command' || !ack.id) continue
      results.set(ack.id, { ok: ack.ok ?? null, detail: ack.detail ?? null, at: ack.at ?? new Date(record.receivedAt).toISOString() })
    }
    const commands = rows.map((row) => {
      const detail = JSON.parse(row.detail) as { commandId: string; kind: string }
      return { id: detail.commandId, kind: detail.kind, sentAt: row.at, sentBy: row.user_id, result: results.get(detail.commandId) ?? null }
    })
    const shot = newestScreenshot(source, params.deviceId)
    return { commands, screenshot: shot ? { takenAt: shot.meta.takenAt, commandId: shot.meta.commandId ?? null, width: shot.meta.width, height: shot.meta.height } : null }
  }
})

export const boardScreenshot = defineRoute({
  method: 'GET',
  path: '/console/api/boards/:deviceId/screenshot',
  roles: ANY_ROLE,
  summary: 'Ảnh chụp màn hình mới nhất của bảng tin (JPEG) / the newest screenshot a board sent (JPEG)',
  tag: 'store',
  params: z.object({ deviceId: DeviceId }),
  scope: { 'params.deviceId': 'board' },
  output: z.unknown(),
  async handler(ctx, { params }) {
    await placed(ctx, params.deviceId)
    const shot = newestScreenshot(sink(ctx), params.deviceId)
    if (!shot) throw fail.notFound('params.deviceId', 'Bảng tin này chưa gửi ảnh chụp màn hình nào.', 'This board has not sent a screenshot yet.')
    return new RawReply('image/jpeg', shot.bytes, { 'Cache-Control': 'private, no-store' })
  }
})

export const commandRoutes: AnyRoute[] = [sendBoardCommand, listBoardCommands, boardScreenshot]
