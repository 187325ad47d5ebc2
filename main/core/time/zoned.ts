// Wall-clock time in the board's time zone (default Asia/Ho_Chi_Minh), whatever zone the OS is set to.

export interface ZonedTime {
  year: number
  month: number
  day: number
  /** ISO weekday: 1 = Monday … 7 = Sunday. */
  weekday: number
  hour: number
  minute: number
  second: number
}

const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun']
const formats = new Map<string, Intl.DateTimeFormat>()

function formatFor(timeZone: string): Intl.DateTimeFormat {
  let format = formats.get(timeZone)
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      weekday: 'short',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      hourCycle: 'h23'
    })
    formats.set(timeZone, format)
  }
  return format
}

export function zonedTime(instant: Date, timeZone: string): ZonedTime {
  const parts: Record<string, string> = {}
  for (const part of formatFor(timeZone).formatToParts(instant)) parts[part.type] = part.value
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    weekday: WEEKDAYS.indexOf(parts.weekday ?? '') + 1,
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second)
  }
}

/** "HH:MM" → minutes after midnight. */
export function minutesOf(timeOfDay: string): number {
  const [hours, minutes] = timeOfDay.split(':').map(Number)
  return (hours ?? 0) * 60 + (minutes ?? 0)
}

/** Whether a minute of the day falls in a window; a window whose end is before its start crosses midnight. */
export function inTimeWindow(minuteOfDay: number, window: { from: string; to: string }): boolean {
  const from = minutesOf(window.from)
  const to = minutesOf(window.to)
  if (from === to) return true // a zero-length window means "all day", not "never"
  return from < to ? minuteOfDay >= from && minuteOfDay < to : minuteOfDay >= from || minuteOfDay < to
}
