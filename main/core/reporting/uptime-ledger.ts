// True uptime: time in which the schedule wanted the screen on, the renderer answered pings and frames
// were advancing, per local day. A pure state machine plus a small store that persists it atomically.
import { readFile } from 'node:fs/promises'
import { z } from 'zod'
import { writeFileAtomic } from '../fs-atomic'
import type { Logger } from '../log'
import type { UptimeDay } from '../protocol/api'
import { zonedInstant, zonedTime } from '../time/zoned'

/** One look at the board, taken every few seconds by the host. */
export interface UptimeObservation {
  /** Wall clock (epoch ms): only used to say which day time belongs to. */
  at: number
  /** Monotonic clock (ms, e.g. performance.now()): the only source of durations, so wall-clock jumps cannot distort them. */
  mono: number
  /** The schedule says the display is on and something should play. */
  shouldPlay: boolean
  /** Monotonic time of the renderer's latest pong, if it ever answered. */
  pongAt?: number
  /** A counter the screen advances while it paints (frames, or video time in ms); absent when unknown. */
  frameCounter?: number
}

export interface UptimeOptions {
  timeZone: string
  /** A pong older than this means the renderer is hung. */
  pongBoundMs?: number
  /** A restart gap longer than this is clipped: beyond it the wall clock is more likely wrong than the board off. */
  maxRestartGapMs?: number
  /** Days kept: a year and a bit, for the yearly report. */
  keepDays?: number
}

export const UptimeState = z.object({
  version: z.literal(1),
  /** Per local day (YYYY-MM-DD): ms up and ms down while play was expected. */
  days: z.record(z.string(), z.object({ upMs: z.number().nonnegative(), downMs: z.number().nonnegative() })),
  /** The latest observation's wall time and schedule, kept across restarts to measure the gap. */
  last: z.object({ at: z.number(), shouldPlay: z.boolean() }).nullable(),
  /** This process's monotonic reading and frame counter; meaningless after a restart, so dropped on load. */
  session: z.object({ mono: z.number(), frameCounter: z.number().nullable() }).nullable(),
  /** Expected time observed while the wall clock was unset (e.g. booted in 1970): no day to put it on. */
  clockUnset: z.object({ upMs: z.number().nonnegative(), downMs: z.number().nonnegative() })
})
export type UptimeState = z.infer<typeof UptimeState>

/** One local day's figures, as uploaded (the wire schema is protocol/api.ts UptimeDay). */
export type UptimeReport = UptimeDay

/** Before this the wall clock is certainly wrong (a dead RTC battery boots in 1970). */
const PLAUSIBLE_SINCE = Date.UTC(2020, 0, 1)
const DAY_MS = 86_400_000

export const emptyUptimeState = (): UptimeState => ({ version: 1, days: {}, last: null, session: null, clockUnset: { upMs: 0, downMs: 0 } })

function localDate(instant: number, timeZone: string): { year: number; month: number; day: number; text: string } {
  const t = zonedTime(new Date(instant), timeZone)
  return { year: t.year, month: t.month, day: t.day, text: `${t.year}-${String(t.month).padStart(2, '0')}-${String(t.day).padStart(2, '0')}` }
}

/** Adds `durationMs` ending at wall time `end`, split at local midnights. */
function credit(state: UptimeState, end: number, durationMs: number, up: boolean, options: UptimeOptions): UptimeState {
  if (durationMs <= 0) return state
  const key = up ? 'upMs' : 'downMs'
  if (end - durationMs < PLAUSIBLE_SINCE) {
    return { ...state, clockUnset: { ...state.clockUnset, [key]: state.clockUnset[key] + durationMs } }
  }
  const days = { ...state.days }
  let t = end - durationMs
  while (t < end) {
    const date = localDate(t, options.timeZone)
    const midnight = zonedInstant({ year: date.year, month: date.month, day: date.day + 1 }, options.timeZone).getTime()
    // Never step backwards or stand still, whatever the zone data says.
    const stop = midnight > t ? Math.min(end, midnight) : end
    const day = days[date.text] ?? { upMs: 0, downMs: 0 }
    days[date.text] = { ...day, [key]: day[key] + (stop - t) }
    t = stop
  }
  const keep = options.keepDays ?? 400
  const names = Object.keys(days).sort()
  for (const old of names.slice(0, Math.max(0, names.length - keep))) delete days[old]
  return { ...state, days }
}

