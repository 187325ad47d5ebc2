// Approval (thẩm định) as a state machine over submissions: an editor submits another room's object (kind + id),
// an approver approves it (which publishes it) or sends it back with a reason; every step is kept as history.
import type { Db } from '../db/database'
import { badInput, EditorialError, iso, requireRole, type Actor } from './errors'

/**
 * submitted → publishing → approved; publishing → submitted when publishing fails (the error is kept);
 * submitted → sent-back. A sent-back or approved subject is submitted again as a new submission.
 */
export type SubmissionState = 'submitted' | 'publishing' | 'approved' | 'sent-back'

export interface Submission {
  id: number
  kind: string
  subjectId: string
  unitId: string
  summary: string
  state: SubmissionState
  submittedBy: string
  submittedAt: string
  decidedBy: string | null
  decidedAt: string | null
  reason: string | null
  /** Why the last approval's publishing failed (cleared when it succeeds). */
  lastError: string | null
}

export interface SubmissionEvent {
  submissionId: number
  action: 'submit' | 'approve' | 'send-back' | 'publish-failed' | 'interrupted'
  actor: string
  at: string
  reason: string | null
  /** An approver approving what they submitted themselves (allowed, and visible to anyone reading the history). */
  selfApproved: boolean
}

/** Publishes the approved object (the owning room's code); throwing keeps the submission submitted. */
export type Publish = (submission: Submission, approver: Actor) => Promise<void> | void

export interface ApprovalOptions {
  db: Db
  publish: Publish
  now?: () => number
  /** Forbid approving one's own submission even with the duyet role (provinces that require two people). Default false. */
  fourEyes?: boolean
  /**
   * The owning room's side of a send-back, in the same transaction (a schedule entry becomes "returned",
   * so its editor can submit it again); throwing undoes the send-back.
   */
  sentBack?: (submission: Submission, trx: Db) => Promise<void>
}

const SUBMITTERS = ['bien-tap', 'duyet'] as const
const APPROVERS = ['duyet'] as const
const KIND = /^[a-z][a-z0-9-]{0,39}$/
const MAX_REASON = 2000

type Row = {
  id: number
  subject_kind: string
  subject_id: string
  unit_id: string
  summary: string
  state: string
  submitted_by: string
  submitted_at: string
  decided_by: string | null
  decided_at: string | null
  reason: string | null
  last_error: string | null
}

export class ApprovalDesk {
  private readonly now: () => number

  constructor(private readonly options: ApprovalOptions) {
    this.now = options.now ?? Date.now
  }

  async submit(input: { kind: string; subjectId: string; unitId: string; summary: string }, actor: Actor): Promise<Submission> {
    requireRole(actor, SUBMITTERS, { vi: 'trình duyệt nội dung', en: 'submit content for approval' })
    if (!KIND.test(input.kind)) throw badInput('kind', 'Loại nội dung không hợp lệ.', 'Invalid content kind.')
    const subjectId = input.subjectId.trim()
    if (!subjectId || subjectId.length > 200) throw badInput('subjectId', 'Thiếu mã nội dung trình duyệt.', 'The id of the content to approve is missing.')
    if (!input.unitId.trim()) throw badInput('unitId', 'Thiếu đơn vị.', 'The unit is missing.')
    const summary = input.summary.normalize('NFC').trim().slice(0, 500)
    if (!summary) throw badInput('summary', 'Chưa nhập tóm tắt nội dung trình duyệt.', 'The summary is required.')
    const at = iso(this.now())
    const id = await this.options.db.transaction().execute(async (trx) => {
      const open = await trx
        .selectFrom('editorial_submission')
        .select('id')
        .where('subject_kind', '=', input.kind)
        .where('subject_id', '=', subjectId)
        .where('state', 'in', ['submitted', 'publishing'])
        .executeTakeFirst()
      if (open) throw new EditorialError(409, 'already-submitted', 'subjectId', 'Nội dung này đang chờ duyệt.', 'This content is already waiting for approval.')
      const inserted = await trx
        .insertInto('editorial_submission')
        .values({ subject_kind: input.kind, subject_id: subjectId, unit_id: input.unitId, summary, state: 'submitted', submitted_by: actor.userId, submitted_at: at, decided_by: null, decided_at: null, reason: null, last_error: null })
        .returning('id')
        .executeTakeFirstOrThrow()
      await trx.insertInto('editorial_submission_event').values({ submission_id: inserted.id, action: 'submit', actor: actor.userId, at, reason: null, self_approved: 0 }).execute()
      return inserted.id
    })
    return this.get(id)
  }

