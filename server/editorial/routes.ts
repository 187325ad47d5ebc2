// The editorial room's console API: emergency templates, send, delivery, re-send, clear; the approval queue,
// approve, send back, history; reports as JSON, CSV and XLSX. Everything is limited to the actor's unit subtree.
import { randomUUID } from 'node:crypto'
import { z } from 'zod'
import { ANY_ROLE, type Actor as ApiActor } from '../api/actor'
import { ApiFailure } from '../api/errors'
import { humanText } from '../api/human-text'
import { defineRoute, RawReply, type AnyRoute, type RouteContext, type ScopeKind } from '../api/route'
import type { ApprovalDesk } from './approval'
import { EditorialError, type Actor } from './errors'
import type { EmergencyDesk } from './emergencies'
import { actorBoardScope, boardsUnder, reportBoards } from './placement'
import { reportCsv, reportXlsx } from './report-files'
import { libraryItemNames } from './report-names'
import { deliveryReport, PLAY_DIMENSIONS, playsReport, uptimeReport, type PlaySource, type ReportTable, type UptimeSource } from './reports'
import { EMERGENCY_TEMPLATES } from './templates'

/** Tells which unit an object another room owns belongs to (null: no such object), for submissions over HTTP. */
export interface SubjectResolver {
  unitOf(kind: string, subjectId: string): Promise<string | null>
  /** A line for the queue, e.g. the publication's title. */
  summaryOf(kind: string, subjectId: string): Promise<string>
  /** Why the object cannot be filed for approval now (e.g. a schedule entry never submitted, which would skip
   *  its room's submit checks), or null. */
  notReady?(kind: string, subjectId: string): Promise<{ code: string; vi: string; en: string } | null>
}

export interface EditorialServices {
  emergencies: EmergencyDesk
  approval: ApprovalDesk
  plays: PlaySource
  uptime: UptimeSource
  /** Absent: submissions come only from the owning rooms' own routes (which check ownership). */
  subjects?: SubjectResolver
}

declare module '../api/route' {
  interface ApiServices {
    editorial: EditorialServices
  }
}

const SENDERS = ['duyet', 'quan-tri'] as const
const APPROVERS = ['duyet'] as const
const SUBMITTERS = ['bien-tap', 'duyet'] as const

/** Who these user ids are, read from the access room's users table (as placement.ts reads its units). */
async function displayNames(ctx: RouteContext<ApiActor>, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map()
  const rows = await ctx.db.selectFrom('users').select(['id', 'display_name']).where('id', 'in', ids).execute()
  return new Map(rows.map((row) => [row.id, row.display_name]))
}

function services(ctx: RouteContext<ApiActor>): EditorialServices {
  const found = ctx.services.editorial
  // A server started without them (tests of other rooms, a console without boards) says so rather than failing.
  if (!found) throw new ApiFailure(503, 'unavailable', 'Chức năng biên tập chưa được bật trên máy chủ này.', 'Editorial services are not running on this server.')
  return found
}

const asEditorial = (actor: ApiActor): Actor => ({ userId: actor.userId, roles: [actor.role] })

/** The room's errors as the API answers them. */
async function answering<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (error) {
    if (error instanceof EditorialError) throw new ApiFailure(error.status, error.code, error.vi, error.en, error.field)
    throw error
  }
}

