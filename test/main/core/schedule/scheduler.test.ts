// Tests of the pure scheduler: one example per rule, then properties against an independent oracle
// that reads wall-clock parts through Intl, including DST zones and clock jumps back to 1970.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { Manifest, type Emergency, type ManifestItem, type Schedule } from '../../../../main/core/protocol/manifest'
import { plan, scheduleActive, type SchedulePlan, type ScheduleInput, type ZonePlan } from '../../../../main/core/schedule/scheduler'
import { nextOffsetChange, zonedInstant, zonedTime } from '../../../../main/core/time/zoned'

const HCM = 'Asia/Ho_Chi_Minh'
const BERLIN = 'Europe/Berlin'
const MINUTE = 60_000
const HOUR = 3_600_000
const DAY = 86_400_000

// ---------------------------------------------------------------------------------------------
// Builders

type Json = Record<string, unknown>

function text(id: string, schedule?: Json): Json {
  return { id, kind: 'text', body: id, durationSec: 5, ...(schedule ? { schedule } : {}) }
}

function manifestOf(fields: Json): Manifest {
  return Manifest.parse({ schema: 'bangtin.manifest/v1', version: 'v1', assets: [], playlists: [], ...fields })
}

function emergency(id: string, issuedAt: string, expiresAt: string): Emergency {
  return { id, issuedAt, expiresAt, title: `Khẩn cấp ${id}`, body: '' }
}

/** A wall-clock instant in a zone, e.g. at(BERLIN, '2025-03-30 02:30'). */
function at(timeZone: string, wall: string): Date {
  const [date = '', time = '00:00'] = wall.split(' ')
  const [year = 0, month = 0, day = 0] = date.split('-').map(Number)
  const [hour = 0, minute = 0] = time.split(':').map(Number)
  return zonedInstant({ year, month, day, hour, minute }, timeZone)
}

function run(manifest: Manifest | null, now: Date, timeZone = HCM, emergencies: Emergency[] = []): SchedulePlan {
  return plan({ manifest, emergencies, timeZone, now })
}

const ids = (zone: ZonePlan | undefined): string[] => (zone?.items ?? []).map((item) => item.id)
const withoutNext = (p: SchedulePlan): Omit<SchedulePlan, 'nextChangeAt'> => {
  const { nextChangeAt: _next, ...rest } = p
  return rest
}

// ---------------------------------------------------------------------------------------------
// Examples, one per rule

describe('zonedInstant', () => {
  it('maps wall-clock times to instants, skipped times to the end of the gap, repeated ones to the first occurrence', () => {
    expect(at(HCM, '2025-06-01 08:00').toISOString()).toBe('2025-06-01T01:00:00.000Z')
    expect(at(BERLIN, '2025-03-30 01:59').toISOString()).toBe('2025-03-30T00:59:00.000Z')
    expect(at(BERLIN, '2025-03-30 02:30').toISOString()).toBe('2025-03-30T01:00:00.000Z')
    expect(at(BERLIN, '2025-03-30 03:00').toISOString()).toBe('2025-03-30T01:00:00.000Z')
    expect(at(BERLIN, '2025-10-26 02:30').toISOString()).toBe('2025-10-26T00:30:00.000Z')
    // Saigon kept UTC+8 until 1975: boards booting in 1970 must still read local time right.
    expect(at(HCM, '1970-01-01 08:00').toISOString()).toBe('1970-01-01T00:00:00.000Z')
  })

  it('finds offset changes that fall exactly on the edge of its 7-day cache blocks (Thursday 00:00 UTC)', () => {
    // Baghdad moved to summer time at 2004-04-01T00:00Z, a Thursday midnight UTC like every block edge.
    expect(nextOffsetChange(Date.parse('2004-03-30T00:00:00Z'), Date.parse('2004-04-05T00:00:00Z'), 'Asia/Baghdad')).toBe(Date.parse('2004-04-01T00:00:00Z'))
    const manifest = manifestOf({ playlists: [{ id: 'a', name: 'a', schedule: { times: [{ from: '03:30', to: '05:00' }] }, items: [text('a1')] }] })
    expect(run(manifest, new Date('2004-03-31T22:00:00Z'), 'Asia/Baghdad').nextChangeAt).toEqual(new Date('2004-04-01T00:00:00Z'))
  })
})