  /**
   * Claims the submission (so two approvers cannot publish it twice), publishes, then records the outcome.
   * A publish that throws leaves it submitted, with the error on it and in its history.
   */
  async approve(id: number, actor: Actor, scope?: UnitScope): Promise<Submission> {
    requireRole(actor, APPROVERS, { vi: 'duyệt nội dung', en: 'approve content' })
    const submission = await this.get(id, scope)
    const self = submission.submittedBy === actor.userId
    if (self && this.options.fourEyes) {
      throw new EditorialError(403, 'own-submission', 'id', 'Không được tự duyệt nội dung mình trình; cần một người duyệt khác.', 'You may not approve your own submission; another approver must.')
    }
    const claimed = await this.options.db.updateTable('editorial_submission').set({ state: 'publishing' }).where('id', '=', id).where('state', '=', 'submitted').executeTakeFirst()
    if (claimed.numUpdatedRows !== 1n) throw notWaiting(submission.state)
    try {
      await this.options.publish({ ...submission, state: 'publishing' }, actor)
    } catch (error) {
      // The owning room's words when it gives them in both languages (and the field at fault); else its message.
      const said = bilingual(error)
      const message = (said?.en ?? (error instanceof Error ? error.message : String(error))).slice(0, MAX_REASON)
      await this.settle(id, { state: 'submitted', last_error: said?.vi.slice(0, MAX_REASON) ?? message }, { action: 'publish-failed', actor: actor.userId, reason: said?.vi.slice(0, MAX_REASON) ?? message, self_approved: 0 })
      throw new EditorialError(409, 'publish-failed', said?.field ?? null, `Xuất bản không thành công, nội dung vẫn chờ duyệt: ${said?.vi ?? message}`, `Publishing failed; the submission is still waiting: ${message}`)
    }
    const at = iso(this.now())
    await this.settle(id, { state: 'approved', decided_by: actor.userId, decided_at: at, last_error: null }, { action: 'approve', actor: actor.userId, reason: null, self_approved: self ? 1 : 0 })
    return this.get(id)
  }

  async sendBack(id: number, actor: Actor, reason: string, scope?: UnitScope): Promise<Submission> {
    requireRole(actor, APPROVERS, { vi: 'trả lại nội dung', en: 'send content back' })
    const text = (typeof reason === 'string' ? reason : '').normalize('NFC').trim()
    if (!text) throw badInput('reason', 'Phải nêu lý do trả lại.', 'A reason for sending it back is required.')
    if (text.length > MAX_REASON) throw badInput('reason', `Lý do dài quá ${MAX_REASON} ký tự.`, `The reason is longer than ${MAX_REASON} characters.`)
    const submission = await this.get(id, scope)
    const at = iso(this.now())
    await this.options.db.transaction().execute(async (trx) => {
      const moved = await trx
        .updateTable('editorial_submission')
        .set({ state: 'sent-back', decided_by: actor.userId, decided_at: at, reason: text })
        .where('id', '=', id)
        .where('state', '=', 'submitted')
        .executeTakeFirst()
      if (moved.numUpdatedRows !== 1n) throw notWaiting(submission.state)
      await trx.insertInto('editorial_submission_event').values({ submission_id: id, action: 'send-back', actor: actor.userId, at, reason: text, self_approved: 0 }).execute()
      await this.options.sentBack?.({ ...submission, state: 'sent-back', reason: text }, trx)
    })
    return this.get(id)
  }

