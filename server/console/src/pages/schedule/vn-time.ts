// Vietnam's wall clock (UTC+7, no daylight saving) for the schedule pages, wherever the browser is: the
// boards' programme is in Asia/Ho_Chi_Minh, so the console shows it in that zone too.
const OFFSET_MS = 7 * 3600_000

/** yyyy-mm-dd in Vietnam for an instant (default now). */
export function vnDate(ms: number = Date.now()): string {
  return new Date(ms + OFFSET_MS).toISOString().slice(0, 10)
}

/** hh:mm in Vietnam for an instant. */
export function vnTime(ms: number): string {
  return new Date(ms + OFFSET_MS).toISOString().slice(11, 16)
}

/** Minutes since local midnight in Vietnam. */
export function vnMinutes(ms: number): number {
  const d = new Date(ms + OFFSET_MS)
  return d.getUTCHours() * 60 + d.getUTCMinutes()
}

/** The instant local midnight of a yyyy-mm-dd day in Vietnam starts. */
export function vnMidnight(date: string): number {
  return Date.parse(`${date}T00:00:00+07:00`)
}

/** ISO weekday (1 = Monday … 7 = Sunday) of a yyyy-mm-dd day. */
export function isoWeekday(date: string): number {
  const day = new Date(`${date}T00:00:00Z`).getUTCDay()
  return day === 0 ? 7 : day
}

export const DAY_MS = 86_400_000
