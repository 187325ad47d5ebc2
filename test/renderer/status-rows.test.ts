// The technician overlay's rows: every label bilingual, values from the host's status and the screen itself.
import { describe, expect, it } from 'vitest'
import type { ScreenEmergency, StatusPayload } from '../../contract/screen'
import { onScreenNow, statusRows, type ScreenSide } from '../../renderer/src/status-rows'

const status: StatusPayload = {
  deviceId: 'phu-an-01',
  serverUrl: 'https://nguon.example.gov.vn',
  network: 'connected',
  sync: { state: 'up-to-date', lastSuccessAt: '2026-11-21T23:30:00Z', activeVersion: 'v7', lastError: null },
  download: null,
  cache: { usedBytes: 1_200_000_000, quotaBytes: 4_000_000_000, quarantined: 1 },
  disk: { freeBytes: 20_500_000_000, totalBytes: 64_000_000_000 },
  versions: { app: '0.1.0', os: 'linux 6.1.0 x64', runtime: 'node 20.19.0' },
  lastPlayed: { itemId: 'thong-bao', programVersion: 'v7' },
  uptime: { appSec: 3 * 3600 + 12 * 60, todayPercent: 99.84 },
  sentAt: '2026-11-21T23:31:00Z'
}
const main = { zone: { id: 'main', role: 'main' as const, x: 0, y: 0, width: 1, height: 0.8 }, program: null }
const ticker = { zone: { id: 'ticker', role: 'ticker' as const, x: 0, y: 0.8, width: 1, height: 0.2 }, program: null }
const header = { zone: { id: 'header', role: 'header' as const, x: 0, y: 0, width: 1, height: 0.1 }, program: null }
const screen: ScreenSide = {
  zones: [main],
  nowPlaying: { main: 'thong-bao' },
  emergency: null,
  pairing: null,
  displayOn: true,
  timeZone: 'Asia/Ho_Chi_Minh',
  browser: 'Chromium 140.0.7339.185'
}
const value = (rows: ReturnType<typeof statusRows>, id: string) => rows.find((r) => r.id === id)?.value

describe('status overlay rows', () => {
  it('shows every field of the status, formatted for a Vietnamese reader', () => {
    const rows = statusRows(status, screen)
    expect(value(rows, 'device')).toBe('phu-an-01')
    expect(value(rows, 'server')).toBe('https://nguon.example.gov.vn')
    expect(value(rows, 'network')).toBe('Đã kết nối / Connected')
    expect(value(rows, 'last-sync')).toBe('06:30, 22/11/2026')
    expect(value(rows, 'version')).toBe('v7')
    expect(value(rows, 'error')).toBe('Không có / None')
    expect(value(rows, 'download')).toBe('Không có / None')
    expect(value(rows, 'cache')).toBe('1,2 GB / 4 GB · 1 tệp cách ly')
    expect(value(rows, 'disk')).toBe('21 GB / 64 GB')
    expect(value(rows, 'browser')).toBe('Chromium 140.0.7339.185')
    expect(value(rows, 'now')).toBe('thong-bao')
    expect(value(rows, 'last-played')).toBe('thong-bao (v7)')
    expect(value(rows, 'uptime')).toBe('3 giờ 12 phút')
    expect(value(rows, 'today')).toBe('99,8 %')
  })

  it('says plainly which content the board takes: lab mode and a board without a key in capitals', () => {
    const trust = (t: StatusPayload['trust']) => value(statusRows({ ...status, trust: t }, screen), 'trust')
    expect(trust({ mode: 'lab', keySource: null, keys: [] })).toBe('PHÒNG THÍ NGHIỆM: nhận cả nội dung không ký / LAB MODE: unsigned content accepted')
    expect(trust({ mode: 'no-key', keySource: null, keys: [] })).toMatch(/^CHƯA CÓ KHOÁ CỦA TỈNH.*NO PROVINCE KEY/)
    expect(trust({ mode: 'signed', keySource: 'pairing', keys: [{ keyId: 'tinh-2026', fingerprint: '3f2a 9c01 0000 1111 2222 3333 4444 5555' }] })).toBe(
      'Chỉ nhận nội dung có chữ ký / Signed only · tinh-2026 3f2a 9c01 0000 1111 2222 3333 4444 5555 (ghép nối / pairing)'
    )
    expect(value(statusRows({ ...status, serverUrl: null }, screen), 'trust')).toBe('Nội dung cục bộ / Local content')
  })

  it('says in capitals when the screen runs without its sandbox (the player runs as root)', () => {
    const sandbox = (mode: StatusPayload['screenSandbox']) => value(statusRows({ ...status, screenSandbox: mode }, screen), 'sandbox')
    expect(sandbox('off')).toBe('TẮT: trình phát chạy bằng root / OFF: the player runs as root')
    expect(sandbox('on')).toBe('Bật / On')
    expect(sandbox(undefined)).toBe('—')
  })

  it('labels every row in Vietnamese with diacritics, then English', () => {
    for (const row of statusRows(status, screen)) {
      expect(row.vi.length).toBeGreaterThan(0)
      expect(row.en).toMatch(/^[A-Za-z][A-Za-z /()]*$/)
    }
    expect(statusRows(status, screen).find((r) => r.id === 'device')).toMatchObject({ vi: 'Mã thiết bị', en: 'Device ID' })
  })

  it('shows a download in progress and bounds a long error', () => {
    const rows = statusRows(
      { ...status, download: { bytesDone: 120_000_000, bytesTotal: 300_000_000, itemsDone: 12, itemsTotal: 30 }, sync: { ...status.sync, lastError: 'ECONNRESET '.repeat(200) } },
      screen
    )
    expect(value(rows, 'download')).toBe('40 % · 12/30 mục · 120 MB / 300 MB')
    expect(value(rows, 'error')!.length).toBeLessThanOrEqual(160)
  })

  it('still has every row before the first status, with what the screen knows itself', () => {
    const rows = statusRows(null, screen)
    expect(rows).toHaveLength(statusRows(status, screen).length)
    expect(value(rows, 'device')).toBe('—')
    expect(value(rows, 'now')).toBe('thong-bao')
    expect(value(rows, 'browser')).toBe('Chromium 140.0.7339.185')
  })

  it('a standalone board names its local content instead of a server', () => {
    expect(value(statusRows({ ...status, serverUrl: null, network: 'standalone' }, screen), 'server')).toBe('Nội dung cục bộ / Local content')
  })
})

describe('what is on screen now', () => {
  const emergency: ScreenEmergency = { id: 'em-1', title: 'Bão', body: '', issuedAt: '2026-11-21T00:00:00Z' }
  it('names the item of each rotating zone, skipping the header', () => {
    expect(onScreenNow({ ...screen, zones: [header, main, ticker], nowPlaying: { main: 'a', ticker: 'k' } })).toBe('main: a · ticker: k')
    expect(onScreenNow({ ...screen, zones: [header, main], nowPlaying: { main: 'a' } })).toBe('a')
  })

  it('says fallback, emergency, pairing or display off when that is what shows', () => {
    expect(onScreenNow({ ...screen, nowPlaying: {} })).toBe('Màn hình chờ / Fallback slide')
    expect(onScreenNow({ ...screen, emergency })).toBe('Tin khẩn cấp / Emergency: em-1')
    expect(onScreenNow({ ...screen, pairing: { code: '123456', approveUrl: 'x', expiresAt: 'y' } })).toBe('Mã ghép nối / Pairing code')
    expect(onScreenNow({ ...screen, displayOn: false })).toBe('Màn hình tắt (ngoài giờ) / Display off')
  })
})
