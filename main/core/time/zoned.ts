// Wall-clock time in the board's time zone (default Asia/Ho_Chi_Minh), whatever zone the OS is set to.
import { isoWeekdayOfDate, type Weekday } from '../protocol/weekday'

export interface ZonedTime {
  year: number
  month: number
  day: number
  /** ISO weekday: 1 = Monday … 7 = Sunday (protocol/weekday.ts). */
  weekday: Weekday
  hour: number
  minute: number
  second: number
}

const formats = new Map<string, Intl.DateTimeFormat>()

function formatFor(timeZone: string): Intl.DateTimeFormat {
  let format = formats.get(timeZone)
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
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
  const year = Number(parts.year)
  const month = Number(parts.month)
  const day = Number(parts.day)
  return {
    year,
    month,
    day,
    weekday: isoWeekdayOfDate(year, month, day),
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
export function inTimeWindow(minuteOfDay: number, span: { from: string; to: string }): boolean {
  const from = minutesOf(span.from)
  const to = minutesOf(span.to)
  if (from === to) return true // a zero-length window means "all day", not "never"
  return from < to ? minuteOfDay >= from && minuteOfDay < to : minuteOfDay >= from || minuteOfDay < to
}

// ---------------------------------------------------------------------------------------------
// UTC offsets and their changes (DST, legislated zone changes), for the scheduler's exact
// boundaries. Intl gives wall-clock parts of an instant but not the instants at which a zone's
// offset changes, so offsets are sampled every 3 hours and each change is located to the second
// by bisection. This assumes a zone never changes offset twice within 3 hours, which holds for
// every zone in the tz database between 1970 and 2100. Results are cached per zone in blocks of
// 7 days: the scheduler asks about the same few days again and again, and Intl is slow (~3 µs).

const SECOND_MS = 1000
const SAMPLE_MS = 3 * 3_600_000
const BLOCK_SAMPLES = 56
const BLOCK_MS = SAMPLE_MS * BLOCK_SAMPLES
/** Dates outside ±8.64e15 ms are invalid; keep every instant handed to Intl well inside. */
const MAX_INSTANT_MS = 8.64e15 - 2 * BLOCK_MS
const MAX_CACHED_BLOCKS = 2048
const MAX_CACHED_ZONES = 64

interface OffsetBlock {
  /** Offset (ms to add to UTC to read the wall clock) at the block's first instant. */
  startOffset: number
  /** Instants (whole seconds) at which the offset changes inside the block, ascending, and the offset from then on. */
  changeAt: number[]
  offsetAfter: number[]
}

const offsetBlocks = new Map<string, Map<number, OffsetBlock>>()
const numericFormats = new Map<string, Intl.DateTimeFormat>()
const NUMERIC_PARTS = /^(\d+)\/(\d+)\/(\d+), (\d+):(\d+):(\d+)$/

function clampInstant(ms: number): number {
  return Number.isFinite(ms) ? Math.min(MAX_INSTANT_MS, Math.max(-MAX_INSTANT_MS, ms)) : 0
}

/** Wall clock minus UTC at a whole-second instant, in ms. */
function rawOffsetMs(secondMs: number, timeZone: string): number {
  let format = numericFormats.get(timeZone)
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      hourCycle: 'h23'
    })
    numericFormats.set(timeZone, format)
  }
  // format() is about 3× faster than formatToParts(); fall back to the parts for shapes the
  // pattern does not know (years before 1000, eras), which only absurd dates produce.
  const match = NUMERIC_PARTS.exec(format.format(secondMs))
  let fields: number[]
  if (match) {
    fields = match.slice(1).map(Number)
  } else {
    const t = zonedTime(new Date(secondMs), timeZone)
    fields = [t.month, t.day, t.year, t.hour, t.minute, t.second]
  }
  const [month = 1, day = 1, year = 1970, hour = 0, minute = 0, second = 0] = fields
  const wall = new Date(0)
  // setUTCFullYear, unlike Date.UTC, does not map years 0–99 to 1900–1999.
  wall.setUTCFullYear(year, month - 1, day)
  wall.setUTCHours(hour, minute, second, 0)
  return wall.getTime() - secondMs
}

