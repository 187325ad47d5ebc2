// Pure formatters for the technician's status overlay and the first-sync progress bar: byte sizes,
// percents and durations in Vietnamese notation, local times in the board's zone, state names.
import type { StatusPayload } from '../../contract/screen'
import { zonedParts } from './vi-date'

/** Vietnamese notation (decimal comma, dot for thousands), shared so it is built once. */
const oneDecimal = new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 1 })
const noDecimal = new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 0 })

const BYTE_UNITS = ['B', 'kB', 'MB', 'GB', 'TB'] as const

/**
 * "1,2 GB", "120 MB", "512 B": decimal units (as disks are sold and labelled), one decimal below
 * 10 of a unit so small values keep their precision, none above so the number stays short.
 */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '—'
  let value = bytes
  let unit = 0
  while (value >= 1000 && unit < BYTE_UNITS.length - 1) {
    value /= 1000
    unit++
  }
  // 999,6 kB would round to "1.000 kB": carry it to the next unit instead.
  if (unit < BYTE_UNITS.length - 1 && Math.round(value) >= 1000) {
    value /= 1000
    unit++
  }
  const format = unit === 0 || value >= 10 ? noDecimal : oneDecimal
  return `${format.format(value)} ${BYTE_UNITS[unit]}`
}

/** Whole percent of done/total, 0–100, for a progress bar; 0 when the total is unknown yet. */
export function percentOf(done: number, total: number): number {
  if (!(total > 0)) return 0
  return Math.max(0, Math.min(100, Math.floor((done / total) * 100)))
}

/** "99,8 %" (Vietnamese style puts a space before the sign). */
export function formatPercent(percent: number | null): string {
  return percent === null || !Number.isFinite(percent) ? '—' : `${oneDecimal.format(percent)} %`
}

/** "2 ngày 3 giờ", "3 giờ 12 phút", "4 phút 5 giây": the two largest units, enough for a glance. */
export function formatDuration(totalSec: number): string {
  const sec = Math.max(0, Math.floor(totalSec))
  const parts: [number, string][] = [
    [Math.floor(sec / 86400), 'ngày'],
    [Math.floor((sec % 86400) / 3600), 'giờ'],
    [Math.floor((sec % 3600) / 60), 'phút'],
    [sec % 60, 'giây']
  ]
  const first = parts.findIndex(([n]) => n > 0)
  if (first < 0) return '0 giây'
  return parts
    .slice(first, first + 2)
    .filter(([n]) => n > 0)
    .map(([n, unit]) => `${n} ${unit}`)
    .join(' ')
}

/** "14:05, 21/11/2026" in the board's time zone; "—" for a missing or unreadable instant. */
export function formatLocalTime(iso: string | null, timeZone: string): string {
  if (!iso) return '—'
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return '—'
  const p = zonedParts(date, timeZone)
  const two = (n: number): string => String(n).padStart(2, '0')
  return `${two(p.hour)}:${two(p.minute)}, ${two(p.day)}/${two(p.month)}/${p.year}`
}

const NETWORK_NAMES: Record<StatusPayload['network'], string> = {
  standalone: 'Chạy độc lập / Standalone',
  pairing: 'Chờ ghép nối / Pairing',
  connecting: 'Đang kết nối / Connecting',
  connected: 'Đã kết nối / Connected',
  disconnected: 'Mất kết nối / Disconnected'
}

export function networkName(network: StatusPayload['network']): string {
  return NETWORK_NAMES[network]
}

const SYNC_NAMES: Record<string, string> = {
  standalone: 'Chạy độc lập / Standalone',
  starting: 'Đang khởi động / Starting',
  syncing: 'Đang đồng bộ / Syncing',
  'up-to-date': 'Đã cập nhật / Up to date',
  'waiting-for-window': 'Chờ khung giờ tải / Waiting for download window',
  retrying: 'Đang thử lại / Retrying'
}

/** The sync state in words; a state this screen does not know yet is shown as the host sent it. */
export function syncName(state: string): string {
  return Object.hasOwn(SYNC_NAMES, state) ? SYNC_NAMES[state]! : state
}

/**
 * "Chromium 140.0.7339.185" from the user agent (Electron's carries the same Chrome token). Recent
 * Chromium reduces it to "140.0.0.0"; `fullVersionList` (User-Agent Client Hints), when the page could
 * get it, has the whole number.
 */
export function chromiumVersion(userAgent: string, fullVersionList?: readonly { brand: string; version: string }[]): string {
  const full = fullVersionList?.find((b) => b.brand === 'Chromium') ?? fullVersionList?.find((b) => b.brand === 'Google Chrome')
  if (full) return `Chromium ${full.version}`
  const match = /(?:Chrome|Chromium)\/([\d.]+)/.exec(userAgent)
  return match ? `Chromium ${match[1]}` : '—'
}

/** Bounded text, so one long value (an error with a stack) cannot push the overlay off the screen. */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1)).trimEnd()}…`
}

/** "12/30 mục · 120 MB / 300 MB" under the first-sync progress bar. */
export function downloadSummary(download: NonNullable<StatusPayload['download']>): string {
  return `${download.itemsDone}/${download.itemsTotal} mục · ${formatBytes(download.bytesDone)} / ${formatBytes(download.bytesTotal)}`
}