describe('scheduleActive', () => {
  it('honours validFrom ≤ now < validTo', () => {
    const schedule: Schedule = { validFrom: '2025-06-01T00:00:00+07:00', validTo: '2025-06-02T00:00:00+07:00' }
    expect(scheduleActive(schedule, new Date('2025-05-31T16:59:59.999Z'), HCM)).toBe(false)
    expect(scheduleActive(schedule, new Date('2025-05-31T17:00:00Z'), HCM)).toBe(true)
    expect(scheduleActive(schedule, new Date('2025-06-01T16:59:59.999Z'), HCM)).toBe(true)
    expect(scheduleActive(schedule, new Date('2025-06-01T17:00:00Z'), HCM)).toBe(false)
    expect(scheduleActive(undefined, new Date(0), HCM)).toBe(true)
  })

  it('reads weekdays on the board clock, not UTC', () => {
    // Monday 2025-06-02 06:00 in Hà Nội is still Sunday in UTC.
    const monday = at(HCM, '2025-06-02 06:00')
    expect(monday.getUTCDay()).toBe(0)
    expect(scheduleActive({ weekdays: [1] }, monday, HCM)).toBe(true)
    expect(scheduleActive({ weekdays: [7] }, monday, HCM)).toBe(false)
  })

  it('treats a window as [from, to)', () => {
    const schedule: Schedule = { times: [{ from: '08:00', to: '09:00' }] }
    expect(scheduleActive(schedule, at(HCM, '2025-06-02 07:59'), HCM)).toBe(false)
    expect(scheduleActive(schedule, at(HCM, '2025-06-02 08:00'), HCM)).toBe(true)
    expect(scheduleActive(schedule, new Date(at(HCM, '2025-06-02 09:00').getTime() - 1), HCM)).toBe(true)
    expect(scheduleActive(schedule, at(HCM, '2025-06-02 09:00'), HCM)).toBe(false)
  })

  it('counts a window crossing midnight on the weekday it started', () => {
    // 2025-06-06 is a Friday.
    const fridayNight: Schedule = { weekdays: [5], times: [{ from: '22:00', to: '06:00' }] }
    expect(scheduleActive(fridayNight, at(HCM, '2025-06-06 23:00'), HCM)).toBe(true)
    expect(scheduleActive(fridayNight, at(HCM, '2025-06-07 03:00'), HCM)).toBe(true) // Saturday morning
    expect(scheduleActive(fridayNight, at(HCM, '2025-06-06 03:00'), HCM)).toBe(false) // Friday morning: Thursday's night
    expect(scheduleActive(fridayNight, at(HCM, '2025-06-07 23:00'), HCM)).toBe(false) // Saturday night
    expect(scheduleActive(fridayNight, at(HCM, '2025-06-07 06:00'), HCM)).toBe(false)
  })

  it('treats from == to as the whole day', () => {
    const allSunday: Schedule = { weekdays: [7], times: [{ from: '07:00', to: '07:00' }] }
    expect(scheduleActive(allSunday, at(HCM, '2025-06-08 00:00'), HCM)).toBe(true)
    expect(scheduleActive(allSunday, at(HCM, '2025-06-08 23:59'), HCM)).toBe(true)
    expect(scheduleActive(allSunday, at(HCM, '2025-06-09 00:00'), HCM)).toBe(false)
  })

  it('follows the wall clock across DST: a window in the skipped hour does not play, one in the repeated hour plays twice', () => {
    const skipped: Schedule = { times: [{ from: '02:15', to: '02:45' }] }
    for (let t = Date.parse('2025-03-29T23:00:00Z'); t < Date.parse('2025-03-30T04:00:00Z'); t += MINUTE) {
      expect(scheduleActive(skipped, new Date(t), BERLIN)).toBe(false)
    }
    expect(scheduleActive(skipped, new Date('2025-10-26T00:20:00Z'), BERLIN)).toBe(true) // 02:20 CEST
    expect(scheduleActive(skipped, new Date('2025-10-26T01:00:00Z'), BERLIN)).toBe(false) // 02:00 CET
    expect(scheduleActive(skipped, new Date('2025-10-26T01:20:00Z'), BERLIN)).toBe(true) // 02:20 CET
  })
})