function offsetBlock(index: number, timeZone: string): OffsetBlock {
  let blocks = offsetBlocks.get(timeZone)
  if (!blocks) {
    if (offsetBlocks.size >= MAX_CACHED_ZONES) offsetBlocks.clear()
    blocks = new Map()
    offsetBlocks.set(timeZone, blocks)
  }
  const cached = blocks.get(index)
  if (cached) return cached
  const start = index * BLOCK_MS
  const block: OffsetBlock = { startOffset: rawOffsetMs(start, timeZone), changeAt: [], offsetAfter: [] }
  // A block owns the changes in [start, start + BLOCK_MS); one exactly at its start shows as a
  // difference from the second before.
  if (rawOffsetMs(start - SECOND_MS, timeZone) !== block.startOffset) {
    block.changeAt.push(start)
    block.offsetAfter.push(block.startOffset)
  }
  let previous = block.startOffset
  for (let i = 1; i <= BLOCK_SAMPLES; i++) {
    const at = start + i * SAMPLE_MS
    const offset = rawOffsetMs(at, timeZone)
    if (offset === previous) continue
    // The first whole second whose offset differs lies in (at − SAMPLE_MS, at].
    let low = at - SAMPLE_MS
    let high = at
    while (high - low > SECOND_MS) {
      const middle = low + Math.floor((high - low) / (2 * SECOND_MS)) * SECOND_MS
      if (rawOffsetMs(middle, timeZone) === previous) low = middle
      else high = middle
    }
    // A change at the very end belongs to the next block's start offset, not to this block.
    if (high < start + BLOCK_MS) {
      block.changeAt.push(high)
      block.offsetAfter.push(offset)
    }
    previous = offset
  }
  if (blocks.size >= MAX_CACHED_BLOCKS) blocks.clear()
  blocks.set(index, block)
  return block
}

/** The zone's UTC offset at an instant, in ms (wall clock = instant + offset). */
export function zoneOffsetMs(instantMs: number, timeZone: string): number {
  const ms = clampInstant(instantMs)
  const block = offsetBlock(Math.floor(ms / BLOCK_MS), timeZone)
  let offset = block.startOffset
  for (let i = 0; i < block.changeAt.length && (block.changeAt[i] ?? Infinity) <= ms; i++) offset = block.offsetAfter[i] ?? offset
  return offset
}

/** The wall clock at an instant as "local epoch" ms: the instant whose UTC reading equals the wall clock. */
export function wallClockMs(instantMs: number, timeZone: string): number {
  return instantMs + zoneOffsetMs(instantMs, timeZone)
}

/** The first instant in (afterMs, untilMs] at which the zone's offset changes, or null. */
export function nextOffsetChange(afterMs: number, untilMs: number, timeZone: string): number | null {
  const after = clampInstant(afterMs)
  const until = clampInstant(untilMs)
  for (let index = Math.floor(after / BLOCK_MS); index <= Math.floor(until / BLOCK_MS); index++) {
    for (const at of offsetBlock(index, timeZone).changeAt) {
      if (at > after) return at <= until ? at : null
    }
  }
  return null
}

/**
 * The instant a wall-clock time occurs in a zone. A time repeated when clocks go back gives its
 * first occurrence; a time skipped when clocks go forward gives the first instant after the gap
 * (so "02:30" on a spring-forward night in Berlin is 03:00 CEST).
 */
export function zonedInstant(
  wall: { year: number; month: number; day: number; hour?: number; minute?: number; second?: number },
  timeZone: string
): Date {
  const local = new Date(0)
  local.setUTCFullYear(wall.year, wall.month - 1, wall.day)
  local.setUTCHours(wall.hour ?? 0, wall.minute ?? 0, wall.second ?? 0, 0)
  const target = local.getTime()
  // Offsets stay within ±26 h, so every instant showing `target` lies within two days of it.
  const from = target - 2 * 86_400_000
  const until = target + 2 * 86_400_000
  let segmentStart = from
  let offset = zoneOffsetMs(from, timeZone)
  for (;;) {
    const change = nextOffsetChange(segmentStart, until, timeZone)
    const segmentEnd = change ?? until
    const candidate = target - offset
    if (candidate >= segmentStart && candidate < segmentEnd) return new Date(candidate)
    if (change === null) return new Date(candidate)
    const nextOffset = zoneOffsetMs(change, timeZone)
    // Clocks jumped over the target: the gap maps to the first instant after it.
    if (change + nextOffset > target && candidate >= segmentEnd) return new Date(change)
    segmentStart = change
    offset = nextOffset
  }
}

/** Whether Intl knows the IANA zone name. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatFor(timeZone)
    return true
  } catch {
    return false
  }
}
