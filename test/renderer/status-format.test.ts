// The overlay's and progress bar's formatters: Vietnamese number notation, board-zone times, state names.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  chromiumVersion,
  clip,
  downloadSummary,
  formatBytes,
  formatDuration,
  formatLocalTime,
  formatPercent,
  networkName,
  percentOf,
  syncName
} from '../../renderer/src/status-format'

describe('byte sizes', () => {
  it('uses decimal units and the Vietnamese decimal comma', () => {
    expect(formatBytes(0)).toBe('0 B')
    expect(formatBytes(999)).toBe('999 B')
    expect(formatBytes(1000)).toBe('1 kB')
    expect(formatBytes(1_234)).toBe('1,2 kB')
    expect(formatBytes(120_000_000)).toBe('120 MB')
    expect(formatBytes(1_200_000_000)).toBe('1,2 GB')
    expect(formatBytes(12_345_678)).toBe('12 MB')
    expect(formatBytes(3_000_000_000_000_000)).toBe('3.000 TB')
  })

  it('carries instead of printing "1.000 kB"', () => {
    expect(formatBytes(999_600)).toBe('1 MB')
    expect(formatBytes(999_400)).toBe('999 kB')
  })

  it('never prints nonsense for bad input', () => {
    expect(formatBytes(-1)).toBe('—')
    expect(formatBytes(Number.NaN)).toBe('—')
  })

  it('is always a short number and a unit', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 999_499_999_999_999 }), (n) => {
        expect(formatBytes(n)).toMatch(/^\d{1,3}(,\d)? (B|kB|MB|GB|TB)$/)
      })
    )
  })
})

describe('percent', () => {
  it('is a whole 0–100 share of bytes, 0 while the total is unknown', () => {
    expect(percentOf(0, 0)).toBe(0)
    expect(percentOf(1, 3)).toBe(33)
    expect(percentOf(299, 300)).toBe(99) // not "100" before it is done
    expect(percentOf(300, 300)).toBe(100)
    expect(percentOf(400, 300)).toBe(100)
  })

  it('prints with a comma and a space before the sign', () => {
    expect(formatPercent(99.84)).toBe('99,8 %')
    expect(formatPercent(100)).toBe('100 %')
    expect(formatPercent(null)).toBe('—')
  })
})

describe('durations', () => {
  it('shows the two largest units', () => {
    expect(formatDuration(0)).toBe('0 giây')
    expect(formatDuration(59)).toBe('59 giây')
    expect(formatDuration(65)).toBe('1 phút 5 giây')
    expect(formatDuration(3 * 3600 + 12 * 60 + 9)).toBe('3 giờ 12 phút')
    expect(formatDuration(2 * 86400 + 3 * 3600)).toBe('2 ngày 3 giờ')
    expect(formatDuration(86400 + 59)).toBe('1 ngày')
  })
})

describe('local time', () => {
  it('is in the board time zone', () => {
    expect(formatLocalTime('2026-11-21T23:30:00Z', 'Asia/Ho_Chi_Minh')).toBe('06:30, 22/11/2026')
    expect(formatLocalTime('2026-11-21T23:30:00Z', 'UTC')).toBe('23:30, 21/11/2026')
  })

  it('shows a dash for nothing or garbage', () => {
    expect(formatLocalTime(null, 'UTC')).toBe('—')
    expect(formatLocalTime('not a date', 'UTC')).toBe('—')
  })
})

describe('names and small helpers', () => {
  it('names network and sync states in Vietnamese first', () => {
    expect(networkName('connected')).toBe('Đã kết nối / Connected')
    expect(syncName('up-to-date')).toBe('Đã cập nhật / Up to date')
    // A state a newer core adds still shows, as sent.
    expect(syncName('hibernating')).toBe('hibernating')
    expect(syncName('toString')).toBe('toString')
  })

  it('reads the Chromium version from a user agent (browser or Electron)', () => {
    expect(chromiumVersion('Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.7339.185 Safari/537.36')).toBe('Chromium 140.0.7339.185')
    expect(chromiumVersion('Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) bangtin/0.1.0 Chrome/138.0.7204.251 Electron/45.4.1 Safari/537.36')).toBe(
      'Chromium 138.0.7204.251'
    )
    expect(chromiumVersion('curl/8')).toBe('—')
    // A reduced user agent ("156.0.0.0"): the client hints' full version wins.
    const brands = [
      { brand: 'Not=A?Brand', version: '24.0.0.0' },
      { brand: 'Chromium', version: '156.0.8078.79' }
    ]
    expect(chromiumVersion('Mozilla/5.0 Chrome/156.0.0.0 Safari/537.36', brands)).toBe('Chromium 156.0.8078.79')
  })

  it('clips long values with an ellipsis', () => {
    expect(clip('ngắn', 10)).toBe('ngắn')
    const long = clip('x'.repeat(500), 160)
    expect(long).toHaveLength(160)
    expect(long.endsWith('…')).toBe(true)
  })

  it('summarises a download as items and sizes', () => {
    expect(downloadSummary({ itemsDone: 12, itemsTotal: 30, bytesDone: 120_000_000, bytesTotal: 300_000_000 })).toBe('12/30 mục · 120 MB / 300 MB')
  })
})
