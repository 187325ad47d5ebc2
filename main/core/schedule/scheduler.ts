// The pure scheduler: which emergency takes the screen, whether the display is on, what each layout
// zone rotates at an instant, and the exact next instant at which any of that may change.
/*
 * Semantics (choices the protocol leaves open; docs and tests follow this list):
 * - Wall-clock rules (weekdays, times, displayHours) are read on the board's wall clock in
 *   `timeZone`, to the minute; validFrom/validTo and emergency expiries are instants.
 * - A Schedule is active when validFrom ≤ now < validTo, the local ISO weekday (1 = Mon … 7 = Sun)
 *   is in `weekdays` (all days when absent) and the local time is in one of `times` (all day when
 *   absent). A window is [from, to): "08:00–09:00" ends at 09:00:00.
 * - A window whose `to` is earlier than its `from` crosses midnight, and counts on the weekday it
 *   STARTED: Friday 22:00–06:00 with weekdays [5] covers Saturday 03:00, not Friday 03:00.
 *   A window with from == to is the whole day, on the weekdays listed.
 * - Clock changes follow the wall clock, not elapsed time: on a spring-forward night a window that
 *   lies wholly in the skipped hour does not play, and one that starts inside it starts at the
 *   first instant after the gap; on a fall-back night a window in the repeated hour plays twice.
 * - An item plays when its playlist's schedule and its own schedule are both active.
 * - Per zone, a playlist applies when its schedule is active and it has ≥ 1 active item. If an
 *   'emergency' playlist applies, only emergency playlists play. Otherwise the applying 'priority'
 *   playlists play before the 'normal' ones, manifest order within a level. If none applies, the
 *   zone falls back (isDefault) to `defaultPlaylist` when it is in this zone (its own schedule
 *   ignored, item schedules honoured), else to the zone's first 'normal' playlist without a
 *   schedule; with neither, the zone is empty and reports isDefault with no playlist. A fallback
 *   zone reports its playlist's declared priority ('normal' when there is none).
 * - Zones are planned whether or not the display is on, so the screen can prepare them.
 * - Emergencies come only from `input.emergencies` (the emergency state merges manifest-listed and
 *   pushed ones and applies clears); `manifest.emergencies` is not read here, or a cleared notice
 *   would come back. One is active unless expiresAt ≤ now or issuedAt > expiresAt; an issuedAt in
 *   the future still counts (a board whose clock reads 1970 must still show a storm warning).
 *   Duplicates by id keep the newest issuedAt. Order: newest issuedAt first, ties → greater id.
 * - displayHours {on, off} is a [on, off) window, crossing midnight when off < on; on == off or
 *   absent means always on. An active emergency turns the display on regardless.
 * - `manifest: null` gives DEFAULT_LAYOUT's zones, empty and isDefault, with the display on.
 * - nextChangeAt is the first instant after `now` at which a predicate the plan depends on flips:
 *   an emergency expiry, displayHours (unless an emergency holds the display on), the schedule of
 *   every playlist of a zone and the item schedules of its playlists whose schedule is active (only
 *   the emergency playlists when one applies), and the fallback playlist's items. A flip that
 *   cannot show (an item of an inactive playlist) is not a change. Flips are exact instants,
 *   DST changes included, and a flip can coincide with another that undoes its effect on the plan.
 * - An unknown `timeZone` falls back to Asia/Ho_Chi_Minh rather than leave the screen black; an
 *   invalid `now` is read as 1970-01-01T00:00Z. Manifests are treated as immutable: compiled
 *   schedules are cached per schedule object.
 */
import { DEFAULT_LAYOUT, type Emergency, type Manifest, type ManifestItem, type Playlist, type Priority, type Schedule } from '../protocol/manifest'
import { isoWeekdayOfEpochDay } from '../protocol/weekday'
import { isValidTimeZone, minutesOf, nextOffsetChange, wallClockMs } from '../time/zoned'