  /** What waits for approval in these units (all units when no scope), oldest first. */
  async queue(scope?: UnitScope): Promise<Submission[]> {
    let query = this.options.db.selectFrom('editorial_submission').selectAll().where('state', 'in', ['submitted', 'publishing'])
    if (scope) query = query.where('unit_id', 'in', scope.length ? [...scope] : [''])
    return (await query.orderBy('submitted_at').orderBy('id').execute()).map(toSubmission)
  }

  /** Every step for one object, across its submissions, oldest first. */
  async history(kind: string, subjectId: string, scope?: UnitScope): Promise<(SubmissionEvent & { unitId: string })[]> {
    let query = this.options.db
      .selectFrom('editorial_submission_event as e')
      .innerJoin('editorial_submission as s', 's.id', 'e.submission_id')
      .select(['e.submission_id', 'e.action', 'e.actor', 'e.at', 'e.reason', 'e.self_approved', 's.unit_id'])
      .where('s.subject_kind', '=', kind)
      .where('s.subject_id', '=', subjectId)
    if (scope) query = query.where('s.unit_id', 'in', scope.length ? [...scope] : [''])
    const rows = await query.orderBy('e.id').execute()
    return rows.map((row) => ({
      submissionId: row.submission_id,
      action: row.action as SubmissionEvent['action'],
      actor: row.actor,
      at: row.at,
      reason: row.reason,
      selfApproved: row.self_approved === 1,
      unitId: row.unit_id
    }))
  }

  async get(id: number, scope?: UnitScope): Promise<Submission> {
    const row = await this.options.db.selectFrom('editorial_submission').selectAll().where('id', '=', id).executeTakeFirst()
    // Another unit's submission answers as unknown.
    if (!row || (scope && !scope.includes(row.unit_id))) throw new EditorialError(404, 'submission-unknown', 'id', `Không có hồ sơ trình duyệt số ${id}.`, `No submission ${id}.`)
    return toSubmission(row)
  }

  /** At start: a submission left publishing by a crash goes back to waiting (its publish may or may not have happened). */
  async recoverInterrupted(): Promise<number> {
    const stuck = await this.options.db.selectFrom('editorial_submission').select('id').where('state', '=', 'publishing').execute()
    for (const { id } of stuck) {
      await this.settle(id, { state: 'submitted', last_error: 'interrupted while publishing' }, { action: 'interrupted', actor: 'system', reason: 'interrupted while publishing', self_approved: 0 })
    }
    return stuck.length
  }

  private async settle(id: number, set: Partial<Omit<Row, 'id'>>, event: { action: SubmissionEvent['action']; actor: string; reason: string | null; self_approved: number }): Promise<void> {
    const at = iso(this.now())
    await this.options.db.transaction().execute(async (trx) => {
      await trx.updateTable('editorial_submission').set(set).where('id', '=', id).execute()
      await trx.insertInto('editorial_submission_event').values({ submission_id: id, at, ...event }).execute()
    })
  }
}

/** The unit ids an actor may see (their unit's subtree), as the HTTP layer resolves them. */
export type UnitScope = readonly string[]

/** An error that says itself in Vietnamese and English (the rooms' and the API's errors all do), or null. */
function bilingual(error: unknown): { vi: string; en: string; field: string | null } | null {
  if (error === null || typeof error !== 'object') return null
  const { vi, en, field } = error as { vi?: unknown; en?: unknown; field?: unknown }
  return typeof vi === 'string' && typeof en === 'string' ? { vi, en, field: typeof field === 'string' ? field : null } : null
}

function notWaiting(state: string): EditorialError {
  return new EditorialError(409, 'not-waiting', 'id', `Hồ sơ không còn ở trạng thái chờ duyệt (${state}).`, `The submission is no longer waiting for approval (${state}).`)
}

function toSubmission(row: Row): Submission {
  return {
    id: row.id,
    kind: row.subject_kind,
    subjectId: row.subject_id,
    unitId: row.unit_id,
    summary: row.summary,
    state: row.state as SubmissionState,
    submittedBy: row.submitted_by,
    submittedAt: row.submitted_at,
    decidedBy: row.decided_by,
    decidedAt: row.decided_at,
    reason: row.reason,
    lastError: row.last_error
  }
}