describe('plan', () => {
  const PRIORITY_MANIFEST = manifestOf({
    playlists: [
      { id: 'normal', name: 'Thường', items: [text('n1'), text('n2')] },
      { id: 'urgent', name: 'Ưu tiên', priority: 'priority', items: [text('p1')] },
      { id: 'evening', name: 'Tối', schedule: { times: [{ from: '18:00', to: '22:00' }] }, items: [text('e1')] }
    ]
  })

  it('plays priority playlists before normal ones, manifest order within a level', () => {
    const day = run(PRIORITY_MANIFEST, at(HCM, '2025-06-02 10:00'))
    expect(day.zones).toHaveLength(1)
    expect(day.zones[0]).toMatchObject({ zoneId: 'main', role: 'main', priority: 'priority', playlistIds: ['urgent', 'normal'], isDefault: false })
    expect(ids(day.zones[0])).toEqual(['p1', 'n1', 'n2'])
    expect(day.nextChangeAt).toEqual(at(HCM, '2025-06-02 18:00'))
    const evening = run(PRIORITY_MANIFEST, at(HCM, '2025-06-02 19:00'))
    expect(ids(evening.zones[0])).toEqual(['p1', 'n1', 'n2', 'e1'])
    expect(evening.nextChangeAt).toEqual(at(HCM, '2025-06-02 22:00'))
  })

  it('plays only emergency playlists while one applies, and ignores changes beneath them', () => {
    const manifest = manifestOf({
      playlists: [
        { id: 'normal', name: 'n', items: [text('n1', { times: [{ from: '12:00', to: '13:00' }] }), text('n2')] },
        { id: 'flood', name: 'Lũ', priority: 'emergency', schedule: { validTo: '2025-06-03T00:00:00+07:00' }, items: [text('f1')] },
        { id: 'storm', name: 'Bão', priority: 'emergency', items: [text('s1', { validFrom: '2025-06-02T15:00:00+07:00' })] }
      ]
    })
    const morning = run(manifest, at(HCM, '2025-06-02 10:00'))
    expect(morning.zones[0]).toMatchObject({ priority: 'emergency', playlistIds: ['flood'], isDefault: false })
    expect(ids(morning.zones[0])).toEqual(['f1'])
    // n1's 12:00 window cannot show beneath the emergency level, so the next change is storm's item.
    expect(morning.nextChangeAt).toEqual(at(HCM, '2025-06-02 15:00'))
    const afternoon = run(manifest, at(HCM, '2025-06-02 15:00'))
    expect(afternoon.zones[0]?.playlistIds).toEqual(['flood', 'storm'])
    expect(afternoon.nextChangeAt).toEqual(at(HCM, '2025-06-03 00:00'))
    expect(run(manifest, at(HCM, '2025-06-03 00:00')).zones[0]?.playlistIds).toEqual(['storm'])
  })

  it('only plays items whose own schedule is active, and skips playlists with no active item', () => {
    const manifest = manifestOf({
      playlists: [
        { id: 'ads', name: 'a', priority: 'priority', items: [text('later', { validFrom: '2030-01-01T00:00:00Z' })] },
        {
          id: 'news',
          name: 'n',
          items: [text('old', { validTo: '2020-01-01T00:00:00Z' }), text('now'), text('monday', { weekdays: [1] })]
        }
      ]
    })
    const tuesday = run(manifest, at(HCM, '2025-06-03 10:00'))
    expect(tuesday.zones[0]).toMatchObject({ priority: 'normal', playlistIds: ['news'] })
    expect(ids(tuesday.zones[0])).toEqual(['now'])
    expect(tuesday.nextChangeAt).toEqual(at(HCM, '2025-06-09 00:00'))
  })

  it('falls back to defaultPlaylist (its schedule ignored, item schedules honoured) when nothing applies', () => {
    const manifest = manifestOf({
      defaultPlaylist: 'filler',
      playlists: [
        { id: 'morning', name: 'm', schedule: { times: [{ from: '06:00', to: '09:00' }] }, items: [text('m1')] },
        {
          id: 'filler',
          name: 'f',
          schedule: { validTo: '2000-01-01T00:00:00Z' },
          items: [text('f1'), text('f-weekend', { weekdays: [6, 7] })]
        },
        { id: 'plain', name: 'p', items: [text('p1', { validFrom: '2030-01-01T00:00:00Z' })] }
      ]
    })
    const noon = run(manifest, at(HCM, '2025-06-07 12:00')) // Saturday
    expect(noon.zones[0]).toMatchObject({ priority: 'normal', playlistIds: ['filler'], isDefault: true })
    expect(ids(noon.zones[0])).toEqual(['f1', 'f-weekend'])
    expect(noon.nextChangeAt).toEqual(at(HCM, '2025-06-08 06:00'))
    expect(run(manifest, at(HCM, '2025-06-09 12:00')).zones[0]?.items.map((item) => item.id)).toEqual(['f1'])
    expect(run(manifest, at(HCM, '2025-06-07 07:00')).zones[0]).toMatchObject({ playlistIds: ['morning'], isDefault: false })
  })

  it('falls back to the first unscheduled normal playlist of the zone, else to an empty zone', () => {
    const manifest = manifestOf({
      layout: {
        id: 'split',
        zones: [
          { id: 'top', role: 'header', x: 0, y: 0, width: 1, height: 0.1 },
          { id: 'main', role: 'main', x: 0, y: 0.1, width: 1, height: 0.8 },
          { id: 'crawl', role: 'ticker', x: 0, y: 0.9, width: 1, height: 0.1 }
        ]
      },
      defaultPlaylist: 'top-default',
      playlists: [
        { id: 'top-default', name: 't', zone: 'top', items: [text('t1')] },
        { id: 'scheduled', name: 's', schedule: { weekdays: [1] }, items: [text('s1')] },
        { id: 'prio', name: 'p', priority: 'priority', items: [text('x', { weekdays: [1] })] },
        { id: 'empty-normal', name: 'e', items: [text('future', { validFrom: '2030-01-01T00:00:00Z' })] },
        { id: 'second-normal', name: 'e2', items: [] }
      ]
    })
    const tuesday = run(manifest, at(HCM, '2025-06-03 10:00'))
    expect(tuesday.zones.map((zone) => [zone.zoneId, zone.role])).toEqual([
      ['top', 'header'],
      ['main', 'main'],
      ['crawl', 'ticker']
    ])
    expect(tuesday.zones[0]).toMatchObject({ playlistIds: ['top-default'], isDefault: false })
    expect(tuesday.zones[1]).toMatchObject({ playlistIds: ['empty-normal'], items: [], isDefault: true, priority: 'normal' })
    expect(tuesday.zones[2]).toEqual({ zoneId: 'crawl', role: 'ticker', priority: 'normal', playlistIds: [], items: [], isDefault: true })
    expect(tuesday.nextChangeAt).toEqual(at(HCM, '2025-06-09 00:00'))
  })

  it('without a manifest plans DEFAULT_LAYOUT empty, display on', () => {
    expect(run(null, new Date('2025-06-01T00:00:00Z'))).toEqual({
      displayOn: true,
      emergency: null,
      otherEmergencies: [],
      zones: [{ zoneId: 'main', role: 'main', priority: 'normal', playlistIds: [], items: [], isDefault: true }],
      nextChangeAt: null
    })
  })

  it('turns the display off outside displayHours, across midnight, and on for an emergency', () => {
    const manifest = manifestOf({ displayHours: { on: '05:30', off: '23:00' }, playlists: [{ id: 'a', name: 'a', items: [text('a1')] }] })
    const night = run(manifest, at(HCM, '2025-06-02 23:30'))
    expect(night.displayOn).toBe(false)
    expect(night.nextChangeAt).toEqual(at(HCM, '2025-06-03 05:30'))
    expect(ids(night.zones[0])).toEqual(['a1']) // planned anyway, so the screen can prepare
    const day = run(manifest, at(HCM, '2025-06-03 05:30'))
    expect(day.displayOn).toBe(true)
    expect(day.nextChangeAt).toEqual(at(HCM, '2025-06-03 23:00'))
    const overnight = manifestOf({ displayHours: { on: '22:00', off: '02:00' }, playlists: [] })
    expect(run(overnight, at(HCM, '2025-06-03 01:00')).displayOn).toBe(true)
    expect(run(overnight, at(HCM, '2025-06-03 03:00')).displayOn).toBe(false)
    const storm = emergency('bao-so-3', '2025-06-02T16:00:00Z', '2025-06-03T00:00:00Z')
    const warned = run(manifest, at(HCM, '2025-06-02 23:30'), HCM, [storm])
    expect(warned.displayOn).toBe(true)
    expect(warned.emergency).toBe(storm)
    expect(warned.nextChangeAt).toEqual(new Date('2025-06-03T00:00:00Z'))
    expect(run(manifestOf({ displayHours: { on: '06:00', off: '06:00' }, playlists: [] }), new Date(0)).displayOn).toBe(true)
  })

  it('picks the newest unexpired emergency, ties by the greater id, and lists the others newest first', () => {
    const now = new Date('2025-06-02T00:00:00Z')
    const expired = emergency('old', '2025-06-01T00:00:00Z', '2025-06-02T00:00:00Z')
    const backwards = emergency('broken', '2025-06-02T00:00:00Z', '2025-06-01T23:00:00Z')
    const a = emergency('a', '2025-06-01T10:00:00Z', '2025-06-03T00:00:00Z')
    const b = emergency('b', '2025-06-01T10:00:00Z', '2025-06-02T12:00:00Z')
    const older = emergency('c', '2025-06-01T09:00:00+07:00', '2025-06-04T00:00:00Z')
    const result = run(null, now, HCM, [expired, a, backwards, older, b])
    expect(result.emergency).toBe(b)
    expect(result.otherEmergencies).toEqual([a, older])
    expect(result.nextChangeAt).toEqual(new Date('2025-06-02T12:00:00Z'))
    // A later copy of the same notice replaces the earlier one.
    const update = emergency('a', '2025-06-01T11:00:00Z', '2025-06-05T00:00:00Z')
    expect(run(null, now, HCM, [a, b, update]).emergency).toBe(update)
    expect(run(null, now, HCM, [a, b, update]).otherEmergencies).toEqual([b])
  })

  it('shows an emergency issued "in the future" on a board whose clock fell back to 1970', () => {
    const storm = emergency('bao', '2025-09-01T00:00:00Z', '2025-09-02T00:00:00Z')
    const booted = run(manifestOf({ displayHours: { on: '06:00', off: '22:00' }, playlists: [] }), new Date(0), HCM, [storm])
    expect(booted.emergency).toBe(storm)
    expect(booted.displayOn).toBe(true)
    expect(booted.nextChangeAt).toEqual(new Date('2025-09-02T00:00:00Z'))
  })

  it('finds the next change across DST: a window starting in the skipped hour starts when the gap ends', () => {
    const manifest = manifestOf({
      playlists: [{ id: 'night', name: 'n', schedule: { times: [{ from: '02:30', to: '04:00' }] }, items: [text('n1')] }]
    })
    const before = run(manifest, new Date('2025-03-29T23:00:00Z'), BERLIN)
    expect(before.nextChangeAt).toEqual(new Date('2025-03-30T01:00:00Z'))
    expect(run(manifest, new Date('2025-03-30T01:00:00Z'), BERLIN).zones[0]?.playlistIds).toEqual(['night'])
    // Fall back: 02:30 CEST, 03:00 CEST = 02:00 CET (off), 02:30 CET (on again), 04:00 CET.
    const changes: string[] = []
    let now: Date | null = new Date('2025-10-26T00:00:00Z')
    for (let i = 0; i < 4 && now; i++) {
      now = run(manifest, now, BERLIN).nextChangeAt
      changes.push(now?.toISOString() ?? 'null')
    }
    expect(changes).toEqual(['2025-10-26T00:30:00.000Z', '2025-10-26T01:00:00.000Z', '2025-10-26T01:30:00.000Z', '2025-10-26T03:00:00.000Z'])
  })

  it('follows a zone that skipped a whole day (Samoa, Friday 2011-12-30)', () => {
    const APIA = 'Pacific/Apia'
    const thursdays = manifestOf({ playlists: [{ id: 'thu', name: 't', schedule: { weekdays: [4] }, items: [text('t1')] }] })
    const fridays = manifestOf({ playlists: [{ id: 'fri', name: 'f', schedule: { weekdays: [5] }, items: [text('f1')] }] })
    const thursdayEvening = at(APIA, '2011-12-29 20:00')
    expect(run(thursdays, thursdayEvening, APIA).nextChangeAt).toEqual(new Date('2011-12-30T10:00:00Z'))
    expect(run(thursdays, thursdayEvening, APIA).nextChangeAt).toEqual(at(APIA, '2011-12-31 00:00'))
    expect(run(fridays, thursdayEvening, APIA).nextChangeAt).toEqual(at(APIA, '2012-01-06 00:00'))
  })

  it('finds the first window after a future validFrom, not validFrom itself', () => {
    const manifest = manifestOf({
      playlists: [
        {
          id: 'campaign',
          name: 'c',
          schedule: { validFrom: '2025-06-02T10:00:00+07:00', weekdays: [3], times: [{ from: '08:00', to: '09:00' }] },
          items: [text('c1')]
        }
      ]
    })
    // Monday: valid from Monday 10:00, first playable Wednesday 08:00.
    expect(run(manifest, at(HCM, '2025-06-01 12:00')).nextChangeAt).toEqual(at(HCM, '2025-06-04 08:00'))
  })

  it('never changes when nothing is scheduled', () => {
    expect(run(PRIORITY_MANIFEST, new Date(0)).nextChangeAt).toEqual(at(HCM, '1970-01-01 18:00'))
    const plain = manifestOf({ playlists: [{ id: 'a', name: 'a', schedule: { times: [{ from: '01:00', to: '01:00' }] }, items: [text('a1')] }] })
    expect(run(plain, new Date('2025-06-01T00:00:00Z')).nextChangeAt).toBeNull()
  })

  it('falls back to Asia/Ho_Chi_Minh for an unknown zone and to 1970 for an invalid date, without throwing', () => {
    const manifest = manifestOf({ playlists: [{ id: 'a', name: 'a', schedule: { times: [{ from: '08:00', to: '09:00' }] }, items: [text('a1')] }] })
    const now = at(HCM, '2025-06-02 08:30')
    expect(run(manifest, now, 'Mars/Olympus_Mons')).toEqual(run(manifest, now, HCM))
    expect(run(manifest, new Date(NaN))).toEqual(run(manifest, new Date(0)))
  })
})

