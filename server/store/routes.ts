// The device side read through the console API: each board's status from what it last reported (connected,
// last seen, playing what, which programme version, display, disk, clock offset, problems) and its uptime
// per day. Read only; limited to the boards placed in the actor's units.
import { z } from 'zod'
import type { Heartbeat } from '../../main/core/protocol/heartbeat'
import { ANY_ROLE, type Actor } from '../api/actor'
import { ApiFailure, fail } from '../api/errors'
import { defineRoute, type AnyRoute, type RouteContext } from '../api/route'
import { placementOf, placementsIn } from '../access/boards'
import { DeviceId } from '../access/schemas'
import type { ProblemRecord, UptimeDayRecord } from '../state'
import { commandRoutes } from './command-routes'

/** What the status routes read of the reference server (ReferenceServer satisfies it). */
export interface FleetSource {
  deviceSummaries(): { deviceId: string; connected: boolean; lastSeen: string | null; manifestVersion?: string | null }[]
  latestHeartbeat(deviceId: string): Heartbeat | null
  uptimeDays(deviceId: string): UptimeDayRecord[]
  /** Problems boards reported (bounded per board), oldest first. */
  readonly problems: readonly ProblemRecord[]
}

declare module '../api/route' {
  interface ApiServices {
    store: { fleet: FleetSource }
  }
}

function fleet(ctx: RouteContext<Actor>): FleetSource {
  const found = ctx.services.store?.fleet
  if (!found) throw new ApiFailure(503, 'unavailable', 'Máy chủ này không theo dõi bảng tin.', 'This server does not follow boards.')
  return found
}

/** A clock this far off shows wrong times and plays schedules at the wrong moment. */
const CLOCK_PROBLEM_MS = 60_000
/** A problem a board reported counts for this long: boards report what went wrong, never that it is fixed. */
const REPORTED_PROBLEM_MS = 24 * 3_600_000
/** The newest reported problems shown for one board. */
const REPORTED_SHOWN = 10

type Reported = { kind: string; detail: string; at: string }

/** Each board's valid problem reports of the last day, newest first: one pass over the store's records. */
function reportedByBoard(source: FleetSource, now = Date.now()): Map<string, Reported[]> {
  const byBoard = new Map<string, Reported[]>()
  for (const record of source.problems) {
    if (!record.valid || record.receivedAt < now - REPORTED_PROBLEM_MS) continue
    const problem = record.problem as { kind?: unknown; detail?: unknown; at?: unknown }
    if (typeof problem.kind !== 'string') continue
    const list = byBoard.get(record.deviceId) ?? []
    list.unshift({ kind: problem.kind, detail: typeof problem.detail === 'string' ? problem.detail.slice(0, 300) : '', at: new Date(record.receivedAt).toISOString() })
    byBoard.set(record.deviceId, list)
  }
  return byBoard
}

const StatusOut = z.object({
  deviceId: z.string(),
  connected: z.boolean(),
  lastSeen: z.string().nullable(),
  /** The programme version the server holds for it; the board's own is in the heartbeat. */
  publishedVersion: z.string().nullable(),
  heartbeat: z
    .object({
      sentAt: z.string(),
      appVersion: z.string(),
      appUptimeSec: z.number(),
      playState: z.string(),
      itemId: z.string().nullable(),
      programVersion: z.string().nullable(),
      emergencyId: z.string().nullable(),
      display: z.string(),
      diskUsedBytes: z.number(),
      /** The cache's budget; null when it may use the disk up to its free-space floor. */
      diskQuotaBytes: z.number().nullable(),
      clockOffsetMs: z.number().nullable(),
      syncState: z.string()
    })
    .nullable(),
  /**
   * Codes a page names in its language: offline, renderer-down, no-content, sync-error, clock, disk, update-failed,
   * lab-mode, no-key, no-sandbox (from the heartbeat), and the kinds of problems the board reported in the last day
   * (asset-quarantined, download-failed, signature-refused, …).
   */
  problems: z.array(z.string()),
  /** The board's own problem reports of the last day, newest first (at most 10): what went wrong, in its words. */
  reported: z.array(z.object({ kind: z.string(), detail: z.string(), at: z.string() }))
})
type StatusOut = z.infer<typeof StatusOut>

