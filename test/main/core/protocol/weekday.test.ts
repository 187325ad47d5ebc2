// One meaning of `weekday` on both sides: the protocol's ISO numbering (1 = Monday … 7 = Sunday), read
// by the core's scheduler and by the screen's date, so a day-only item and the date on screen agree.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { isoWeekdayOfDate, isoWeekdayOfEpochDay } from '../../../../main/core/protocol/weekday'
import { scheduleActive } from '../../../../main/core/schedule/scheduler'
import { zonedTime } from '../../../../main/core/time/zoned'
import { vietnameseDate, zonedParts } from '../../../../renderer/src/vi-date'

const HCM = 'Asia/Ho_Chi_Minh'
/** Noon in Hà Nội on Monday 2 March 2026 … Sunday 8 March 2026, with the day's ISO number and Vietnamese name. */
const WEEK = [
  [1, 'Thứ Hai'],
  [2, 'Thứ Ba'],
  [3, 'Thứ Tư'],
  [4, 'Thứ Năm'],
  [5, 'Thứ Sáu'],
  [6, 'Thứ Bảy'],
  [7, 'Chủ Nhật']
].map(([weekday, name], i) => ({ weekday: weekday as number, name: name as string, at: new Date(Date.UTC(2026, 2, 2 + i, 5)) }))

describe('weekday: the protocol numbering on the core and on the screen', () => {
  it('an item scheduled for one day plays on that day, and the screen dates that day the same', () => {
    for (const { weekday, name, at } of WEEK) {
      expect(scheduleActive({ weekdays: [weekday] }, at, HCM), `scheduler, day ${weekday}`).toBe(true)
      expect(zonedTime(at, HCM).weekday, `core, day ${weekday}`).toBe(weekday)
      expect(zonedParts(at, HCM).weekday, `screen, day ${weekday}`).toBe(weekday)
      expect(vietnameseDate(at, HCM)).toBe(`${name}, ngày ${at.getUTCDate()} tháng 3 năm 2026`)
    }
  })

  it('agrees at any instant and in any zone: the day the screen shows is the day the scheduler plays', () => {
    const zones = ['Asia/Ho_Chi_Minh', 'UTC', 'Pacific/Kiritimati', 'Pacific/Pago_Pago', 'America/Santiago']
    fc.assert(
      fc.property(fc.date({ min: new Date('1970-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }), fc.constantFrom(...zones), (at, zone) => {
        const onScreen = zonedParts(at, zone).weekday
        expect(onScreen).toBe(zonedTime(at, zone).weekday)
        expect(scheduleActive({ weekdays: [onScreen] }, at, zone)).toBe(true)
      })
    )
  })

  it('counts days from 1970-01-01, a Thursday, either way', () => {
    expect(isoWeekdayOfEpochDay(0)).toBe(4)
    expect(isoWeekdayOfEpochDay(-1)).toBe(3)
    expect(isoWeekdayOfEpochDay(4)).toBe(1)
    expect(isoWeekdayOfDate(2026, 3, 8)).toBe(7)
    expect(isoWeekdayOfDate(2000, 2, 29)).toBe(2)
  })
})