// ---------------------------------------------------------------------------------------------
// The oracle: an independent reading of the rules from wall-clock parts (Intl via zonedTime),
// by brute force, with no offsets and no boundary arithmetic.

function minuteOf(time: string): number {
  return Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5))
}

function oracleActive(schedule: Schedule | undefined, t: number, timeZone: string): boolean {
  if (!schedule) return true
  if (schedule.validFrom !== undefined && t < Date.parse(schedule.validFrom)) return false
  if (schedule.validTo !== undefined && t >= Date.parse(schedule.validTo)) return false
  const wall = zonedTime(new Date(t), timeZone)
  const minute = wall.hour * 60 + wall.minute
  const days = schedule.weekdays ?? [1, 2, 3, 4, 5, 6, 7]
  const yesterday = wall.weekday === 1 ? 7 : wall.weekday - 1
  if (!schedule.times) return days.includes(wall.weekday)
  return schedule.times.some(({ from, to }) => {
    const start = minuteOf(from)
    const end = minuteOf(to)
    if (start === end) return days.includes(wall.weekday)
    if (start < end) return minute >= start && minute < end && days.includes(wall.weekday)
    return (minute >= start && days.includes(wall.weekday)) || (minute < end && days.includes(yesterday))
  })
}

function oracleEmergencies(emergencies: readonly Emergency[], t: number): Emergency[] {
  const active = emergencies.filter((e) => Date.parse(e.expiresAt) > t && Date.parse(e.issuedAt) <= Date.parse(e.expiresAt))
  const newest = new Map<string, Emergency>()
  for (const e of active) {
    const seen = newest.get(e.id)
    if (
      !seen ||
      Date.parse(e.issuedAt) > Date.parse(seen.issuedAt) ||
      (Date.parse(e.issuedAt) === Date.parse(seen.issuedAt) && Date.parse(e.expiresAt) > Date.parse(seen.expiresAt))
    ) {
      newest.set(e.id, e)
    }
  }
  return [...newest.values()].sort((a, b) => Date.parse(b.issuedAt) - Date.parse(a.issuedAt) || (a.id < b.id ? 1 : -1))
}