export interface ScheduleInput {
  manifest: Manifest | null
  /** Emergencies known to be active (received, not cleared); may include expired ones — the scheduler ignores those. */
  emergencies: readonly Emergency[]
  /** IANA zone of the board; the app's default is Asia/Ho_Chi_Minh. */
  timeZone: string
  now: Date
}

export interface ZonePlan {
  zoneId: string
  role: 'main' | 'ticker' | 'header'
  /** Highest priority among the playlists playing in this zone now. */
  priority: Priority
  /** Playlist ids contributing, in play order. */
  playlistIds: string[]
  /** Items to rotate now, in order: items of active priority playlists first, then normal; only items whose own schedule is active. */
  items: ManifestItem[]
  /** True when no scheduled playlist applied and the default playlist was used. */
  isDefault: boolean
}

export interface SchedulePlan {
  /** False outside the manifest's displayHours (unless an emergency is active: an emergency always turns the display on). */
  displayOn: boolean
  /** The winning emergency: the newest issuedAt (ties → the greater id), among unexpired ones; null if none. */
  emergency: Emergency | null
  /** Every other active emergency, newest first (all are accounted for; the screen shows the winner). */
  otherEmergencies: Emergency[]
  /** One per layout zone, in layout order (layout defaults to DEFAULT_LAYOUT). */
  zones: ZonePlan[]
  /** The exact next instant at which this plan may change, strictly after `now`; null if nothing can change. */
  nextChangeAt: Date | null
}

const FALLBACK_TIME_ZONE = 'Asia/Ho_Chi_Minh'
const MINUTE_MS = 60_000
const DAY_MS = 86_400_000
const MAX_DATE_MS = 8.64e15
const ALL_WEEKDAYS = 0b1111111
/** Interned wall rules; bounded so a stream of distinct manifests cannot grow it without end. */
const MAX_INTERNED_RULES = 20_000

interface TimeWindow {
  from: number
  to: number
}

/** The wall-clock part of a schedule: a function of (local weekday, local minute) only. */
interface WallRule {
  /** Bit d − 1 set when ISO weekday d counts. */
  weekdays: number
  windows: readonly TimeWindow[] | null
  /** Minutes of the day at which the value may change (midnight and every from/to), ascending. */
  breaks: readonly number[]
  /** The value when it is the same at every moment of the week, else null; undefined until needed. */
  constant: boolean | null | undefined
  /** Memo of the next change after an instant in a zone: identical schedules share one rule, so a plan computes it once. */
  memoNow: number
  memoZone: string
  memoNext: number | null
}

interface CompiledSchedule {
  validFrom: number
  validTo: number
  /** null: no wall-clock condition. */
  wall: WallRule | null
}

const ALWAYS: CompiledSchedule = { validFrom: -Infinity, validTo: Infinity, wall: null }
const compiledSchedules = new WeakMap<Schedule, CompiledSchedule>()
const internedRules = new Map<string, WallRule>()

// Hot path (every item, every plan): plain loops and bit tests, no closures.
function wallValue(rule: WallRule, weekday: number, minute: number): boolean {
  const today = (rule.weekdays & (1 << (weekday - 1))) !== 0
  if (!rule.windows) return today
  // Crossing midnight: the evening part counts on its own day, the morning part on the day before.
  const yesterday = (rule.weekdays & (1 << (weekday === 1 ? 6 : weekday - 2))) !== 0
  for (const span of rule.windows) {
    if (span.from === span.to) {
      if (today) return true
    } else if (span.from < span.to) {
      if (today && minute >= span.from && minute < span.to) return true
    } else if ((today && minute >= span.from) || (yesterday && minute < span.to)) {
      return true
    }
  }
  return false
}

function wallValueAtLocal(rule: WallRule, localMs: number): boolean {
  const day = Math.floor(localMs / DAY_MS)
  return wallValue(rule, isoWeekdayOfEpochDay(day), Math.floor((localMs - day * DAY_MS) / MINUTE_MS))
}

/** "HH:MM" → minutes; the schema guarantees the shape, and digit arithmetic beats split/map tenfold. */
function minuteOfDay(time: string): number {
  if (time.length !== 5 || time.charCodeAt(2) !== 58) return minutesOf(time)
  return (time.charCodeAt(0) * 10 + time.charCodeAt(1) - 528) * 60 + time.charCodeAt(3) * 10 + time.charCodeAt(4) - 528
}

