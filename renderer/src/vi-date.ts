// Date and clock in Vietnamese for the board's time zone ("Thứ Bảy, ngày 21 tháng 11 năm 2026").
import { isoWeekdayOfDate, type Weekday } from '../../main/core/protocol/weekday'

/** Day names by ISO weekday (the protocol's numbering, as in a manifest's `weekdays`): 1 = Thứ Hai … 7 = Chủ Nhật. */
const WEEKDAY_NAMES: Record<Weekday, string> = { 1: 'Thứ Hai', 2: 'Thứ Ba', 3: 'Thứ Tư', 4: 'Thứ Năm', 5: 'Thứ Sáu', 6: 'Thứ Bảy', 7: 'Chủ Nhật' }

export interface ZonedParts {
  year: number
  month: number
  day: number
  /** ISO weekday, 1 = Monday … 7 = Sunday: the same number the core's scheduler reads a schedule with. */
  weekday: Weekday
  hour: number
  minute: number
}

/** Wall-clock parts of `date` in `timeZone`; computed with Intl so it needs no locale data for Vietnamese. */
export function zonedParts(date: Date, timeZone: string): ZonedParts {
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    hourCycle: 'h23'
  })
  const parts = Object.fromEntries(format.formatToParts(date).map((p) => [p.type, p.value]))
  const year = Number(parts.year)
  const month = Number(parts.month)
  const day = Number(parts.day)
  return {
    year,
    month,
    day,
    weekday: isoWeekdayOfDate(year, month, day),
    hour: Number(parts.hour),
    minute: Number(parts.minute)
  }
}

export function vietnameseDate(date: Date, timeZone: string): string {
  const p = zonedParts(date, timeZone)
  return `${WEEKDAY_NAMES[p.weekday]}, ngày ${p.day} tháng ${p.month} năm ${p.year}`
}

export function clockText(date: Date, timeZone: string): string {
  const p = zonedParts(date, timeZone)
  return `${String(p.hour).padStart(2, '0')}:${String(p.minute).padStart(2, '0')}`
}