/** The whole plan minus nextChangeAt, the slow and obvious way. */
function oraclePlan(input: ScheduleInput): Omit<SchedulePlan, 'nextChangeAt'> {
  const t = input.now.getTime()
  const emergencies = oracleEmergencies(input.emergencies, t)
  const manifest = input.manifest
  const hours = manifest?.displayHours
  const displayOn =
    emergencies.length > 0 || !hours || oracleActive({ times: [{ from: hours.on, to: hours.off }] }, t, input.timeZone)
  const zones = (manifest?.layout ?? { zones: [{ id: 'main', role: 'main' as const }] }).zones.map((zone): ZonePlan => {
    const playlists = (manifest?.playlists ?? []).filter((playlist) => playlist.zone === zone.id)
    const live = (items: ManifestItem[]): ManifestItem[] => items.filter((item) => oracleActive(item.schedule, t, input.timeZone))
    const applying = playlists.filter((playlist) => oracleActive(playlist.schedule, t, input.timeZone) && live(playlist.items).length > 0)
    const level = (['emergency', 'priority', 'normal'] as const).find((p) => applying.some((playlist) => playlist.priority === p))
    if (level) {
      const chosen = level === 'emergency' ? applying.filter((p) => p.priority === 'emergency') : applying.filter((p) => p.priority === 'priority').concat(applying.filter((p) => p.priority === 'normal'))
      return { zoneId: zone.id, role: zone.role, priority: level, playlistIds: chosen.map((p) => p.id), items: chosen.flatMap((p) => live(p.items)), isDefault: false }
    }
    const fallback = playlists.find((p) => p.id === manifest?.defaultPlaylist) ?? playlists.find((p) => p.priority === 'normal' && !p.schedule)
    return {
      zoneId: zone.id,
      role: zone.role,
      priority: fallback?.priority ?? 'normal',
      playlistIds: fallback ? [fallback.id] : [],
      items: fallback ? live(fallback.items) : [],
      isDefault: true
    }
  })
  return { displayOn, emergency: emergencies[0] ?? null, otherEmergencies: emergencies.slice(1), zones }
}