// Compiling runs once per schedule object, 10,000 times for a big manifest: plain loops again.
function wallRule(weekdays: readonly number[] | undefined, times: readonly { from: string; to: string }[] | undefined): WallRule | null {
  if (!weekdays && !times) return null
  let mask = weekdays ? 0 : ALL_WEEKDAYS
  if (weekdays) for (const day of weekdays) if (Number.isInteger(day) && day >= 1 && day <= 7) mask |= 1 << (day - 1)
  let key = `${mask}|`
  if (times) for (const span of times) key += `${span.from}${span.to}`
  const interned = internedRules.get(key)
  if (interned) return interned
  let windows: TimeWindow[] | null = null
  const breaks = [0]
  if (times) {
    windows = []
    for (const span of times) {
      const from = minuteOfDay(span.from)
      const to = minuteOfDay(span.to)
      windows.push({ from, to })
      if (!breaks.includes(from)) breaks.push(from)
      if (!breaks.includes(to)) breaks.push(to)
    }
    breaks.sort((a, b) => a - b)
  }
  const rule: WallRule = { weekdays: mask, windows, breaks, constant: undefined, memoNow: NaN, memoZone: '', memoNext: null }
  if (internedRules.size >= MAX_INTERNED_RULES) internedRules.clear()
  internedRules.set(key, rule)
  return rule
}

/** Whether the rule has the same value all week (and which); worked out on first need, as most plans never ask. */
function constantOf(rule: WallRule): boolean | null {
  if (rule.constant === undefined) {
    let sawOn = false
    let sawOff = false
    for (let day = 1; day <= 7; day++) {
      for (const minute of rule.breaks) {
        if (wallValue(rule, day, minute)) sawOn = true
        else sawOff = true
      }
    }
    rule.constant = sawOn && sawOff ? null : sawOn
  }
  return rule.constant
}

function instantOf(iso: string | undefined, absent: number): number {
  if (iso === undefined) return absent
  const ms = Date.parse(iso)
  return Number.isNaN(ms) ? absent : ms
}

function compile(schedule: Schedule | undefined): CompiledSchedule {
  if (!schedule) return ALWAYS
  let compiled = compiledSchedules.get(schedule)
  if (!compiled) {
    compiled = {
      validFrom: instantOf(schedule.validFrom, -Infinity),
      validTo: instantOf(schedule.validTo, Infinity),
      wall: wallRule(schedule.weekdays, schedule.times)
    }
    compiledSchedules.set(schedule, compiled)
  }
  return compiled
}

/**
 * The first local-time break after `localMs` at which the rule's value differs from `value`.
 * The rule repeats every week, so a non-constant rule changes within 7 days.
 */
function nextLocalBreak(rule: WallRule, localMs: number, value: boolean): number | null {
  const firstDay = Math.floor(localMs / DAY_MS)
  for (let day = firstDay; day <= firstDay + 7; day++) {
    const weekday = isoWeekdayOfEpochDay(day)
    for (const minute of rule.breaks) {
      const at = day * DAY_MS + minute * MINUTE_MS
      if (at > localMs && wallValue(rule, weekday, minute) !== value) return at
    }
  }
  return null
}

/**
 * The first instant after `startMs` at which the rule's value differs from its value at `startMs`.
 * Between offset changes the wall clock runs with the instant, so the next local break maps back
 * by the current offset; an offset change before it is itself a moment the wall clock jumps, and
 * is checked on its own (that is how skipped and repeated hours come out right).
 */
function wallNextChange(rule: WallRule, startMs: number, timeZone: string): number | null {
  if (constantOf(rule) !== null) return null
  let at = startMs
  const value = wallValueAtLocal(rule, wallClockMs(at, timeZone))
  // Each pass either answers or moves past one offset change; zones change offset a few times a year.
  for (let pass = 0; pass < 32; pass++) {
    const local = wallClockMs(at, timeZone)
    const breakLocal = nextLocalBreak(rule, local, value)
    if (breakLocal === null) return null
    const candidate = breakLocal - (local - at)
    const change = nextOffsetChange(at, candidate, timeZone)
    if (change === null) return candidate
    if (wallValueAtLocal(rule, wallClockMs(change, timeZone)) !== value) return change
    at = change
  }
  return null
}

