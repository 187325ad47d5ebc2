// Local calendar dates and times for reports (Asia/Ho_Chi_Minh by default): a play at 00:30 on the 1st in
// Hà Nội belongs to the 1st, though it is still the previous day in UTC.
const formats = new Map<string, Intl.DateTimeFormat>()

export const REPORT_TIME_ZONE = 'Asia/Ho_Chi_Minh'

function parts(ms: number, timeZone: string): Record<string, string> {
  let format = formats.get(timeZone)
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' })
    formats.set(timeZone, format)
  }
  return Object.fromEntries(format.formatToParts(ms).map((part) => [part.type, part.value]))
}

/** YYYY-MM-DD in the zone. */
export function localDate(ms: number, timeZone: string): string {
  const p = parts(ms, timeZone)
  return `${p.year}-${p.month}-${p.day}`
}

/**
 * localDate for many instants: every zone's offset is a multiple of 15 minutes, so one answer per quarter hour
 * serves every instant in it (Intl is slow: a year of a district's plays is a million calls).
 */
export function localDates(timeZone: string): (ms: number) => string {
  const cache = new Map<number, string>()
  return (ms) => {
    const quarter = Math.floor(ms / 900_000)
    let date = cache.get(quarter)
    if (date === undefined) {
      date = localDate(quarter * 900_000, timeZone)
      cache.set(quarter, date)
    }
    return date
  }
}

/** YYYY-MM-DD HH:mm:ss in the zone (what an officer reads in a spreadsheet). */
export function localDateTime(ms: number, timeZone: string): string {
  const p = parts(ms, timeZone)
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`
}

/** Whether a time zone name is one the runtime knows. */
export function knownTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone })
    return true
  } catch {
    return false
  }
}
