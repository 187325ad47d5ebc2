// Emergencies sent by officers: from a template to a set of boards with a time to live, recorded before they
// go out; delivery per board from what boards report back; re-send to boards that have not shown it; clear.
import { randomBytes } from 'node:crypto'
import type { Emergency } from '../../main/core/protocol/manifest'
import type { Db } from '../db/database'
import { boardReports, type DeliverySource } from './delivery'
import { badInput, EditorialError, iso, requireRole, type Actor } from './errors'
import { EMERGENCY_TEMPLATES, fillTemplate, findTemplate, type EmergencyTemplate } from './templates'

/** What the desk needs of the reference server (ReferenceServer satisfies it). */
export interface EmergencySender {
  emergency(input: { title: string; body?: string; ttlSec?: number; id?: string }, opts: { deviceIds: string[]; pushTo?: string[] }): Emergency
  clearEmergency(id: string, opts: { deviceIds: string[] }): void
}

export interface SendInput {
  templateId: string
  fields: Readonly<Record<string, unknown>>
  /** Units the officer named (recorded); the HTTP layer resolved them to `deviceIds`. */
  unitIds: readonly string[]
  deviceIds: readonly string[]
  ttlSec?: number
}

/** pending: sent, not shown yet; shown; clearing: clear sent, not confirmed; cleared; expired: ended unshown. */
export type DeliveryState = 'pending' | 'received' | 'shown' | 'clearing' | 'cleared' | 'expired'

export interface BoardDelivery {
  deviceId: string
  state: DeliveryState
  firstSentAt: string
  lastSentAt: string
  sends: number
  receivedAt: string | null
  shownAt: string | null
  /** Seconds from the first send to the board's screen showing it. */
  shownAfterSec: number | null
  clearSentAt: string | null
  clearedAt: string | null
}

export interface EmergencySummary {
  id: string
  templateId: string
  title: string
  body: string
  fields: Record<string, string>
  ttlSec: number
  issuedAt: string
  expiresAt: string
  sentBy: string
  unitIds: string[]
  clearedAt: string | null
  clearedBy: string | null
}

export interface EmergencyEvent {
  action: 'send' | 'resend' | 'clear'
  actor: string
  at: string
  deviceIds: string[]
}

/** Limits the desk to some boards (the actor's unit subtree): others are neither shown nor touched. */
export type BoardScope = (deviceId: string) => boolean

const MIN_TTL_SEC = 60
const MAX_TTL_SEC = 7 * 24 * 3600
const MAX_BOARDS = 10_000
/** How long after expiry a board's late report (it was offline) still counts. */
const LATE_REPORTS_MS = 24 * 3_600_000
const SENDERS = ['duyet', 'quan-tri'] as const
const DEVICE_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,199}$/

export class EmergencyDesk {
  private readonly now: () => number

  constructor(private readonly options: { db: Db; sender: EmergencySender; source: DeliverySource; now?: () => number }) {
    this.now = options.now ?? Date.now
  }

  templates(): readonly EmergencyTemplate[] {
    return EMERGENCY_TEMPLATES
  }