/** One plan's view of time: the instant, its wall clock, and the earliest change seen so far. */
class PlanClock {
  readonly local: number
  earliestChange = Infinity

  constructor(
    readonly now: number,
    readonly timeZone: string
  ) {
    this.local = wallClockMs(now, timeZone)
  }

  wallOn(rule: WallRule | null): boolean {
    return rule === null || wallValueAtLocal(rule, this.local)
  }

  active(schedule: CompiledSchedule): boolean {
    return schedule.validFrom <= this.now && this.now < schedule.validTo && this.wallOn(schedule.wall)
  }

  noteChange(at: number | null): void {
    if (at !== null && at < this.earliestChange) this.earliestChange = at
  }

  wallNextFromNow(rule: WallRule): number | null {
    if (rule.memoNow !== this.now || rule.memoZone !== this.timeZone) {
      rule.memoNext = wallNextChange(rule, this.now, this.timeZone)
      rule.memoNow = this.now
      rule.memoZone = this.timeZone
    }
    return rule.memoNext
  }

  /** Notes the first instant after now at which the schedule's activity flips. */
  noteScheduleChange(schedule: CompiledSchedule): void {
    const { validFrom, validTo, wall } = schedule
    if (this.now >= validTo || (wall !== null && constantOf(wall) === false)) return
    if (validFrom <= this.now) {
      const next = wall ? this.wallNextFromNow(wall) : null
      if (this.wallOn(wall)) this.noteChange(Math.min(next ?? Infinity, validTo))
      else if (next !== null && next < validTo) this.noteChange(next)
      return
    }
    // Not valid yet: it turns on at validFrom if the wall clock allows then, else at the wall clock's next turn.
    if (validFrom >= this.earliestChange || validFrom >= validTo) return
    if (wall === null || wallValueAtLocal(wall, wallClockMs(validFrom, this.timeZone))) {
      this.noteChange(validFrom)
      return
    }
    const next = wallNextChange(wall, validFrom, this.timeZone)
    if (next !== null && next < validTo) this.noteChange(next)
  }
}

/** Whether a schedule is active at an instant on the wall clock of `timeZone` (see the header for the rules). */
export function scheduleActive(schedule: Schedule | undefined, now: Date, timeZone: string): boolean {
  return new PlanClock(instantOfDate(now), resolveTimeZone(timeZone)).active(compile(schedule))
}

function instantOfDate(date: Date): number {
  const ms = date.getTime()
  return Number.isFinite(ms) ? Math.min(MAX_DATE_MS, Math.max(-MAX_DATE_MS, ms)) : 0
}

function resolveTimeZone(timeZone: string): string {
  return isValidTimeZone(timeZone) ? timeZone : FALLBACK_TIME_ZONE
}

interface ActiveEmergency {
  emergency: Emergency
  issuedAt: number
  expiresAt: number
}

function activeEmergencies(emergencies: readonly Emergency[], now: number): ActiveEmergency[] {
  const byId = new Map<string, ActiveEmergency>()
  for (const emergency of emergencies) {
    const issuedAt = Date.parse(emergency.issuedAt)
    const expiresAt = Date.parse(emergency.expiresAt)
    // Written as negations so unparseable dates (NaN) are ignored too.
    if (!(expiresAt > now) || !(issuedAt <= expiresAt)) continue
    const seen = byId.get(emergency.id)
    if (!seen || issuedAt > seen.issuedAt || (issuedAt === seen.issuedAt && expiresAt > seen.expiresAt)) {
      byId.set(emergency.id, { emergency, issuedAt, expiresAt })
    }
  }
  return [...byId.values()].sort((a, b) => b.issuedAt - a.issuedAt || (a.emergency.id < b.emergency.id ? 1 : -1))
}

