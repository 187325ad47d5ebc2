// Generated schedules → compiled manifests → at sampled instants, "what plays when" agrees with the core
// scheduler run for that board at that instant, and with the entries' own rules read independently; and a
// board outside every target of an entry gets nothing of it.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { Manifest } from '../../../main/core/protocol/manifest'
import { plan } from '../../../main/core/schedule/scheduler'
import { compileProgramme, type EntrySpec, type PlaylistSpec } from '../../../server/programme/compile'
import { whatPlaysWhen, type BoardDay } from '../../../server/programme/when'
import { BOARDS, playlist, TAGS, textLibrary, UNITS } from './fixtures'

const DAY = 86_400_000
const VN = 7 * 3_600_000
/** 2026-12-01, Vietnam midnight: the first day generated schedules may start. */
const BASE_DAY = Date.UTC(2026, 11, 1) / DAY
const SPAN_DAYS = 30

const dateOf = (epochDay: number) => new Date(epochDay * DAY).toISOString().slice(0, 10)
const hhmm = (minute: number) => (minute === 1440 ? '24:00' : `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`)

const window = fc
  .integer({ min: 0, max: 1439 })
  .chain((from) => fc.integer({ min: from + 1, max: 1440 }).map((to) => ({ from: hhmm(from), to: hhmm(to) })))

const entrySpec = (id: string, playlistId: string) =>
  fc.record({
    unitId: fc.constantFrom(...UNITS),
    from: fc.option(fc.integer({ min: 0, max: SPAN_DAYS - 1 }), { nil: null }),
    length: fc.option(fc.integer({ min: 0, max: 12 }), { nil: null }),
    weekdays: fc.option(fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 7 }), { nil: null }),
    windows: fc.option(fc.array(window, { minLength: 1, maxLength: 3 }), { nil: null }),
    priority: fc.constantFrom('thuong' as const, 'uu-tien' as const),
    displayHours: fc.option(window.map((w) => ({ on: w.from, off: w.to })), { nil: null, freq: 4 }),
    units: fc.subarray(UNITS, { maxLength: 2 }),
    tags: fc.subarray(TAGS, { maxLength: 2 }),
    boards: fc.subarray(BOARDS.map((board) => board.deviceId), { maxLength: 2 })
  })
  .filter((e) => e.units.length + e.tags.length + e.boards.length > 0)
  .map(
    (e): EntrySpec => ({
      id,
      unitId: e.unitId,
      playlistId,
      name: `Lịch ${id}`,
      validFrom: e.from === null ? null : dateOf(BASE_DAY + e.from),
      validTo: e.length === null ? null : dateOf(BASE_DAY + (e.from ?? 0) + e.length),
      weekdays: e.weekdays,
      windows: e.windows,
      priority: e.priority,
      displayHours: e.displayHours,
      targetUnitIds: e.units, targetTags: e.tags, targetBoardIds: e.boards
    })
  )

const programme = fc.integer({ min: 1, max: 5 }).chain((count) => {
  const playlists: PlaylistSpec[] = Array.from({ length: count }, (_, i) => playlist(`ds${i}`, Array.from({ length: (i % 3) + 1 }, (_, k) => `tin-${i}-${k}`)))
  return fc.tuple(...playlists.map((list, i) => entrySpec(`lich${i}`, list.id))).map((entries) => ({ entries, playlists }))
})

const minuteOf = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5))

/** The entries' own rules, read without the compiler or the scheduler: who reaches the board, and is active now. */
function expectedAt(entries: readonly EntrySpec[], playlists: readonly PlaylistSpec[], deviceId: string, instant: number): string[] {
  const board = BOARDS.find((b) => b.deviceId === deviceId)!
  const local = instant + VN
  const epochDay = Math.floor(local / DAY)
  const date = dateOf(epochDay)
  const weekday = ((((epochDay + 3) % 7) + 7) % 7) + 1
  const minute = Math.floor((local - epochDay * DAY) / 60_000)
  const reaching = entries.filter(
    (e) =>
      board.unitPath.includes(e.unitId) &&
      (e.targetBoardIds.includes(deviceId) || e.targetUnitIds.some((u) => board.unitPath.includes(u)) || e.targetTags.some((t) => board.tags.includes(t)))
  )
  const withHours = reaching.filter((e) => e.displayHours)
  if (withHours.length > 0) {
    const on = Math.min(...withHours.map((e) => minuteOf(e.displayHours!.on)))
    const off = Math.max(...withHours.map((e) => (e.displayHours!.off === '24:00' ? 1440 : minuteOf(e.displayHours!.off))))
    if (minute < on || minute >= off) return []
  }
  const active = reaching.filter(
    (e) =>
      (e.validFrom === null || date >= e.validFrom) &&
      (e.validTo === null || date <= e.validTo) &&
      (e.weekdays === null || e.weekdays.includes(weekday)) &&
      (e.windows === null || e.windows.some((w) => minute >= minuteOf(w.from) && minute < (w.to === '24:00' ? 1440 : minuteOf(w.to))))
  )
  const ordered = [...active.filter((e) => e.priority === 'uu-tien'), ...active.filter((e) => e.priority === 'thuong')]
  return ordered.flatMap((e) => playlists.find((p) => p.id === e.playlistId)!.items.map((item, i) => `${e.id}.${i}.${item.contentId}`))
}

