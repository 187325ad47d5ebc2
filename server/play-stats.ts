// Daily proof-of-play counts per item, for the yearly effectiveness reports (đánh giá hiệu quả).
// Pure: the reference server (or any source system) runs it over the records it received.
import type { PlayRecord } from '../main/core/protocol/plays'

export interface DailyCount {
  /** Local date of the play's start in the board's zone, YYYY-MM-DD. */
  date: string
  itemId: string
  plays: number
  /** Seconds on screen, summed; a play that runs past midnight counts on the day it started. */
  seconds: number
}

type Countable = Pick<PlayRecord, 'id' | 'itemId' | 'startedAt' | 'endedAt'>

const dateFormats = new Map<string, Intl.DateTimeFormat>()

/** YYYY-MM-DD of an instant in a time zone. */
function localDate(ms: number, timeZone: string): string {
  let format = dateFormats.get(timeZone)
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })
    dateFormats.set(timeZone, format)
  }
  const parts = Object.fromEntries(format.formatToParts(ms).map((part) => [part.type, part.value]))
  return `${parts.year}-${parts.month}-${parts.day}`
}

/** Delivery is at-least-once, so records are de-duplicated by id before counting. */
export function dailyCounts(records: Iterable<Countable>, timeZone: string): DailyCount[] {
  const seen = new Set<string>()
  const rows = new Map<string, DailyCount>()
  for (const record of records) {
    if (seen.has(record.id)) continue
    seen.add(record.id)
    const date = localDate(record.startedAt, timeZone)
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