interface PlaylistState {
  playlist: Playlist
  scheduleOn: boolean
  items: ManifestItem[]
}

function activeItems(playlist: Playlist, clock: PlanClock): ManifestItem[] {
  return playlist.items.filter((item) => clock.active(compile(item.schedule)))
}

function noteItemChanges(playlist: Playlist, clock: PlanClock): void {
  for (const item of playlist.items) if (item.schedule) clock.noteScheduleChange(compile(item.schedule))
}

function planZone(zone: Manifest['layout']['zones'][number], inZone: readonly Playlist[], manifest: Manifest, clock: PlanClock): ZonePlan {
  const states: PlaylistState[] = inZone.map((playlist) => {
    const scheduleOn = clock.active(compile(playlist.schedule))
    return { playlist, scheduleOn, items: scheduleOn ? activeItems(playlist, clock) : [] }
  })
  const applying = states.filter((state) => state.items.length > 0)
  const emergencyLevel = applying.some((state) => state.playlist.priority === 'emergency')
  // Only flips that could show count: below an applying emergency level nothing else can.
  for (const state of states) {
    if (emergencyLevel && state.playlist.priority !== 'emergency') continue
    clock.noteScheduleChange(compile(state.playlist.schedule))
    if (state.scheduleOn) noteItemChanges(state.playlist, clock)
  }
  const base = { zoneId: zone.id, role: zone.role }
  if (applying.length > 0) {
    const ordered = emergencyLevel
      ? applying.filter((state) => state.playlist.priority === 'emergency')
      : [...applying.filter((state) => state.playlist.priority === 'priority'), ...applying.filter((state) => state.playlist.priority === 'normal')]
    return {
      ...base,
      priority: ordered[0]?.playlist.priority ?? 'normal',
      playlistIds: ordered.map((state) => state.playlist.id),
      items: ordered.flatMap((state) => state.items),
      isDefault: false
    }
  }
  const fallback =
    (manifest.defaultPlaylist !== undefined ? inZone.find((playlist) => playlist.id === manifest.defaultPlaylist) : undefined) ??
    inZone.find((playlist) => playlist.priority === 'normal' && !playlist.schedule)
  if (!fallback) return { ...base, priority: 'normal', playlistIds: [], items: [], isDefault: true }
  noteItemChanges(fallback, clock)
  return { ...base, priority: fallback.priority, playlistIds: [fallback.id], items: activeItems(fallback, clock), isDefault: true }
}

export function plan(input: ScheduleInput): SchedulePlan {
  const clock = new PlanClock(instantOfDate(input.now), resolveTimeZone(input.timeZone))
  const active = activeEmergencies(input.emergencies, clock.now)
  for (const { expiresAt } of active) clock.noteChange(expiresAt)
  const emergency = active[0]?.emergency ?? null
  const { manifest } = input

  let displayOn = true
  const hours = manifest?.displayHours
  if (hours && emergency === null) {
    const rule = wallRule(undefined, [{ from: hours.on, to: hours.off }])
    displayOn = clock.wallOn(rule)
    if (rule) clock.noteChange(clock.wallNextFromNow(rule))
  }

  let zones: ZonePlan[]
  if (manifest) {
    const byZone = new Map<string, Playlist[]>()
    for (const playlist of manifest.playlists) {
      const list = byZone.get(playlist.zone)
      if (list) list.push(playlist)
      else byZone.set(playlist.zone, [playlist])
    }
    zones = manifest.layout.zones.map((zone) => planZone(zone, byZone.get(zone.id) ?? [], manifest, clock))
  } else {
    zones = DEFAULT_LAYOUT.zones.map((zone) => ({ zoneId: zone.id, role: zone.role, priority: 'normal', playlistIds: [], items: [], isDefault: true }))
  }

  return {
    displayOn,
    emergency,
    otherEmergencies: active.slice(1).map((entry) => entry.emergency),
    zones,
    nextChangeAt: clock.earliestChange === Infinity ? null : new Date(clock.earliestChange)
  }
}