const Id = z.string().min(1).max(200)
const EmergencyOut = z.object({
  id: z.string(),
  templateId: z.string(),
  title: z.string(),
  body: z.string(),
  fields: z.record(z.string(), z.string()),
  ttlSec: z.number(),
  issuedAt: z.string(),
  expiresAt: z.string(),
  sentBy: z.string(),
  unitIds: z.array(z.string()),
  clearedAt: z.string().nullable(),
  clearedBy: z.string().nullable()
})
const BoardDeliveryOut = z.object({
  deviceId: z.string(),
  state: z.enum(['pending', 'received', 'shown', 'clearing', 'cleared', 'expired']),
  firstSentAt: z.string(),
  lastSentAt: z.string(),
  sends: z.number(),
  receivedAt: z.string().nullable(),
  shownAt: z.string().nullable(),
  shownAfterSec: z.number().nullable(),
  clearSentAt: z.string().nullable(),
  clearedAt: z.string().nullable()
})
const SubmissionOut = z.object({
  id: z.number(),
  kind: z.string(),
  subjectId: z.string(),
  unitId: z.string(),
  summary: z.string(),
  state: z.enum(['submitted', 'publishing', 'approved', 'sent-back']),
  submittedBy: z.string(),
  submittedAt: z.string(),
  decidedBy: z.string().nullable(),
  decidedAt: z.string().nullable(),
  reason: z.string().nullable(),
  lastError: z.string().nullable()
})
const EmergencyParams = z.object({ id: Id })
const BoardsBody = z.object({ deviceIds: z.array(Id).max(10_000).optional() })
const SubmissionParams = z.object({ id: z.coerce.number().int().positive() })

const emergencyRoutes: AnyRoute[] = [
  defineRoute({
    method: 'GET',
    path: '/console/api/emergencies/templates',
    roles: ANY_ROLE,
    summary: 'Emergency templates (bão, lũ, sạt lở, dịch bệnh, cháy rừng) with the fields an officer fills',
    tag: 'editorial',
    output: z.object({
      templates: z.array(
        z.object({
          id: z.string(),
          vi: z.string(),
          en: z.string(),
          title: z.string(),
          body: z.string(),
          defaultTtlSec: z.number(),
          fields: z.array(z.object({ key: z.string(), vi: z.string(), en: z.string(), example: z.string(), maxLength: z.number() }))
        })
      )
    }),
    async handler() {
      return { templates: EMERGENCY_TEMPLATES.map((t) => ({ ...t, fields: [...t.fields] })) }
    }
  }),
  defineRoute({
    method: 'POST',
    path: '/console/api/emergencies',
    roles: SENDERS,
    summary: 'Send an emergency from a template to every board under the named units',
    tag: 'editorial',
    body: z.object({
      templateId: Id,
      fields: z.record(z.string(), z.string().max(500)),
      unitIds: z.array(Id).min(1).max(500),
      ttlSec: z.number().int().optional()
    }),
    scope: { 'body.unitIds': 'unit' },
    unscoped: { 'body.templateId': 'a built-in template, the same for every unit' },
    output: EmergencyOut,
    status: 201,
    // The push cannot be rolled back, so the desk commits its own record first instead of one route transaction.
    transaction: false,
    async handler(ctx, { body }) {
      const deviceIds = await boardsUnder(ctx.db, body.unitIds)
      const sent = await answering(() => services(ctx).emergencies.send({ ...body, deviceIds }, asEditorial(ctx.actor)))
      await ctx.audit('emergency.send', sent.id, { templateId: sent.templateId, unitIds: sent.unitIds, boards: deviceIds.length, ttlSec: sent.ttlSec })
      return sent
    }
  }),
  defineRoute({
    method: 'GET',
    path: '/console/api/emergencies',
    roles: ANY_ROLE,
    summary: 'Emergencies sent to boards in your units, newest first',
    tag: 'editorial',
    output: z.object({ emergencies: z.array(EmergencyOut) }),
    async handler(ctx) {
      return { emergencies: await services(ctx).emergencies.list({ scope: await actorBoardScope(ctx.db, ctx.actor) }) }
    }
  }),
  defineRoute({
    method: 'GET',
    path: '/console/api/emergencies/:id/delivery',
    roles: ANY_ROLE,
    summary: 'Per board in your units: sent, received, shown, cleared',
    tag: 'editorial',
    params: EmergencyParams,
    unscoped: { 'params.id': 'an emergency spans many units: only its boards in the actor’s subtree are shown or touched, and none answers 404' },
    output: z.object({ emergency: EmergencyOut, boards: z.array(BoardDeliveryOut) }),
    async handler(ctx, { params }) {
      const scope = await actorBoardScope(ctx.db, ctx.actor)
      return answering(() => services(ctx).emergencies.delivery(params.id, scope))
    }
  }),
  defineRoute({
    method: 'POST',
    path: '/console/api/emergencies/:id/resend',
    roles: SENDERS,
    summary: 'Push it again to the boards in your units that have not shown it (all of them, or those listed)',
    tag: 'editorial',
    params: EmergencyParams,
    body: BoardsBody,
    scope: { 'body.deviceIds': 'board' },
    unscoped: { 'params.id': 'an emergency spans many units: only its boards in the actor’s subtree are shown or touched, and none answers 404' },
    output: z.object({ pushedTo: z.array(z.string()) }),
    transaction: false,
    async handler(ctx, { params, body }) {
      const scope = await actorBoardScope(ctx.db, ctx.actor)
      const result = await answering(() => services(ctx).emergencies.resend(params.id, asEditorial(ctx.actor), { scope, ...(body.deviceIds ? { deviceIds: body.deviceIds } : {}) }))
      await ctx.audit('emergency.resend', params.id, result)
      return result
    }
  }),
  defineRoute({
    method: 'POST',
    path: '/console/api/emergencies/:id/clear',
    roles: SENDERS,
    summary: 'End it on the boards in your units (all of them, or those listed)',
    tag: 'editorial',
    params: EmergencyParams,
    body: BoardsBody,
    scope: { 'body.deviceIds': 'board' },
    unscoped: { 'params.id': 'an emergency spans many units: only its boards in the actor’s subtree are shown or touched, and none answers 404' },
    output: z.object({ clearedFor: z.array(z.string()) }),
    transaction: false,
    async handler(ctx, { params, body }) {
      const scope = await actorBoardScope(ctx.db, ctx.actor)
      const result = await answering(() => services(ctx).emergencies.clear(params.id, asEditorial(ctx.actor), { scope, ...(body.deviceIds ? { deviceIds: body.deviceIds } : {}) }))
      await ctx.audit('emergency.clear', params.id, result)
      return result
    }
  })
]