function slotsAt(day: BoardDay, instant: number): string[] {
  return day.slots.filter((slot) => Date.parse(slot.start) <= instant && instant < Date.parse(slot.end)).map((slot) => slot.itemId)
}

/** Instants worth looking at: every window edge and validity edge on a few days, and random ones. */
function sampleInstants(entries: readonly EntrySpec[], random: readonly number[]): number[] {
  const instants = [...random]
  for (const e of entries) {
    const days = [BASE_DAY, BASE_DAY + 1, BASE_DAY + 6]
    if (e.validFrom) days.push(Date.parse(`${e.validFrom}T00:00:00Z`) / DAY)
    if (e.validTo) days.push(Date.parse(`${e.validTo}T00:00:00Z`) / DAY, Date.parse(`${e.validTo}T00:00:00Z`) / DAY + 1)
    const edges = [0, ...(e.windows ?? []).flatMap((w) => [minuteOf(w.from), w.to === '24:00' ? 1440 : minuteOf(w.to)])]
    if (e.displayHours) edges.push(minuteOf(e.displayHours.on), e.displayHours.off === '24:00' ? 1440 : minuteOf(e.displayHours.off))
    for (const day of days) for (const edge of edges) instants.push(day * DAY - VN + edge * 60_000, day * DAY - VN + edge * 60_000 - 1)
  }
  return instants
}

describe('what plays when', () => {
  it('agrees at sampled instants with the core scheduler and with the entries’ own rules, for every board', () => {
    fc.assert(
      fc.property(programme, fc.array(fc.integer({ min: -DAY, max: (SPAN_DAYS + 14) * DAY }), { minLength: 10, maxLength: 20 }), ({ entries, playlists }, offsets) => {
        const compiled = compileProgramme({ entries, playlists, boards: BOARDS, content: textLibrary, now: new Date((BASE_DAY - 1) * DAY) })
        const manifestOf = new Map<string, Manifest>()
        for (const doc of compiled.documents) for (const id of doc.deviceIds) manifestOf.set(id, doc.manifest)
        expect(manifestOf.size).toBe(BOARDS.length)
        const days = new Map<string, BoardDay>()
        const weeks = new Map<string, BoardDay>()
        for (const instant of sampleInstants(entries, offsets.map((o) => BASE_DAY * DAY - VN + o))) {
          const date = dateOf(Math.floor((instant + VN) / DAY))
          for (const board of BOARDS) {
            const manifest = manifestOf.get(board.deviceId)!
            const key = `${board.deviceId}|${date}`
            let day = days.get(key)
            if (!day) days.set(key, (day = whatPlaysWhen(manifest, date)))
            const picked = plan({ manifest, emergencies: [], timeZone: 'Asia/Ho_Chi_Minh', now: new Date(instant) })
            const scheduler = picked.displayOn ? picked.zones.flatMap((zone) => zone.items.map((item) => item.id)) : []
            const answer = slotsAt(day, instant)
            // A week asked at once says the same as its day.
            if (instant >= BASE_DAY * DAY - VN && instant < (BASE_DAY + 7) * DAY - VN) {
              let week = weeks.get(board.deviceId)
              if (!week) weeks.set(board.deviceId, (week = whatPlaysWhen(manifest, dateOf(BASE_DAY), 7)))
              expect(slotsAt(week, instant), `${board.deviceId} at ${new Date(instant).toISOString()} (week)`).toEqual(answer)
            }
            expect(answer, `${board.deviceId} at ${new Date(instant).toISOString()}`).toEqual(scheduler)
            expect(answer, `${board.deviceId} at ${new Date(instant).toISOString()} (rules)`).toEqual(expectedAt(entries, playlists, board.deviceId, instant))
          }
        }
      }),
      { numRuns: 100 }
    )
  })

  it('gives a board outside every target (or outside the entry’s unit) nothing of that entry, and one inside all of it', () => {
    fc.assert(
      fc.property(programme, ({ entries, playlists }) => {
        const compiled = compileProgramme({ entries, playlists, boards: BOARDS, content: textLibrary, now: new Date((BASE_DAY - 1) * DAY) })
        for (const doc of compiled.documents) {
          for (const deviceId of doc.deviceIds) {
            const board = BOARDS.find((b) => b.deviceId === deviceId)!
            for (const e of entries) {
              const inScope = board.unitPath.includes(e.unitId)
              const targeted =
                e.targetBoardIds.includes(deviceId) || e.targetUnitIds.some((u) => board.unitPath.includes(u)) || e.targetTags.some((t) => board.tags.includes(t))
              const items = doc.manifest.playlists.flatMap((p) => p.items).filter((item) => item.id.startsWith(`${e.id}.`))
              const expected = inScope && targeted ? playlists.find((p) => p.id === e.playlistId)!.items.length : 0
              expect(items.length, `${e.id} on ${deviceId}`).toBe(expected)
            }
          }
        }
      }),
      { numRuns: 200 }
    )
  })
})
