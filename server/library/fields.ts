// Checks an operator's text and settings field by field, refusing with the field's name in Vietnamese
// and English. Text is stored NFC (it may arrive in any normalisation form); stacked marks with no
// precomposed letter (Central Highlands orthographies) stay as combining marks, in their order.
import { TEXT_SCHEMES, TEXT_SIZES, type TextScheme, type TextSize } from '../../main/core/protocol/manifest'
import { humanTextProblem, normaliseHumanText } from '../api/human-text'
import { LibraryError } from './errors'

export interface TextRule {
  field: string
  vi: string
  en: string
  min: number
  max: number
  multiline: boolean
}

/** Returns the NFC text (trimmed; CRLF made LF), or throws naming the field. */
export function checkText(value: unknown, rule: TextRule): string {
  if (typeof value !== 'string') {
    throw new LibraryError(400, 'not-text', rule.field, `${rule.vi} phải là văn bản.`, `${rule.en} must be text.`)
  }
  // The one rule for text people see (server/api/human-text.ts): NFC, no control or bidi characters, visible.
  const text = normaliseHumanText(value, rule.multiline)
  if (text.length < rule.min) {
    throw new LibraryError(400, 'empty', rule.field, `${rule.vi} không được để trống.`, `${rule.en} must not be empty.`)
  }
  const problem = humanTextProblem(text, rule, rule.min === 0)
  if (problem) throw new LibraryError(400, problem.code, rule.field, problem.vi, problem.en)
  if (text.length > rule.max) {
    throw new LibraryError(400, 'too-long', rule.field, `${rule.vi} dài quá: tối đa ${rule.max} ký tự (đang có ${text.length}).`, `${rule.en} is too long: at most ${rule.max} characters (it has ${text.length}).`)
  }
  return text
}

export const NAME: TextRule = { field: 'name', vi: 'Tên nội dung', en: 'The name', min: 1, max: 200, multiline: false }
// The protocol's own limits (main/core/protocol/manifest.ts TextItem, TickerItem).
export const TITLE: TextRule = { field: 'title', vi: 'Tiêu đề', en: 'The title', min: 0, max: 500, multiline: false }
export const BODY: TextRule = { field: 'body', vi: 'Nội dung bản tin', en: 'The notice body', min: 1, max: 20000, multiline: true }
export const TICKER_TEXT: TextRule = { field: 'text', vi: 'Dòng chữ chạy', en: 'The ticker text', min: 1, max: 5000, multiline: false }

/** Ticker crawl speeds an operator picks by name (protocol units: ticker heights per second). */
export const TICKER_SPEEDS = { cham: 1, vua: 2, nhanh: 3.5 } as const
export type TickerSpeedPreset = keyof typeof TICKER_SPEEDS

export function checkSpeed(value: unknown): number {
  if (typeof value === 'string' && value in TICKER_SPEEDS) return TICKER_SPEEDS[value as TickerSpeedPreset]
  if (typeof value === 'number' && Number.isFinite(value) && value > 0 && value <= 20) return value
  throw new LibraryError(400, 'bad-speed', 'speed', 'Tốc độ chữ chạy phải là "cham", "vua", "nhanh" hoặc một số từ trên 0 đến 20.', 'The ticker speed must be "cham", "vua", "nhanh" or a number above 0 up to 20.')
}

/** A live stream's address: http(s), HLS (an .m3u8 playlist), no more than the protocol takes. */
export function checkStreamUrl(value: unknown): string {
  const bad = (vi: string, en: string) => new LibraryError(400, 'bad-url', 'url', vi, en)
  if (typeof value !== 'string' || value.trim() === '') throw bad('Hãy nhập địa chỉ luồng trực tiếp (HLS, .m3u8).', 'Enter the live stream address (HLS, .m3u8).')
  const text = value.trim()
  if (text.length > 2000) throw bad('Địa chỉ luồng dài quá (tối đa 2000 ký tự).', 'The stream address is too long (at most 2000 characters).')
  let url: URL
  try {
    url = new URL(text)
  } catch {
    throw bad('Địa chỉ luồng không hợp lệ.', 'The stream address is not a valid URL.')
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw bad('Địa chỉ luồng phải bắt đầu bằng https:// (hoặc http://).', 'The stream address must start with https:// (or http://).')
  if (url.username || url.password) throw bad('Địa chỉ luồng không được chứa tên đăng nhập hay mật khẩu: mọi bảng tin đều thấy nó.', 'The stream address must not carry a user name or password: every board sees it.')
  if (!/\.m3u8$/i.test(url.pathname) && !/m3u8/i.test(url.search)) {
    throw bad('Đây không phải địa chỉ luồng HLS: địa chỉ phải trỏ tới tệp .m3u8.', 'This is not an HLS stream address: it must point to an .m3u8 playlist.')
  }
  return url.href
}

/** A text notice's colour preset (protocol TEXT_SCHEMES). */
export function checkTextScheme(value: unknown): TextScheme {
  if ((TEXT_SCHEMES as readonly unknown[]).includes(value)) return value as TextScheme
  throw new LibraryError(400, 'bad-scheme', 'scheme', 'Màu bản tin phải là "thuong" (thường), "canh-bao" (cảnh báo) hoặc "trang-trong" (trang trọng).', 'The notice colour must be "thuong" (ordinary), "canh-bao" (warning) or "trang-trong" (formal).')
}

/** A text notice's size preset (protocol TEXT_SIZES). */
export function checkTextSize(value: unknown): TextSize {
  if ((TEXT_SIZES as readonly unknown[]).includes(value)) return value as TextSize
  throw new LibraryError(400, 'bad-size', 'size', 'Cỡ chữ phải là "lon" (lớn) hoặc "vua" (vừa).', 'The text size must be "lon" (large) or "vua" (medium).')
}

export function checkFit(value: unknown): 'contain' | 'cover' {
  if (value === 'contain' || value === 'cover') return value
  throw new LibraryError(400, 'bad-fit', 'fit', 'Cách hiển thị ảnh phải là "contain" (vừa khung) hoặc "cover" (phủ kín).', 'The image fit must be "contain" or "cover".')
}

export function checkVolume(value: unknown): number {
  if (typeof value === 'number' && value >= 0 && value <= 1) return value
  throw new LibraryError(400, 'bad-volume', 'volume', 'Âm lượng phải từ 0 đến 1.', 'The volume must be from 0 to 1.')
}

export function checkBoolean(value: unknown, field: string, vi: string, en: string): boolean {
  if (typeof value === 'boolean') return value
  throw new LibraryError(400, 'not-boolean', field, `${vi} phải là đúng/sai.`, `${en} must be true or false.`)
}

/** A display name from an uploaded file's name: no folders, no extension. */
export function nameFromFileName(fileName: string | undefined): string {
  const base = (fileName ?? '').split(/[\\/]/).pop() ?? ''
  const stem = base.replace(/\.[A-Za-z0-9]{1,5}$/, '')
  return stem.trim() || 'Tệp tải lên'
}