function statusOf(
  source: FleetSource,
  deviceId: string,
  summaries: Map<string, ReturnType<FleetSource['deviceSummaries']>[number]>,
  reported: Map<string, Reported[]>
): StatusOut {
  const summary = summaries.get(deviceId)
  const beat = source.latestHeartbeat(deviceId)
  const problems: string[] = []
  if (!summary?.connected) problems.push('offline')
  if (beat) {
    if (beat.screen.playState === 'renderer-down' || beat.screen.playState === 'no-content') problems.push(beat.screen.playState)
    if (beat.sync.lastError) problems.push('sync-error')
    if (beat.clock.offsetMs !== null && Math.abs(beat.clock.offsetMs) > CLOCK_PROBLEM_MS) problems.push('clock')
    if (beat.cache.quotaBytes !== null && beat.cache.usedBytes > 0.95 * beat.cache.quotaBytes) problems.push('disk')
    if (beat.update.state === 'failed' || beat.update.state === 'update-broken') problems.push('update-failed')
    // A board taking unsigned content, or none, or whose screen has no sandbox is not fit for a public square.
    if (beat.contentTrust?.mode === 'lab') problems.push('lab-mode')
    if (beat.contentTrust?.mode === 'no-key') problems.push('no-key')
    if (beat.screenSandbox === 'off') problems.push('no-sandbox')
  }
  const reports = reported.get(deviceId) ?? []
  for (const kind of new Set(reports.map((r) => r.kind))) problems.push(kind)
  return {
    deviceId,
    connected: summary?.connected ?? false,
    lastSeen: summary?.lastSeen ?? null,
    publishedVersion: summary?.manifestVersion ?? null,
    heartbeat: beat
      ? {
          sentAt: beat.sentAt,
          appVersion: beat.app.version,
          appUptimeSec: beat.appUptimeSec,
          playState: beat.screen.playState,
          itemId: beat.screen.itemId,
          programVersion: beat.screen.programVersion,
          emergencyId: beat.emergency?.id ?? null,
          display: beat.display.power,
          diskUsedBytes: beat.cache.usedBytes,
          diskQuotaBytes: beat.cache.quotaBytes,
          clockOffsetMs: beat.clock.offsetMs,
          syncState: beat.sync.state
        }
      : null,
    problems,
    reported: reports.slice(0, REPORTED_SHOWN)
  }
}

const summariesOf = (source: FleetSource) => new Map(source.deviceSummaries().map((s) => [s.deviceId, s]))

export const listBoardStatus = defineRoute({
  method: 'GET',
  path: '/console/api/board-status',
  roles: ANY_ROLE,
  summary: 'Tình trạng các bảng tin trong đơn vị (trực tuyến, lần cuối liên lạc, đang phát gì, sự cố) / the status of the boards in my units',
  tag: 'store',
  output: z.object({ boards: z.array(StatusOut) }),
  async handler(ctx) {
    const source = fleet(ctx)
    const summaries = summariesOf(source)
    const reported = reportedByBoard(source)
    return { boards: (await placementsIn(ctx.db, ctx.actor.subtree)).map((board) => statusOf(source, board.deviceId, summaries, reported)) }
  }
})

export const boardStatus = defineRoute({
  method: 'GET',
  path: '/console/api/boards/:deviceId/status',
  roles: ANY_ROLE,
  summary: "Một bảng tin: tình trạng và thời gian hoạt động từng ngày / one board's status and uptime per day",
  tag: 'store',
  params: z.object({ deviceId: DeviceId }),
  scope: { 'params.deviceId': 'board' },
  output: StatusOut.extend({ uptime: z.array(z.object({ date: z.string(), upSeconds: z.number(), downSeconds: z.number(), expectedSeconds: z.number() })) }),
  async handler(ctx, { params }) {
    if (!(await placementOf(ctx.db, params.deviceId))) throw fail.notFound('params.deviceId', 'Bảng tin này chưa được gán vào đơn vị nào.', 'This board is not placed in any unit yet.')
    const source = fleet(ctx)
    const uptime = source
      .uptimeDays(params.deviceId)
      .map(({ date, upSeconds, downSeconds, expectedSeconds }) => ({ date, upSeconds, downSeconds, expectedSeconds }))
      .sort((a, b) => a.date.localeCompare(b.date))
      .slice(-31)
    return { ...statusOf(source, params.deviceId, summariesOf(source), reportedByBoard(source)), uptime }
  }
})

export const storeRoutes: AnyRoute[] = [listBoardStatus, boardStatus, ...commandRoutes]