/** Every predicate the plan is made of, read by the oracle: a flip of one of these is a change. */
function predicates(input: ScheduleInput, t: number): boolean[] {
  const manifest = input.manifest
  const hours = manifest?.displayHours
  return [
    ...(hours ? [oracleActive({ times: [{ from: hours.on, to: hours.off }] }, t, input.timeZone)] : []),
    ...input.emergencies.map((e) => Date.parse(e.expiresAt) > t),
    ...(manifest?.playlists ?? []).flatMap((playlist) => [
      oracleActive(playlist.schedule, t, input.timeZone),
      ...playlist.items.map((item) => oracleActive(item.schedule, t, input.timeZone))
    ])
  ]
}

// ---------------------------------------------------------------------------------------------
// Arbitraries: raw manifests around an anchor instant, parsed by the real Manifest schema.

const ZONES = [HCM, BERLIN, 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'America/Sao_Paulo']
/** Offset changes worth standing next to: Berlin both ways, Lord Howe's 30-minute ones, São Paulo's at midnight (it skipped 00:00–01:00), New York. */
const DST_CASES = [
  { timeZone: BERLIN, at: '2025-03-30T01:00:00Z' },
  { timeZone: BERLIN, at: '2025-10-26T01:00:00Z' },
  { timeZone: 'Australia/Lord_Howe', at: '2025-04-05T15:00:00Z' },
  { timeZone: 'Australia/Lord_Howe', at: '2025-10-04T15:30:00Z' },
  { timeZone: 'America/Sao_Paulo', at: '2017-10-15T03:00:00Z' },
  { timeZone: 'America/Sao_Paulo', at: '2018-02-18T02:00:00Z' },
  { timeZone: 'America/New_York', at: '2025-03-09T07:00:00Z' },
  { timeZone: 'America/New_York', at: '2025-11-02T06:00:00Z' }
].map(({ timeZone, at: instant }) => ({ timeZone, at: Date.parse(instant) }))
/** Other instants where things happen: a Hà Nội midnight, 1970, the end of 2099. */
const ANCHORS = [...DST_CASES.map((c) => c.at), Date.parse('2025-06-01T17:00:00Z'), 0, Date.parse('2099-12-31T12:00:00Z')]
const MIN_MS = Date.parse('1970-01-01T00:00:00Z')
const MAX_MS = Date.parse('2100-01-01T00:00:00Z')

