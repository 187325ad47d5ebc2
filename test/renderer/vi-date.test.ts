import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { clockText, vietnameseDate, zonedParts } from '../../renderer/src/vi-date'

describe('Vietnamese date and clock', () => {
  it('formats in the board time zone, not the machine one', () => {
    // 2026-11-21 23:30 UTC is already Sunday 06:30 in Hà Nội.
    const instant = new Date('2026-11-21T23:30:00Z')
    expect(vietnameseDate(instant, 'Asia/Ho_Chi_Minh')).toBe('Chủ Nhật, ngày 22 tháng 11 năm 2026')
    expect(clockText(instant, 'Asia/Ho_Chi_Minh')).toBe('06:30')
    expect(vietnameseDate(instant, 'UTC')).toBe('Thứ Bảy, ngày 21 tháng 11 năm 2026')
  })

  it('survives a clock in 1970 (dead RTC battery)', () => {
    expect(vietnameseDate(new Date(0), 'Asia/Ho_Chi_Minh')).toBe('Thứ Năm, ngày 1 tháng 1 năm 1970')
    // South Vietnam kept UTC+8 in 1970; the IANA data knows, and so must the board.
    expect(clockText(new Date(0), 'Asia/Ho_Chi_Minh')).toBe('08:00')
  })

  it('always yields a known weekday and a valid 24-hour time', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('1970-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }), (date) => {
        const parts = zonedParts(date, 'Asia/Ho_Chi_Minh')
        expect(parts.weekday).toBeGreaterThanOrEqual(1)
        expect(parts.weekday).toBeLessThanOrEqual(7)
        expect(clockText(date, 'Asia/Ho_Chi_Minh')).toMatch(/^([01]\d|2[0-3]):[0-5]\d$/)
      })
    )
  })
})
