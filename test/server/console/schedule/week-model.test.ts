// The board's week as the schedule page draws it: plays of one entry joined into spans, clipped to the
// Vietnamese day, display-off periods per day, and the next weekday found for e2e clocks.
import { describe, expect, it } from 'vitest'
import type { Programme } from '../../../../server/console/src/api/programme'
import { weekOf } from '../../../../server/console/src/pages/schedule/week-model'
import { isoWeekday, vnDate, vnTime } from '../../../../server/console/src/pages/schedule/vn-time'
import { offsetToWeekdayMorning } from '../../../../e2e/fixtures/weekday-morning'

const at = (local: string) => new Date(`${local}+07:00`).toISOString()
const slot = (entryId: string | null, start: string, end: string, priority: 'thuong' | 'uu-tien' = 'thuong') => ({
  start: at(start),
  end: at(end),
  zoneId: 'main',
  itemId: `${entryId}.0.x`,
  entryId,
  contentId: 'x',
  kind: 'text',
  durationSec: 30,
  priority
})
const programme = (slots: ReturnType<typeof slot>[], displayOff: { start: string; end: string }[] = []): Programme => ({
  deviceId: 'b',
  publicationId: 1,
  version: 'v',
  from: at('2026-12-01T00:00:00'),
  to: at('2026-12-03T00:00:00'),
  slots,
  displayOff
})

describe('weekOf', () => {
  it('joins back-to-back plays of an entry into one span and keeps two entries apart', () => {
    const days = weekOf(
      programme([
        slot('a', '2026-12-01T07:00:00', '2026-12-01T07:00:30', 'uu-tien'),
        slot('b', '2026-12-01T07:00:30', '2026-12-01T07:01:00'),
        slot('a', '2026-12-01T07:01:00', '2026-12-01T17:00:00', 'uu-tien')
      ]),
      '2026-12-01',
      2
    )
    expect(days.map((d) => d.date)).toEqual(['2026-12-01', '2026-12-02'])
    expect(days[0]!.spans.map((s) => [s.entryId, vnTime(s.start), vnTime(s.end), s.priority])).toEqual([
      ['a', '07:00', '17:00', 'uu-tien'],
      ['b', '07:00', '07:01', 'thuong']
    ])
    expect(days[1]!.spans).toEqual([])
  })

  it('clips a span across midnight to each day, and places display-off periods on their day', () => {
    const days = weekOf(programme([slot('a', '2026-12-01T22:00:00', '2026-12-02T02:00:00')], [{ start: at('2026-12-01T22:00:00'), end: at('2026-12-02T06:00:00') }]), '2026-12-01', 2)
    expect(days[0]!.spans.map((s) => [vnTime(s.start), s.end - days[0]!.start])).toEqual([['22:00', 86_400_000]])
    expect(days[1]!.spans.map((s) => [vnTime(s.start), vnTime(s.end)])).toEqual([['00:00', '02:00']])
    expect(days[0]!.off.map((o) => vnTime(o.start))).toEqual(['22:00'])
    expect(days[1]!.off.map((o) => [vnTime(o.start), vnTime(o.end)])).toEqual([['00:00', '06:00']])
  })
})

describe('Vietnam time helpers', () => {
  it('reads dates and weekdays in UTC+7 whatever the machine zone', () => {
    expect(vnDate(Date.parse('2026-11-30T18:00:00Z'))).toBe('2026-12-01')
    expect(isoWeekday('2026-12-06')).toBe(7)
    expect(isoWeekday('2026-11-30')).toBe(1)
  })
})

describe('offsetToWeekdayMorning (e2e clocks)', () => {
  it('is 0 on a weekday morning in Vietnam and otherwise reaches the next weekday 09:00 there', () => {
    expect(offsetToWeekdayMorning(Date.parse('2026-12-01T10:00:00+07:00'))).toBe(0)
    const mondayEvening = Date.parse('2026-11-30T19:30:00+07:00')
    expect(new Date(mondayEvening + offsetToWeekdayMorning(mondayEvening)).toISOString()).toBe(new Date('2026-12-01T09:00:00+07:00').toISOString())
    const saturday = Date.parse('2026-12-05T08:00:00+07:00')
    expect(new Date(saturday + offsetToWeekdayMorning(saturday)).toISOString()).toBe(new Date('2026-12-07T09:00:00+07:00').toISOString())
  })
})