/** Folds one observation into the ledger: the time since the previous one is classified and credited. */
export function observeUptime(state: UptimeState, obs: UptimeObservation, options: UptimeOptions): UptimeState {
  const pongBoundMs = options.pongBoundMs ?? 15_000
  let next = state
  if (state.session && state.last) {
    // Monotonic time only moves forward; a negative delta would be a bug elsewhere, so it counts as nothing.
    const elapsed = Math.max(0, obs.mono - state.session.mono)
    if (state.last.shouldPlay) {
      const answering = obs.pongAt !== undefined && obs.pongAt <= obs.mono && obs.mono - obs.pongAt <= pongBoundMs
      const painting = obs.frameCounter !== undefined && state.session.frameCounter !== null && obs.frameCounter !== state.session.frameCounter
      next = credit(next, obs.at, elapsed, answering && painting, options)
    }
  } else if (state.last && state.last.shouldPlay) {
    // First look after a restart: the process was not there, so nothing played while play was expected.
    const plausible = state.last.at >= PLAUSIBLE_SINCE && obs.at >= PLAUSIBLE_SINCE
    const gap = plausible ? Math.min(Math.max(0, obs.at - state.last.at), options.maxRestartGapMs ?? 7 * DAY_MS) : 0
    next = credit(next, obs.at, gap, false, options)
  }
  return { ...next, last: { at: obs.at, shouldPlay: obs.shouldPlay }, session: { mono: obs.mono, frameCounter: obs.frameCounter ?? null } }
}

export function uptimeReport(state: UptimeState, date: string): UptimeReport {
  const day = state.days[date] ?? { upMs: 0, downMs: 0 }
  const round = (ms: number): number => Math.round(ms) / 1000
  const expected = day.upMs + day.downMs
  return {
    date,
    upSeconds: round(day.upMs),
    downSeconds: round(day.downMs),
    expectedSeconds: round(expected),
    percent: expected > 0 ? Math.round((day.upMs / expected) * 1000) / 10 : null
  }
}

/** The ledger on disk: loaded at start, saved atomically at most every `saveEveryMs` and on flush. */
export class UptimeLedger {
  private state = emptyUptimeState()
  private lastSaveMono = -Infinity
  private saving: Promise<void> = Promise.resolve()

  constructor(
    private readonly file: string,
    private readonly options: UptimeOptions & { saveEveryMs?: number; log?: Logger }
  ) {}

  async load(): Promise<void> {
    try {
      const loaded = UptimeState.parse(JSON.parse(await readFile(this.file, 'utf8')))
      // A new process: its monotonic clock has another origin, so the previous session cannot be continued.
      this.state = { ...loaded, session: null }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') this.options.log?.warn('uptime ledger unreadable; starting afresh', { reason: String(error) })
      this.state = emptyUptimeState()
    }
  }

  observe(obs: UptimeObservation): Promise<void> {
    this.state = observeUptime(this.state, obs, this.options)
    if (obs.mono - this.lastSaveMono < (this.options.saveEveryMs ?? 60_000)) return this.saving
    this.lastSaveMono = obs.mono
    return this.flush()
  }

  flush(): Promise<void> {
    const snapshot = JSON.stringify(this.state)
    this.saving = this.saving.then(() => writeFileAtomic(this.file, snapshot)).catch((error: unknown) => {
      this.options.log?.error('could not save the uptime ledger', { reason: String(error) })
    })
    return this.saving
  }

  report(date: string): UptimeReport {
    return uptimeReport(this.state, date)
  }

  /** The report for the local day holding `instant` (epoch ms). */
  reportOn(instant: number): UptimeReport {
    return uptimeReport(this.state, localDate(instant, this.options.timeZone).text)
  }

  /** Reports for every day kept, oldest first. */
  reports(): UptimeReport[] {
    return Object.keys(this.state.days)
      .sort()
      .map((date) => uptimeReport(this.state, date))
  }

  get snapshot(): UptimeState {
    return this.state
  }
}