const approvalRoutes: AnyRoute[] = [
  defineRoute({
    method: 'GET',
    path: '/console/api/approvals',
    roles: ANY_ROLE,
    summary: 'What waits for approval in your units, oldest first',
    tag: 'editorial',
    output: z.object({ submissions: z.array(SubmissionOut) }),
    async handler(ctx) {
      return { submissions: await services(ctx).approval.queue([...ctx.actor.subtree]) }
    }
  }),
  defineRoute({
    method: 'POST',
    path: '/console/api/approvals',
    roles: SUBMITTERS,
    summary: 'Submit an object (kind + id) for approval; its unit is the object’s own',
    tag: 'editorial',
    body: z.object({ kind: z.string().min(1).max(40), subjectId: Id }),
    unscoped: { 'body.subjectId': 'another room’s object: its unit comes from that room’s SubjectResolver, and one outside the actor’s subtree answers 404' },
    output: SubmissionOut,
    status: 201,
    transaction: false,
    async handler(ctx, { body }) {
      const { subjects, approval } = services(ctx)
      if (!subjects) throw new ApiFailure(404, 'not-found', 'Nội dung được trình duyệt từ trang soạn thảo của nó.', 'Content is submitted from its own editing page.', 'body.kind')
      const unitId = await subjects.unitOf(body.kind, body.subjectId)
      // Another unit's object answers as unknown, like a missing one.
      if (unitId === null || !ctx.actor.subtree.has(unitId)) throw new ApiFailure(404, 'not-found', 'Không tìm thấy nội dung cần trình duyệt.', 'No such content to submit.', 'body.subjectId')
      const notReady = await subjects.notReady?.(body.kind, body.subjectId)
      if (notReady) throw new ApiFailure(409, notReady.code, notReady.vi, notReady.en, 'body.subjectId')
      const summary = await subjects.summaryOf(body.kind, body.subjectId)
      const submission = await answering(() => approval.submit({ ...body, unitId, summary }, asEditorial(ctx.actor)))
      await ctx.audit('approval.submit', String(submission.id), body)
      return submission
    }
  }),
  defineRoute({
    method: 'POST',
    path: '/console/api/approvals/:id/approve',
    roles: APPROVERS,
    summary: 'Approve and publish; a failed publication leaves it waiting, with the error',
    tag: 'editorial',
    params: SubmissionParams,
    scope: { 'params.id': 'submission' },
    output: SubmissionOut,
    transaction: false,
    async handler(ctx, { params }) {
      const result = await answering(() => services(ctx).approval.approve(params.id, asEditorial(ctx.actor), [...ctx.actor.subtree]))
      await ctx.audit('approval.approve', String(params.id), { kind: result.kind, subjectId: result.subjectId })
      return result
    }
  }),
  defineRoute({
    method: 'POST',
    path: '/console/api/approvals/:id/send-back',
    roles: APPROVERS,
    summary: 'Send back to the editor with a reason (required)',
    tag: 'editorial',
    params: SubmissionParams,
    // Blank passes to the desk, which asks for a reason in its own words; invisible-only text does not.
    body: z.object({ reason: humanText({ vi: 'Lý do trả lại', en: 'The reason for sending back', max: 2000, multiline: true, allowBlank: true }) }),
    scope: { 'params.id': 'submission' },
    output: SubmissionOut,
    transaction: false,
    async handler(ctx, { params, body }) {
      const result = await answering(() => services(ctx).approval.sendBack(params.id, asEditorial(ctx.actor), body.reason, [...ctx.actor.subtree]))
      await ctx.audit('approval.send-back', String(params.id), { reason: body.reason })
      return result
    }
  }),
  defineRoute({
    method: 'GET',
    path: '/console/api/approvals/history',
    roles: ANY_ROLE,
    summary: 'Every step (who, when, what, reason) for one object, across its submissions',
    tag: 'editorial',
    query: z.object({ kind: z.string().min(1).max(40), subjectId: Id }),
    unscoped: { 'query.subjectId': 'any room’s object: only the steps of submissions in the actor’s subtree are listed' },
    output: z.object({
      events: z.array(
        z.object({
          submissionId: z.number(),
          action: z.enum(['submit', 'approve', 'send-back', 'publish-failed', 'interrupted']),
          actor: z.string(),
          /** The person's display name (null for an API token or a removed account): a history names people. */
          actorName: z.string().nullable(),
          at: z.string(),
          reason: z.string().nullable(),
          selfApproved: z.boolean(),
          unitId: z.string()
        })
      )
    }),
    async handler(ctx, { query }) {
      const events = await services(ctx).approval.history(query.kind, query.subjectId, [...ctx.actor.subtree])
      const names = await displayNames(ctx, [...new Set(events.map((e) => e.actor))])
      return { events: events.map((e) => ({ ...e, actorName: names.get(e.actor) ?? null })) }
    }
  })
]

