// The yearly effectiveness report (đánh giá hiệu quả) as tables: plays per item / board / unit / day / month,
// uptime per board per month, emergency delivery times per board. Sources are small interfaces, so the
// reference server's memory today and the durable store tomorrow feed the same code.
import type { PlayRecord } from '../../main/core/protocol/plays'
import type { UptimeDay } from '../../main/core/protocol/api'
import { badInput } from './errors'
import type { DeliveryState, EmergencyDesk } from './emergencies'
import { knownTimeZone, localDate, localDates, localDateTime, REPORT_TIME_ZONE } from './local-time'

export type PlayRow = Pick<PlayRecord, 'id' | 'itemId' | 'startedAt' | 'endedAt'> & { deviceId: string }

/** Proof of play received, for plays that started within [fromMs, toMs) (a source may return more; extra is filtered). */
export interface PlaySource {
  plays(range: { fromMs: number; toMs: number }): Iterable<PlayRow> | Promise<Iterable<PlayRow>>
}

export interface UptimeSource {
  uptimeDays(deviceId: string): readonly UptimeDay[] | Promise<readonly UptimeDay[]>
}

/** The boards a report covers (the actor's unit subtree), each one's name and the unit it is placed in. */
export type BoardPlacement = ReadonlyMap<string, { unitId: string; unitName: string; boardName?: string }>

/** Names for manifest item ids (the library's title or name of what played); an id it does not know is left out. */
export type ItemNames = (itemIds: readonly string[]) => Promise<ReadonlyMap<string, string>>

export interface ReportColumn {
  key: string
  vi: string
  en: string
  type: 'text' | 'number'
}

export interface ReportTable {
  /** Short name, used for file and sheet names. */
  name: string
  title: { vi: string; en: string }
  /** What the table covers, for the notes sheet: dates, zone, when made. */
  about: { from: string; to: string; timeZone: string; generatedAt: string }
  columns: ReportColumn[]
  rows: Record<string, string | number | null>[]
}

export interface ReportRange {
  /** Local dates, inclusive: YYYY-MM-DD. */
  from: string
  to: string
  timeZone?: string
  now?: () => number
}

/** The reference server is a play source: `playSourceFromServer(server)`. */
export function playSourceFromServer(server: { playRecords(): (PlayRecord & { deviceId: string })[] }): PlaySource {
  return { plays: ({ fromMs, toMs }) => server.playRecords().filter((play) => play.startedAt >= fromMs && play.startedAt < toMs) }
}

export const PLAY_DIMENSIONS = ['month', 'day', 'unit', 'board', 'item'] as const
export type PlayDimension = (typeof PLAY_DIMENSIONS)[number]

const DIMENSION_COLUMNS: Record<PlayDimension, ReportColumn[]> = {
  month: [{ key: 'month', vi: 'Tháng', en: 'Month', type: 'text' }],
  day: [{ key: 'day', vi: 'Ngày', en: 'Date', type: 'text' }],
  unit: [
    { key: 'unitId', vi: 'Mã đơn vị', en: 'Unit id', type: 'text' },
    { key: 'unitName', vi: 'Đơn vị', en: 'Unit', type: 'text' }
  ],
  // Names beside the ids: an officer reads the name, the id tells two alike apart (and joins other files).
  board: [
    { key: 'board', vi: 'Mã bảng tin', en: 'Board id', type: 'text' },
    { key: 'boardName', vi: 'Tên bảng tin', en: 'Board name', type: 'text' }
  ],
  item: [
    { key: 'item', vi: 'Mã nội dung', en: 'Item id', type: 'text' },
    { key: 'itemName', vi: 'Tên nội dung', en: 'Item name', type: 'text' }
  ]
}

const DAY = /^\d{4}-\d{2}-\d{2}$/