  /** Recorded first (nothing is sent that is not on file), then pushed; a refused push leaves no record. */
  async send(input: SendInput, actor: Actor): Promise<EmergencySummary> {
    requireRole(actor, SENDERS, { vi: 'gửi bản tin khẩn cấp', en: 'send emergencies' })
    const template = findTemplate(input.templateId)
    const { title, body, fields } = fillTemplate(template, input.fields)
    const deviceIds = [...new Set(input.deviceIds)]
    if (deviceIds.length === 0) throw badInput('unitIds', 'Chưa chọn đơn vị nào có bảng tin.', 'No unit with boards was chosen.')
    if (deviceIds.length > MAX_BOARDS) throw badInput('unitIds', `Quá ${MAX_BOARDS} bảng tin trong một lần gửi.`, `More than ${MAX_BOARDS} boards in one send.`)
    if (deviceIds.some((id) => !DEVICE_ID.test(id))) throw badInput('deviceIds', 'Mã bảng tin không hợp lệ.', 'Invalid board id.')
    const ttlSec = input.ttlSec ?? template.defaultTtlSec
    if (!Number.isInteger(ttlSec) || ttlSec < MIN_TTL_SEC || ttlSec > MAX_TTL_SEC) {
      throw badInput('ttlSec', 'Thời hạn hiển thị phải từ 1 phút đến 7 ngày.', 'Time to live must be between 1 minute and 7 days.')
    }
    const now = this.now()
    const id = `kc-${new Date(now).toISOString().slice(0, 10).replaceAll('-', '')}-${randomBytes(5).toString('hex')}`
    const at = iso(now)
    await this.options.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('editorial_emergency')
        .values({
          id,
          template_id: template.id,
          title,
          body,
          fields_json: JSON.stringify(fields),
          ttl_sec: ttlSec,
          issued_at: at,
          expires_at: iso(now + ttlSec * 1000),
          sent_by: actor.userId,
          units_json: JSON.stringify([...new Set(input.unitIds)]),
          cleared_at: null,
          cleared_by: null
        })
        .execute()
      for (let i = 0; i < deviceIds.length; i += 500) {
        const rows = deviceIds.slice(i, i + 500).map((deviceId) => ({ emergency_id: id, device_id: deviceId, first_sent_at: at, last_sent_at: at, sends: 1 }))
        await trx.insertInto('editorial_emergency_board').values(rows).execute()
      }
      await trx.insertInto('editorial_emergency_event').values({ emergency_id: id, action: 'send', actor: actor.userId, at, device_ids_json: JSON.stringify(deviceIds) }).execute()
    })
    try {
      this.options.sender.emergency({ id, title, body, ttlSec }, { deviceIds })
    } catch (error) {
      await this.options.db.deleteFrom('editorial_emergency').where('id', '=', id).execute()
      throw error
    }
    return this.summary(id)
  }

  /** Emergencies with at least one board in scope, newest first. */
  async list(opts: { scope?: BoardScope; limit?: number; issuedFrom?: string; issuedBefore?: string } = {}): Promise<EmergencySummary[]> {
    let query = this.options.db.selectFrom('editorial_emergency').selectAll()
    if (opts.issuedFrom) query = query.where('issued_at', '>=', opts.issuedFrom)
    if (opts.issuedBefore) query = query.where('issued_at', '<', opts.issuedBefore)
    const rows = await query
      .orderBy('issued_at', 'desc')
      .limit(opts.limit ?? 200)
      .execute()
    if (!opts.scope) return rows.map(toSummary)
    const scope = opts.scope
    const visible: EmergencySummary[] = []
    for (const row of rows) {
      const boards = await this.options.db.selectFrom('editorial_emergency_board').select('device_id').where('emergency_id', '=', row.id).execute()
      if (boards.some((b) => scope(b.device_id))) visible.push(toSummary(row))
    }
    return visible
  }

  async summary(id: string, scope?: BoardScope): Promise<EmergencySummary> {
    const row = await this.options.db.selectFrom('editorial_emergency').selectAll().where('id', '=', id).executeTakeFirst()
    if (row && (!scope || (await this.boardRows(id, scope)).length > 0)) return toSummary(row)
    // Out of scope answers as unknown: a district learns nothing of another district's emergencies.
    throw new EditorialError(404, 'emergency-unknown', 'id', `Không có bản tin khẩn cấp "${id}".`, `No emergency "${id}".`)
  }

  /** Per board: sent, received, shown, cleared; what boards reported since the last look is stored first. */
  async delivery(id: string, scope?: BoardScope): Promise<{ emergency: EmergencySummary; boards: BoardDelivery[] }> {
    const emergency = await this.summary(id, scope)
    const now = this.now()
    // A day past its expiry nothing a board says changes it any more: the tables are final, the acks not read.
    if (now < Date.parse(emergency.expiresAt) + LATE_REPORTS_MS) await this.learn(id)
    const boards = (await this.boardRows(id, scope)).map((row): BoardDelivery => {
      const expired = now >= Date.parse(emergency.expiresAt)
      const state: DeliveryState = row.cleared_at
        ? 'cleared'
        : row.clear_sent_at
          ? 'clearing'
          : row.shown_at
            ? 'shown'
            : expired
              ? 'expired'
              : row.received_at
                ? 'received'
                : 'pending'
      return {
        deviceId: row.device_id,
        state,
        firstSentAt: row.first_sent_at,
        lastSentAt: row.last_sent_at,
        sends: row.sends,
        receivedAt: row.received_at,
        shownAt: row.shown_at,
        shownAfterSec: row.shown_at ? Math.max(0, (Date.parse(row.shown_at) - Date.parse(row.first_sent_at)) / 1000) : null,
        clearSentAt: row.clear_sent_at,
        clearedAt: row.cleared_at
      }
    })
    return { emergency, boards }
  }

  /** Pushes it again to the boards (in scope, of `deviceIds` if given) that have not shown it and were not cleared. */
  async resend(id: string, actor: Actor, opts: { deviceIds?: readonly string[]; scope?: BoardScope } = {}): Promise<{ pushedTo: string[] }> {
    requireRole(actor, SENDERS, { vi: 'gửi lại bản tin khẩn cấp', en: 're-send emergencies' })
    const { emergency } = await this.delivery(id, opts.scope)
    const now = this.now()
    const remainingSec = Math.ceil((Date.parse(emergency.expiresAt) - now) / 1000)
    if (emergency.clearedAt || remainingSec <= 0) {
      throw new EditorialError(409, 'emergency-ended', 'id', 'Bản tin khẩn cấp này đã hết hạn hoặc đã gỡ, không gửi lại được.', 'This emergency has expired or was cleared; it cannot be re-sent.')
    }
    const all = await this.boardRows(id)
    const live = all.filter((row) => row.clear_sent_at === null).map((row) => row.device_id)
    const wanted = opts.deviceIds ? new Set(opts.deviceIds) : null
    const pushTo = all
      .filter((row) => row.clear_sent_at === null && row.shown_at === null && (!opts.scope || opts.scope(row.device_id)) && (!wanted || wanted.has(row.device_id)))
      .map((row) => row.device_id)
    if (pushTo.length === 0) return { pushedTo: [] }
    const at = iso(now)
    // Still listed for every board it was not cleared for; pushed only to those that have not shown it.
    this.options.sender.emergency({ id, title: emergency.title, body: emergency.body, ttlSec: remainingSec }, { deviceIds: live, pushTo })
    await this.options.db.transaction().execute(async (trx) => {
      for (const deviceId of pushTo) {
        await trx
          .updateTable('editorial_emergency_board')
          .set((eb) => ({ last_sent_at: at, sends: eb('sends', '+', 1) }))
          .where('emergency_id', '=', id)
          .where('device_id', '=', deviceId)
          .execute()
      }
      await trx.insertInto('editorial_emergency_event').values({ emergency_id: id, action: 'resend', actor: actor.userId, at, device_ids_json: JSON.stringify(pushTo) }).execute()
    })
    return { pushedTo: pushTo }
  }

  /** Ends it on some boards (in scope, of `deviceIds` if given) or all; a clear not yet confirmed is sent again. */
  async clear(id: string, actor: Actor, opts: { deviceIds?: readonly string[]; scope?: BoardScope } = {}): Promise<{ clearedFor: string[] }> {
    requireRole(actor, SENDERS, { vi: 'gỡ bản tin khẩn cấp', en: 'clear emergencies' })
    await this.delivery(id, opts.scope)
    const wanted = opts.deviceIds ? new Set(opts.deviceIds) : null
    const all = await this.boardRows(id)
    const targets = all.filter((row) => row.cleared_at === null && (!opts.scope || opts.scope(row.device_id)) && (!wanted || wanted.has(row.device_id))).map((row) => row.device_id)
    if (targets.length === 0) return { clearedFor: [] }
    const at = iso(this.now())
    this.options.sender.clearEmergency(id, { deviceIds: targets })
    const chosen = new Set(targets)
    const everyBoardCleared = all.every((row) => row.clear_sent_at !== null || chosen.has(row.device_id))
    await this.options.db.transaction().execute(async (trx) => {
      for (const deviceId of targets) {
        await trx
          .updateTable('editorial_emergency_board')
          .set({ clear_sent_at: at, clear_sent_by: actor.userId })
          .where('emergency_id', '=', id)
          .where('device_id', '=', deviceId)
          .execute()
      }
      if (everyBoardCleared) await trx.updateTable('editorial_emergency').set({ cleared_at: at, cleared_by: actor.userId }).where('id', '=', id).where('cleared_at', 'is', null).execute()
      await trx.insertInto('editorial_emergency_event').values({ emergency_id: id, action: 'clear', actor: actor.userId, at, device_ids_json: JSON.stringify(targets) }).execute()
    })
    return { clearedFor: targets }
  }

  async history(id: string, scope?: BoardScope): Promise<EmergencyEvent[]> {
    await this.summary(id, scope)
    const rows = await this.options.db.selectFrom('editorial_emergency_event').selectAll().where('emergency_id', '=', id).orderBy('id').execute()
    return rows.map((row) => ({ action: row.action as EmergencyEvent['action'], actor: row.actor, at: row.at, deviceIds: JSON.parse(row.device_ids_json) as string[] }))
  }

  private async boardRows(id: string, scope?: BoardScope) {
    const rows = await this.options.db.selectFrom('editorial_emergency_board').selectAll().where('emergency_id', '=', id).orderBy('device_id').execute()
    return scope ? rows.filter((row) => scope(row.device_id)) : rows
  }

  /** Stores what boards reported that the tables do not hold yet, so delivery survives a restart of the server. */
  private async learn(id: string): Promise<void> {
    const rows = await this.boardRows(id)
    const reports = boardReports(this.options.source, id, new Set(rows.map((row) => row.device_id)))
    await this.options.db.transaction().execute(async (trx) => {
      for (const row of rows) {
        const report = reports.get(row.device_id)
        if (!report) continue
        const update: { received_at?: string; shown_at?: string; shown_reported_at?: string; cleared_at?: string } = {}
        if (report.receivedAt && !row.received_at) update.received_at = report.receivedAt
        if (report.shownAt && !row.shown_at) {
          update.shown_at = report.shownAt
          if (report.shownReportedAt !== undefined) update.shown_reported_at = iso(report.shownReportedAt)
          if (!row.received_at && !update.received_at) update.received_at = report.shownAt
        }
        if (report.clearedAt && !row.cleared_at) update.cleared_at = report.clearedAt
        if (Object.keys(update).length === 0) continue
        await trx.updateTable('editorial_emergency_board').set(update).where('emergency_id', '=', id).where('device_id', '=', row.device_id).execute()
      }
    })
  }
}

function toSummary(row: {
  id: string
  template_id: string
  title: string
  body: string
  fields_json: string
  ttl_sec: number
  issued_at: string
  expires_at: string
  sent_by: string
  units_json: string
  cleared_at: string | null
  cleared_by: string | null
}): EmergencySummary {
  return {
    id: row.id,
    templateId: row.template_id,
    title: row.title,
    body: row.body,
    fields: JSON.parse(row.fields_json) as Record<string, string>,
    ttlSec: row.ttl_sec,
    issuedAt: row.issued_at,
    expiresAt: row.expires_at,
    sentBy: row.sent_by,
    unitIds: JSON.parse(row.units_json) as string[],
    clearedAt: row.cleared_at,
    clearedBy: row.cleared_by
  }
}
