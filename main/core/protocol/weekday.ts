// Protocol v1: what a weekday number means (ISO 8601: 1 = Monday … 7 = Sunday, as in a manifest's
// `weekdays`). The core's scheduler and the screen's date both count days with these functions.
import { z } from 'zod'

/** ISO weekday: 1 = Monday … 7 = Sunday (Chủ Nhật). */
export const Weekday = z.number().int().min(1).max(7)
export type Weekday = 1 | 2 | 3 | 4 | 5 | 6 | 7

const DAY_MS = 86_400_000

/** The ISO weekday of a day counted from 1970-01-01, which was a Thursday (4). */
export function isoWeekdayOfEpochDay(epochDay: number): Weekday {
  return (((((epochDay + 3) % 7) + 7) % 7) + 1) as Weekday
}

/** The ISO weekday of a calendar date (month 1–12), as a wall clock in any time zone reads it. */
export function isoWeekdayOfDate(year: number, month: number, day: number): Weekday {
  const date = new Date(0)
  // setUTCFullYear, unlike Date.UTC, does not map years 0–99 to 1900–1999.
  date.setUTCFullYear(year, month - 1, day)
  return isoWeekdayOfEpochDay(Math.floor(date.getTime() / DAY_MS))
}
