// Daily proof-of-play counts per item, for the yearly effectiveness reports (đánh giá hiệu quả).
// Pure: the reference server (or any source system) runs it over the records it received.
import { zonedTime } from '../time/zoned'
import type { PlayRecord } from '../protocol/plays'

export interface DailyCount {
  /** Local date of the play's start in the board's zone, YYYY-MM-DD. */
  date: string
  itemId: string
  plays: number
  /** Seconds on screen, summed; a play that runs past midnight counts on the day it started. */
  seconds: number
}

type Countable = Pick<PlayRecord, 'id' | 'itemId' | 'startedAt' | 'endedAt'>

/** Delivery is at-least-once, so records are de-duplicated by id before counting. */
export function dailyCounts(records: Iterable<Countable>, timeZone: string): DailyCount[] {
  const seen = new Set<string>()
  const rows = new Map<string, DailyCount>()
  for (const record of records) {
    if (seen.has(record.id)) continue
    seen.add(record.id)
    const local = zonedTime(new Date(record.startedAt), timeZone)
    const date = `${local.year}-${String(local.month).padStart(2, '0')}-${String(local.day).padStart(2, '0')}`
    const key = `${date}\u0000${record.itemId}`
    const row = rows.get(key) ?? { date, itemId: record.itemId, plays: 0, seconds: 0 }
    row.plays++
    // A screen clock that stepped backwards mid-play must not subtract time.
    row.seconds += Math.max(0, record.endedAt - record.startedAt) / 1000
    rows.set(key, row)
  }
  return [...rows.values()]
    .map((row) => ({ ...row, seconds: Math.round(row.seconds * 1000) / 1000 }))
    .sort((a, b) => (a.date === b.date ? (a.itemId < b.itemId ? -1 : a.itemId > b.itemId ? 1 : 0) : a.date < b.date ? -1 : 1))
}

/** RFC 4180 CSV with a header, for spreadsheets; item ids are quoted as they may hold commas or quotes. */
export function dailyCountsCsv(rows: readonly DailyCount[]): string {
  const quote = (value: string): string => `"${value.replaceAll('"', '""')}"`
  const lines = rows.map((row) => [row.date, quote(row.itemId), String(row.plays), String(row.seconds)].join(','))
  return ['date,itemId,plays,seconds', ...lines].join('\r\n') + '\r\n'
}