const anchorArb = fc.oneof(
  fc.tuple(fc.constantFrom(...ANCHORS), fc.integer({ min: -3 * DAY, max: 3 * DAY })).map(([a, d]) => Math.min(MAX_MS, Math.max(MIN_MS, a + d))),
  fc.integer({ min: MIN_MS, max: MAX_MS })
)
const timeArb = fc.oneof(
  fc.constantFrom('00:00', '01:30', '02:00', '02:15', '02:30', '03:00', '06:00', '12:00', '22:00', '23:59'),
  fc.tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 })).map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`)
)
/** An instant near the anchor, on a minute or anywhere, as an ISO string with a random offset. */
const nearArb = fc.tuple(fc.integer({ min: -4 * DAY, max: 4 * DAY }), fc.boolean(), fc.constantFrom(0, 420, -300)).map(([d, whole, offsetMin]) => ({ d: whole ? Math.round(d / MINUTE) * MINUTE : d, offsetMin }))

function iso(ms: number, offsetMin: number): string {
  if (offsetMin === 0) return new Date(ms).toISOString()
  const shifted = new Date(ms + offsetMin * MINUTE).toISOString().slice(0, 23)
  const sign = offsetMin < 0 ? '-' : '+'
  const abs = Math.abs(offsetMin)
  return `${shifted}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`
}

interface ScheduleSpec {
  from?: { d: number; offsetMin: number }
  to?: { d: number; offsetMin: number }
  weekdays?: number[]
  times?: { from: string; to: string }[]
}
const scheduleSpecArb: fc.Arbitrary<ScheduleSpec> = fc.record(
  {
    from: nearArb,
    to: nearArb,
    weekdays: fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 7 }),
    times: fc.array(fc.record({ from: timeArb, to: timeArb }), { minLength: 1, maxLength: 3 })
  },
  { requiredKeys: [] }
)

function scheduleJson(spec: ScheduleSpec | null, anchor: number): Json | undefined {
  if (!spec) return undefined
  const out: Json = {}
  let from = spec.from ? anchor + spec.from.d : undefined
  let to = spec.to ? anchor + spec.to.d : undefined
  if (from !== undefined && to !== undefined && from >= to) [from, to] = from === to ? [from, undefined] : [to, from]
  if (from !== undefined && spec.from) out.validFrom = iso(from, spec.from.offsetMin)
  if (to !== undefined) out.validTo = iso(to, spec.to?.offsetMin ?? 0)
  if (spec.weekdays) out.weekdays = spec.weekdays
  if (spec.times) out.times = spec.times
  return out
}

const maybeSchedule = fc.option(scheduleSpecArb, { freq: 2 })
const playlistSpecArb = fc.record({
  zone: fc.nat(2),
  priority: fc.constantFrom('normal', 'normal', 'priority', 'emergency'),
  schedule: maybeSchedule,
  items: fc.array(maybeSchedule, { maxLength: 4 })
})
const emergencySpecArb = fc.record({
  id: fc.constantFrom('e1', 'e2', 'e3'),
  issued: fc.constantFrom(-2 * DAY, -HOUR, 0, 5 * MINUTE, DAY),
  expires: fc.integer({ min: -DAY, max: 3 * DAY })
})

interface Place {
  timeZone: string
  /** Validity bounds and emergencies are generated around the anchor. */
  anchor: number
  now: number
}
const clampMs = (ms: number): number => Math.min(MAX_MS, Math.max(MIN_MS, ms))
/** Anywhere, any zone, now within two days of the anchor. */
const anyPlace: fc.Arbitrary<Place> = fc
  .record({ timeZone: fc.constantFrom(...ZONES), anchor: anchorArb, delta: fc.integer({ min: -2 * DAY, max: 2 * DAY }) })
  .map(({ timeZone, anchor, delta }) => ({ timeZone, anchor, now: clampMs(anchor + delta) }))
/** In a DST zone, less than a day before one of its offset changes. */
const beforeDst: fc.Arbitrary<Place> = fc
  .tuple(fc.constantFrom(...DST_CASES), fc.integer({ min: -20 * HOUR, max: 0 }))
  .map(([{ timeZone, at: instant }, delta]) => ({ timeZone, anchor: instant, now: instant + delta }))

const inputArbAt = (placeArb: fc.Arbitrary<Place>): fc.Arbitrary<ScheduleInput> =>
  fc
  .record({
    place: placeArb,
    threeZones: fc.boolean(),
    playlists: fc.array(playlistSpecArb, { maxLength: 5 }),
    defaultIndex: fc.option(fc.nat(4)),
    displayHours: fc.option(fc.record({ on: timeArb, off: timeArb })),
    emergencies: fc.array(emergencySpecArb, { maxLength: 3 })
  })
  .map((spec): ScheduleInput => {
    const { anchor, timeZone, now } = spec.place
    const zoneIds = spec.threeZones ? ['main', 'ticker', 'header'] : ['main']
    const playlists = spec.playlists.map((p, i) => ({
      id: `p${i}`,
      name: `p${i}`,
      zone: zoneIds[p.zone % zoneIds.length],
      priority: p.priority,
      ...(p.schedule ? { schedule: scheduleJson(p.schedule, anchor) } : {}),
      items: p.items.map((s, j) => text(`p${i}-${j}`, scheduleJson(s, anchor)))
    }))
    const manifest = manifestOf({
      layout: {
        id: 'l',
        zones: zoneIds.map((id, i) => ({ id, role: id === 'main' ? 'main' : id, x: 0, y: i / 3, width: 1, height: 1 / 3 }))
      },
      playlists,
      ...(spec.defaultIndex !== null && spec.defaultIndex < playlists.length ? { defaultPlaylist: `p${spec.defaultIndex}` } : {}),
      ...(spec.displayHours ? { displayHours: spec.displayHours } : {})
    })
    const emergencies = spec.emergencies.map((e) => emergency(e.id, iso(anchor + e.issued, 0), iso(anchor + e.expires, 420)))
    return { manifest, emergencies, timeZone, now: new Date(now) }
  })
const inputArb = inputArbAt(fc.oneof(anyPlace, beforeDst))

// ---------------------------------------------------------------------------------------------
// Properties

describe('plan properties', () => {
  it('(1) an active unexpired emergency always wins, the newest (ties → greater id), and turns the display on', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const result = plan(input)
        const t = input.now.getTime()
        const active = input.emergencies.filter((e) => Date.parse(e.expiresAt) > t && Date.parse(e.issuedAt) <= Date.parse(e.expiresAt))
        if (active.length === 0) {
          expect(result.emergency).toBeNull()
          return
        }
        const newest = Math.max(...active.map((e) => Date.parse(e.issuedAt)))
        const winnerId = active.filter((e) => Date.parse(e.issuedAt) === newest).map((e) => e.id).sort().at(-1)
        expect(result.emergency?.id).toBe(winnerId)
        expect(Date.parse(result.emergency?.issuedAt ?? '')).toBe(newest)
        expect(result.displayOn).toBe(true)
        const shown = [result.emergency, ...result.otherEmergencies].map((e) => e?.id)
        expect(new Set(shown)).toEqual(new Set(active.map((e) => e.id)))
        expect(shown).toHaveLength(new Set(shown).size)
      }),
      { numRuns: 300 }
    )
  })

  it('(2) items outside validFrom/validTo, expired or future, never appear in any zone', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const t = input.now.getTime()
        for (const zone of plan(input).zones) {
          for (const item of zone.items) {
            const schedule = item.schedule
            if (schedule?.validFrom) expect(Date.parse(schedule.validFrom)).toBeLessThanOrEqual(t)
            if (schedule?.validTo) expect(Date.parse(schedule.validTo)).toBeGreaterThan(t)
          }
        }
      }),
      { numRuns: 300 }
    )
  })

  it('(3) weekday and time windows, midnight-crossing ones included, match the brute-force oracle', () => {
    const zones = [...ZONES, 'Pacific/Apia', 'Africa/Monrovia', 'Pacific/Chatham']
    const scheduleArb = fc.tuple(anchorArb, scheduleSpecArb).map(([anchor, spec]) => ({ anchor, schedule: scheduleJson(spec, anchor) as Schedule }))
    fc.assert(
      fc.property(scheduleArb, fc.integer({ min: -4 * DAY, max: 4 * DAY }), fc.constantFrom(...zones), ({ anchor, schedule }, delta, timeZone) => {
        const t = anchor + delta
        expect(scheduleActive(schedule, new Date(t), timeZone)).toBe(oracleActive(schedule, t, timeZone))
      }),
      { numRuns: 2000 }
    )
    // And whole plans, every rule at once.
    fc.assert(
      fc.property(inputArb, (input) => {
        expect(withoutNext(plan(input))).toEqual(oraclePlan(input))
      }),
      { numRuns: 400 }
    )
  })

  it('(4) nextChangeAt is exact: the plan holds on [now, next), and at next a predicate flips', () => {
    fc.assert(
      fc.property(inputArb, fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 8, maxLength: 8 }), (input, fractions) => {
        const now = input.now.getTime()
        const result = plan(input)
        const held = withoutNext(result)
        const next = result.nextChangeAt?.getTime() ?? null
        const end = next ?? now + 60 * DAY
        // Sample the open interval, its ends, and every instant edge inside it (and the ms before).
        const edges = (input.manifest?.playlists ?? [])
          .flatMap((p) => [p.schedule, ...p.items.map((item) => item.schedule)])
          .flatMap((s) => [s?.validFrom, s?.validTo])
          .concat(input.emergencies.map((e) => e.expiresAt))
          .flatMap((s) => (s ? [Date.parse(s), Date.parse(s) - 1] : []))
        const samples = [now + 1, end - 1, ...fractions.map((f) => now + Math.floor(f * (end - now))), ...edges].filter((s) => s >= now && s < end)
        for (const s of samples) expect(withoutNext(plan({ ...input, now: new Date(s) }))).toEqual(held)
        if (next !== null) {
          expect(next).toBeGreaterThan(now)
          expect(predicates(input, next)).not.toEqual(predicates(input, now))
        }
      }),
      { numRuns: 300 }
    )
  })

  it('(4b) nextChangeAt is exact to the minute: no plan change at any minute before it', () => {
    fc.assert(
      fc.property(inputArbAt(beforeDst), (input) => {
        const now = input.now.getTime()
        const result = plan(input)
        const held = withoutNext(result)
        const next = result.nextChangeAt?.getTime() ?? Infinity
        const end = Math.min(next, now + DAY)
        // Every zone in ZONES has whole-minute offsets, so the wall clock only turns on UTC minutes.
        for (let t = Math.floor(now / MINUTE) * MINUTE + MINUTE; t < end; t += MINUTE) {
          expect(withoutNext(plan({ ...input, now: new Date(t) }))).toEqual(held)
        }
        if (next !== Infinity && next <= now + DAY) expect(withoutNext(plan({ ...input, now: new Date(next) }))).toEqual(oraclePlan({ ...input, now: new Date(next) }))
      }),
      { numRuns: 25 }
    )
  })

  it('(5) never throws for any instant 1970–2100 and any valid manifest, and nextChangeAt is after now', () => {
    const wideInput = fc.tuple(inputArb, fc.date({ min: new Date(MIN_MS), max: new Date(MAX_MS), noInvalidDate: true }))
    fc.assert(
      fc.property(wideInput, ([input, now]) => {
        const result = plan({ ...input, now })
        if (result.nextChangeAt) expect(result.nextChangeAt.getTime()).toBeGreaterThan(now.getTime())
        expect(result.zones.length).toBe(input.manifest?.layout.zones.length)
      }),
      { numRuns: 500 }
    )
  })
})
