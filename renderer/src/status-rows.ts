// The technician's status overlay as rows of bilingual label + value, built from the host's status
// and what the screen itself knows (what is on it now, its browser); pure, so it is unit-tested.
import type { ScreenEmergency, ShowPayload, StatusPayload } from '../../contract/screen'
import { clip, downloadSummary, formatBytes, formatDuration, formatLocalTime, formatPercent, networkName, percentOf, syncName } from './status-format'

export interface StatusRow {
  id: string
  /** Vietnamese first, English second: a technician from anywhere can read the board. */
  vi: string
  en: string
  value: string
}

export interface ScreenSide {
  zones: ShowPayload['zones']
  /** Item on screen now, by zone id (from the rotators). */
  nowPlaying: Readonly<Record<string, string>>
  emergency: ScreenEmergency | null
  pairing: ShowPayload['pairing']
  displayOn: boolean
  timeZone: string
  /** The browser and its version, e.g. "Chromium 140.0.7339.185" (from chromiumVersion). */
  browser: string
}

const NONE = 'Không có / None'
/** Long enough for a useful error message, short enough that the overlay always fits. */
const MAX_VALUE_CHARS = 160

/** What is on screen now: the emergency, the pairing code, each zone's item, or the fallback slide. */
export function onScreenNow(screen: Omit<ScreenSide, 'timeZone' | 'browser'>): string {
  if (screen.emergency) return `Tin khẩn cấp / Emergency: ${screen.emergency.id}`
  if (screen.pairing) return 'Mã ghép nối / Pairing code'
  if (!screen.displayOn) return 'Màn hình tắt (ngoài giờ) / Display off'
  const rotating = screen.zones.filter((z) => z.zone.role !== 'header')
  const playing = rotating.filter((z) => screen.nowPlaying[z.zone.id] !== undefined)
  if (playing.length === 0) return 'Màn hình chờ / Fallback slide'
  if (rotating.length === 1) return screen.nowPlaying[playing[0]!.zone.id]!
  return rotating.map((z) => `${z.zone.id}: ${screen.nowPlaying[z.zone.id] ?? '—'}`).join(' · ')
}

function cacheText(cache: StatusPayload['cache']): string {
  const quota = cache.quotaBytes === null ? 'không giới hạn' : formatBytes(cache.quotaBytes)
  return `${formatBytes(cache.usedBytes)} / ${quota} · ${cache.quarantined} tệp cách ly`
}

function downloadText(download: StatusPayload['download']): string {
  if (!download) return NONE
  return `${percentOf(download.bytesDone, download.bytesTotal)} % · ${downloadSummary(download)}`
}

/** Lab mode and a board without a key are said in capitals: neither may pass unnoticed on a public board. */
export function trustText(status: StatusPayload): string {
  const trust = status.trust
  if (!trust) return status.serverUrl === null ? 'Nội dung cục bộ / Local content' : '—'
  if (trust.mode === 'lab') return 'PHÒNG THÍ NGHIỆM: nhận cả nội dung không ký / LAB MODE: unsigned content accepted'
  if (trust.mode === 'no-key') return 'CHƯA CÓ KHOÁ CỦA TỈNH: không nhận nội dung nào / NO PROVINCE KEY: no content accepted'
  const source = trust.keySource === 'pairing' ? 'ghép nối / pairing' : 'cấu hình / config'
  return `Chỉ nhận nội dung có chữ ký / Signed only · ${trust.keys.map((k) => `${k.keyId} ${k.fingerprint}`).join(', ')} (${source})`
}

/** A browser without its sandbox is said in capitals too: it is a lab set-up, never a public board's. */
export function sandboxText(status: StatusPayload): string {
  if (status.screenSandbox === 'off') return 'TẮT: trình phát chạy bằng root / OFF: the player runs as root'
  if (status.screenSandbox === 'on') return 'Bật / On'
  return '—'
}

export function statusRows(status: StatusPayload | null, screen: ScreenSide): StatusRow[] {
  const s = status
  const dash = '—'
  const rows: StatusRow[] = [
    { id: 'device', vi: 'Mã thiết bị', en: 'Device ID', value: s?.deviceId || dash },
    { id: 'server', vi: 'Máy chủ', en: 'Server', value: s ? (s.serverUrl ?? 'Nội dung cục bộ / Local content') : dash },
    { id: 'trust', vi: 'Chữ ký nội dung', en: 'Content signing', value: s ? trustText(s) : dash },
    { id: 'sandbox', vi: 'Hộp cát trình duyệt', en: 'Browser sandbox', value: s ? sandboxText(s) : '—' },
    { id: 'network', vi: 'Mạng', en: 'Network', value: s ? networkName(s.network) : dash },
    { id: 'sync', vi: 'Đồng bộ', en: 'Sync', value: s ? syncName(s.sync.state) : dash },
    { id: 'last-sync', vi: 'Đồng bộ thành công lúc', en: 'Last successful sync', value: formatLocalTime(s?.sync.lastSuccessAt ?? null, screen.timeZone) },
    { id: 'version', vi: 'Phiên bản nội dung', en: 'Content version', value: s?.sync.activeVersion ?? dash },
    { id: 'error', vi: 'Lỗi gần nhất', en: 'Last error', value: s ? (s.sync.lastError ? s.sync.lastError : NONE) : dash },
    { id: 'download', vi: 'Đang tải', en: 'Downloading', value: s ? downloadText(s.download) : dash },
    { id: 'cache', vi: 'Bộ nhớ đệm', en: 'Cache', value: s ? cacheText(s.cache) : dash },
    { id: 'disk', vi: 'Ổ đĩa (trống / tổng)', en: 'Disk (free / total)', value: s?.disk ? `${formatBytes(s.disk.freeBytes)} / ${formatBytes(s.disk.totalBytes)}` : dash },
    { id: 'app', vi: 'Phần mềm', en: 'App', value: s?.versions.app ?? dash },
    { id: 'os', vi: 'Hệ điều hành', en: 'OS', value: s?.versions.os ?? dash },
    { id: 'runtime', vi: 'Môi trường chạy', en: 'Runtime', value: s?.versions.runtime ?? dash },
    { id: 'browser', vi: 'Trình duyệt', en: 'Browser', value: screen.browser },
    { id: 'now', vi: 'Đang chiếu', en: 'On screen now', value: onScreenNow(screen) },
    { id: 'last-played', vi: 'Phát xong gần nhất', en: 'Last played', value: s?.lastPlayed ? `${s.lastPlayed.itemId} (${s.lastPlayed.programVersion})` : dash },
    { id: 'uptime', vi: 'Thời gian chạy', en: 'App uptime', value: s ? formatDuration(s.uptime.appSec) : dash },
    { id: 'today', vi: 'Hoạt động hôm nay', en: 'Uptime today', value: s ? formatPercent(s.uptime.todayPercent) : dash }
  ]
  return rows.map((row) => ({ ...row, value: clip(row.value, MAX_VALUE_CHARS) }))
}