const ReportQuery = z.object({
  from: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  to: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  /** Default: the actor's own unit. */
  unitId: Id.optional(),
  format: z.enum(['json', 'csv', 'xlsx']).default('json')
})
const ReportOut = z.object({
  name: z.string(),
  title: z.object({ vi: z.string(), en: z.string() }),
  about: z.object({ from: z.string(), to: z.string(), timeZone: z.string(), generatedAt: z.string() }),
  columns: z.array(z.object({ key: z.string(), vi: z.string(), en: z.string(), type: z.enum(['text', 'number']) })),
  rows: z.array(z.record(z.string(), z.union([z.string(), z.number(), z.null()])))
})

/** JSON, or a download named like `luot-phat_2026-01-01_2026-12-31.csv`. */
async function reply(table: ReportTable, format: 'json' | 'csv' | 'xlsx'): Promise<ReportTable | RawReply> {
  if (format === 'json') return table
  const file = `${table.name}_${table.about.from}_${table.about.to}.${format}`
  const headers = { 'Content-Disposition': `attachment; filename="${file}"` }
  if (format === 'csv') return new RawReply('text/csv; charset=utf-8', reportCsv(table), headers)
  return new RawReply('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', await reportXlsx(table), headers)
}

const reportRoutes: AnyRoute[] = [
  defineRoute({
    method: 'GET',
    path: '/console/api/reports/plays',
    roles: ANY_ROLE,
    summary: 'Plays and time on screen, grouped by any of month, day, unit, board, item (groupBy=day,board)',
    tag: 'editorial',
    query: ReportQuery.extend({ groupBy: z.string().max(100).default('month,unit') }),
    scope: { 'query.unitId': 'unit' },
    output: ReportOut,
    async handler(ctx, { query }) {
      const boards = await reportBoards(ctx.db, query.unitId ?? ctx.actor.unitId)
      const groupBy = query.groupBy.split(',').map((part) => part.trim()) as (typeof PLAY_DIMENSIONS)[number][]
      const table = await answering(() => playsReport({ from: query.from, to: query.to, source: services(ctx).plays, boards, groupBy, itemNames: libraryItemNames(ctx.db) }))
      return reply(table, query.format)
    }
  }),
  defineRoute({
    method: 'GET',
    path: '/console/api/reports/uptime',
    roles: ANY_ROLE,
    summary: 'Uptime per board per month',
    tag: 'editorial',
    query: ReportQuery,
    scope: { 'query.unitId': 'unit' },
    output: ReportOut,
    async handler(ctx, { query }) {
      const boards = await reportBoards(ctx.db, query.unitId ?? ctx.actor.unitId)
      return reply(await answering(() => uptimeReport({ from: query.from, to: query.to, source: services(ctx).uptime, boards })), query.format)
    }
  }),
  defineRoute({
    method: 'GET',
    path: '/console/api/reports/emergencies',
    roles: ANY_ROLE,
    summary: 'Emergency delivery per board: sent at, shown at, seconds between',
    tag: 'editorial',
    query: ReportQuery,
    scope: { 'query.unitId': 'unit' },
    output: ReportOut,
    async handler(ctx, { query }) {
      const boards = await reportBoards(ctx.db, query.unitId ?? ctx.actor.unitId)
      return reply(await answering(() => deliveryReport({ from: query.from, to: query.to, desk: services(ctx).emergencies, boards })), query.format)
    }
  })
]

export const editorialRoutes: AnyRoute[] = [...emergencyRoutes, ...approvalRoutes, ...reportRoutes]

/** A submission belongs to the unit it was submitted in. */
export const submissionKind: ScopeKind = {
  async unitOf(db, id) {
    const n = Number(id)
    if (!Number.isSafeInteger(n) || n <= 0) return null
    const row = await db.selectFrom('editorial_submission').select('unit_id').where('id', '=', n).executeTakeFirst()
    return row?.unit_id ?? null
  },
  async sample(db, unitId) {
    const at = new Date().toISOString()
    const row = await db
      .insertInto('editorial_submission')
      .values({ subject_kind: 'mau', subject_id: `mau-${randomUUID()}`, unit_id: unitId, summary: 'Nội dung mẫu', state: 'submitted', submitted_by: 'mau', submitted_at: at, decided_by: null, decided_at: null, reason: null, last_error: null })
      .returning('id')
      .executeTakeFirstOrThrow()
    return String(row.id)
  }
}

export const EDITORIAL_KINDS: Record<string, ScopeKind> = { submission: submissionKind }