function checkedRange(range: ReportRange): { from: string; to: string; timeZone: string; fromMs: number; toMs: number; generatedAt: string } {
  const timeZone = range.timeZone ?? REPORT_TIME_ZONE
  if (!knownTimeZone(timeZone)) throw badInput('timeZone', 'Múi giờ không hợp lệ.', 'Unknown time zone.')
  for (const field of ['from', 'to'] as const) {
    const value = range[field]
    if (!DAY.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`)) || new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) !== value) {
      throw badInput(field, 'Ngày phải có dạng NNNN-TT-NN, ví dụ 2026-01-31.', 'Dates are YYYY-MM-DD, e.g. 2026-01-31.')
    }
  }
  if (range.from > range.to) throw badInput('to', 'Ngày kết thúc trước ngày bắt đầu.', 'The end date is before the start date.')
  if (Date.parse(range.to) - Date.parse(range.from) > 400 * 86_400_000) throw badInput('to', 'Mỗi báo cáo tối đa 400 ngày.', 'A report covers at most 400 days.')
  // Wide enough for any zone's offset; rows are then kept by their local date.
  return {
    from: range.from,
    to: range.to,
    timeZone,
    fromMs: Date.parse(`${range.from}T00:00:00Z`) - 15 * 3_600_000,
    toMs: Date.parse(`${range.to}T00:00:00Z`) + 39 * 3_600_000,
    generatedAt: new Date((range.now ?? Date.now)()).toISOString()
  }
}

/** Plays and seconds on screen, grouped by the chosen dimensions (in the order given); a play counts on the local day it started. */
export async function playsReport(options: ReportRange & { source: PlaySource; boards: BoardPlacement; groupBy: readonly PlayDimension[]; itemNames?: ItemNames }): Promise<ReportTable> {
  const range = checkedRange(options)
  const groupBy = [...new Set(options.groupBy)]
  if (groupBy.length === 0 || groupBy.some((d) => !PLAY_DIMENSIONS.includes(d))) {
    throw badInput('groupBy', 'Chọn ít nhất một cách nhóm: tháng, ngày, đơn vị, bảng tin, nội dung.', 'Choose at least one grouping: month, day, unit, board, item.')
  }
  const seen = new Set<string>()
  const dayOf = localDates(range.timeZone)
  const keys = groupBy.flatMap((d) => DIMENSION_COLUMNS[d].map((c) => c.key))
  const groups = new Map<string, { values: Record<string, string>; plays: number; seconds: number }>()
  const value: Record<string, string> = {}
  for (const play of await options.source.plays({ fromMs: range.fromMs, toMs: range.toMs })) {
    const place = options.boards.get(play.deviceId)
    if (!place) continue
    // Delivery is at least once: the same record twice counts once.
    const unique = `${play.deviceId}\u0000${play.id}`
    if (seen.has(unique)) continue
    seen.add(unique)
    const day = dayOf(play.startedAt)
    if (day < range.from || day > range.to) continue
    value.month = day.slice(0, 7)
    value.day = day
    value.unitId = place.unitId
    value.unitName = place.unitName
    value.board = play.deviceId
    value.boardName = place.boardName ?? ''
    value.item = play.itemId
    value.itemName = ''
    const key = keys.map((k) => value[k]).join('\u0000')
    let group = groups.get(key)
    if (!group) groups.set(key, (group = { values: Object.fromEntries(keys.map((k) => [k, value[k] ?? ''])), plays: 0, seconds: 0 }))
    group.plays++
    group.seconds += Math.max(0, play.endedAt - play.startedAt) / 1000
  }
  const columns = [
    ...groupBy.flatMap((d) => DIMENSION_COLUMNS[d]),
    { key: 'plays', vi: 'Số lượt phát', en: 'Plays', type: 'number' as const },
    { key: 'seconds', vi: 'Thời lượng phát (giây)', en: 'Time on screen (seconds)', type: 'number' as const }
  ]
  const rows: Record<string, string | number>[] = [...groups.values()].map((g) => ({ ...g.values, plays: g.plays, seconds: Math.round(g.seconds) }))
  if (groupBy.includes('item')) {
    // Grouped by id above (two items may share a name); the name is looked up once per item.
    const names = options.itemNames ? await options.itemNames([...new Set(rows.map((r) => String(r.item)))]) : new Map<string, string>()
    for (const row of rows) row.itemName = names.get(String(row.item)) ?? ''
  }
  return {
    name: 'luot-phat',
    title: { vi: 'Thống kê lượt phát', en: 'Plays' },
    about: { from: range.from, to: range.to, timeZone: range.timeZone, generatedAt: range.generatedAt },
    columns,
    rows: sortRows(rows, columns)
  }
}

/** Per board per month: days with figures, hours up, down and expected, and the share up. */
export async function uptimeReport(options: ReportRange & { source: UptimeSource; boards: BoardPlacement }): Promise<ReportTable> {
  const range = checkedRange(options)
  const rows: Record<string, string | number | null>[] = []
  for (const [deviceId, place] of options.boards) {
    const months = new Map<string, { days: number; up: number; down: number; expected: number }>()
    for (const day of await options.source.uptimeDays(deviceId)) {
      if (day.date < range.from || day.date > range.to) continue
      const month = months.get(day.date.slice(0, 7)) ?? { days: 0, up: 0, down: 0, expected: 0 }
      month.days++
      month.up += day.upSeconds
      month.down += day.downSeconds
      month.expected += day.expectedSeconds
      months.set(day.date.slice(0, 7), month)
    }
    for (const [month, m] of months) {
      const hours = (seconds: number) => Math.round((seconds / 3600) * 100) / 100
      rows.push({
        unitId: place.unitId,
        unitName: place.unitName,
        board: deviceId,
        boardName: place.boardName ?? '',
        month,
        days: m.days,
        upHours: hours(m.up),
        downHours: hours(m.down),
        expectedHours: hours(m.expected),
        percent: m.expected > 0 ? Math.round((m.up / m.expected) * 1000) / 10 : null
      })
    }
  }
  const columns: ReportColumn[] = [
    ...DIMENSION_COLUMNS.unit,
    ...DIMENSION_COLUMNS.board,
    ...DIMENSION_COLUMNS.month,
    { key: 'days', vi: 'Số ngày có số liệu', en: 'Days reported', type: 'number' },
    { key: 'upHours', vi: 'Giờ hoạt động', en: 'Hours up', type: 'number' },
    { key: 'downHours', vi: 'Giờ gián đoạn', en: 'Hours down', type: 'number' },
    { key: 'expectedHours', vi: 'Giờ theo lịch', en: 'Hours expected', type: 'number' },
    { key: 'percent', vi: 'Tỷ lệ hoạt động (%)', en: 'Uptime (%)', type: 'number' }
  ]
  return {
    name: 'thoi-gian-hoat-dong',
    title: { vi: 'Thời gian hoạt động của bảng tin', en: 'Board uptime' },
    about: { from: range.from, to: range.to, timeZone: range.timeZone, generatedAt: range.generatedAt },
    columns,
    rows: sortRows(rows, columns)
  }
}

export const DELIVERY_STATE_VI: Record<DeliveryState, string> = {
  pending: 'Chưa hiển thị',
  received: 'Đã nhận, chưa hiển thị',
  shown: 'Đã hiển thị',
  clearing: 'Đang gỡ',
  cleared: 'Đã gỡ',
  expired: 'Hết hạn, chưa hiển thị'
}

/** Per emergency sent in the range, per board: sent at, shown at, seconds between, state. */
export async function deliveryReport(options: ReportRange & { desk: EmergencyDesk; boards: BoardPlacement }): Promise<ReportTable> {
  const range = checkedRange(options)
  const scope = (deviceId: string) => options.boards.has(deviceId)
  const rows: Record<string, string | number | null>[] = []
  for (const emergency of await options.desk.list({ scope, issuedFrom: new Date(range.fromMs).toISOString(), issuedBefore: new Date(range.toMs).toISOString(), limit: 100_000 })) {
    const sentDay = localDate(Date.parse(emergency.issuedAt), range.timeZone)
    if (sentDay < range.from || sentDay > range.to) continue
    const { boards } = await options.desk.delivery(emergency.id, scope)
    for (const board of boards) {
      const place = options.boards.get(board.deviceId)
      rows.push({
        emergencyId: emergency.id,
        title: emergency.title,
        sentAt: localDateTime(Date.parse(board.firstSentAt), range.timeZone),
        sentBy: emergency.sentBy,
        unitId: place?.unitId ?? '',
        unitName: place?.unitName ?? '',
        board: board.deviceId,
        boardName: place?.boardName ?? '',
        sends: board.sends,
        shownAt: board.shownAt ? localDateTime(Date.parse(board.shownAt), range.timeZone) : null,
        shownAfterSec: board.shownAfterSec === null ? null : Math.round(board.shownAfterSec),
        state: DELIVERY_STATE_VI[board.state]
      })
    }
  }
  const columns: ReportColumn[] = [
    { key: 'emergencyId', vi: 'Mã bản tin', en: 'Emergency id', type: 'text' },
    { key: 'title', vi: 'Tiêu đề', en: 'Title', type: 'text' },
    { key: 'sentAt', vi: 'Gửi lúc', en: 'Sent at', type: 'text' },
    { key: 'sentBy', vi: 'Người gửi', en: 'Sent by', type: 'text' },
    ...DIMENSION_COLUMNS.unit,
    ...DIMENSION_COLUMNS.board,
    { key: 'sends', vi: 'Số lần gửi', en: 'Sends', type: 'number' },
    { key: 'shownAt', vi: 'Hiển thị lúc', en: 'Shown at', type: 'text' },
    { key: 'shownAfterSec', vi: 'Từ lúc gửi đến lúc hiển thị (giây)', en: 'Sent to shown (seconds)', type: 'number' },
    { key: 'state', vi: 'Trạng thái', en: 'State', type: 'text' }
  ]
  return {
    name: 'ban-tin-khan-cap',
    title: { vi: 'Thời gian đưa bản tin khẩn cấp lên bảng tin', en: 'Emergency delivery times' },
    about: { from: range.from, to: range.to, timeZone: range.timeZone, generatedAt: range.generatedAt },
    columns,
    rows: sortRows(rows, columns)
  }
}

/** Rows in column order, so the same data always gives the same file. */
function sortRows<T extends Record<string, string | number | null>>(rows: T[], columns: readonly ReportColumn[]): T[] {
  const keys = columns.map((c) => c.key)
  return rows.sort((a, b) => {
    for (const key of keys) {
      const x = a[key] ?? ''
      const y = b[key] ?? ''
      if (x < y) return -1
      if (x > y) return 1
    }
    return 0
  })
}
