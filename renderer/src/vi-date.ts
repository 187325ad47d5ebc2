// Date and clock in Vietnamese for the board's time zone ("Thứ Bảy, ngày 21 tháng 11 năm 2026").
const WEEKDAYS = ['Chủ Nhật', 'Thứ Hai', 'Thứ Ba', 'Thứ Tư', 'Thứ Năm', 'Thứ Sáu', 'Thứ Bảy']
const ENGLISH_WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat']

export interface ZonedParts {
  year: number
  month: number
  day: number
  weekday: number
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
    weekday: 'short',
    hour: 'numeric',
    minute: 'numeric',
    hourCycle: 'h23'
  })
  const parts = Object.fromEntries(format.formatToParts(date).map((p) => [p.type, p.value]))
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    weekday: ENGLISH_WEEKDAYS.indexOf(parts.weekday ?? ''),
    hour: Number(parts.hour),
    minute: Number(parts.minute)
  }
}

export function vietnameseDate(date: Date, timeZone: string): string {
  const p = zonedParts(date, timeZone)
  return `${WEEKDAYS[p.weekday]}, ngày ${p.day} tháng ${p.month} năm ${p.year}`
}

export function clockText(date: Date, timeZone: string): string {
  const p = zonedParts(date, timeZone)
  return `${String(p.hour).padStart(2, '0')}:${String(p.minute).padStart(2, '0')}`
}
