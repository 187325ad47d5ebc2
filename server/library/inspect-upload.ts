// Watches an upload's bytes go by and refuses it as soon as it is not what boards play: the type from its
// magic bytes, the size cap, an image's declared pixel size (read from the header, never decoded), a cut
// PNG, WebP or JPEG, a video container whose boxes do not tile the file. Holds at most HEAD_MAX bytes.
import { LibraryError, megabytes } from './errors'
import { containerWalker, type ContainerWalker } from './container-walk'
import { jpegWalker, type JpegWalker } from './jpeg-walk'
import type { LibraryLimits } from './library'
import { imageDimensions, sniffType, type Dimensions, type Sniffed } from './sniff'

/** JPEG headers (EXIF with thumbnail, ICC profile, XMP) come before the frame header; they fit in this. */
export const HEAD_MAX = 4 * 1024 * 1024
const TAIL = 16
const FIELD = 'file'

export interface Inspected {
  type: Sniffed
  size: number
  /** Images: from the header. Videos: null (ffprobe tells, where present). */
  dimensions: Dimensions | null
}

const refuse = (code: string, vi: string, en: string, status: 400 | 413 = 400) => new LibraryError(status, code, FIELD, vi, en)

export function notPlayableType(): LibraryError {
  return refuse(
    'unsupported-type',
    'Tệp này không phải ảnh (JPEG, PNG, WebP) hay video (MP4, MOV, WebM), dù tên tệp nói gì: bảng tin không hiển thị được.',
    'This file is not an image (JPEG, PNG, WebP) or a video (MP4, MOV, WebM), whatever its name says: boards cannot show it.'
  )
}

export class UploadInspector {
  private head: Uint8Array[] = []
  private headBytes = 0
  private tail = new Uint8Array(0)
  private size = 0
  private type: Sniffed | null = null
  private dimensions: Dimensions | null = null
  private walker: ContainerWalker | null = null
  private jpeg: JpegWalker | null = null

  constructor(private readonly limits: LibraryLimits) {}

  /** Takes the next chunk; throws a LibraryError the moment the upload can be refused. */
  feed(chunk: Uint8Array): void {
    this.size += chunk.byteLength
    this.keepTail(chunk)
    if (this.walker) this.walker.feed(chunk)
    if (this.jpeg) this.jpeg.feed(chunk)
    const cap = this.type ? this.capFor(this.type) : Math.max(this.limits.maxImageBytes, this.limits.maxVideoBytes)
    if (this.size > cap) throw this.tooBig(cap)
    if (this.type && (this.type.kind === 'video' || this.dimensions)) return
    // Until the type is known, whole chunks (a video's walker must see every byte from the first);
    // after, an image's header up to HEAD_MAX.
    const keep = this.type ? chunk.subarray(0, Math.max(0, HEAD_MAX - this.headBytes)) : chunk
    if (keep.byteLength > 0) {
      this.head.push(keep)
      this.headBytes += keep.byteLength
    }
    this.examine(false)
  }

  /** The body has ended: the last checks, then what it is. */
  end(): Inspected {
    if (this.size === 0) throw refuse('empty-file', 'Tệp tải lên rỗng.', 'The uploaded file is empty.')
    this.examine(true)
    const type = this.type as Sniffed
    if (type.mime === 'image/png' && !endsWithIend(this.tail)) {
      throw refuse('truncated', 'Tệp PNG bị cắt dở (thiếu phần cuối): hãy tải lên lại.', 'The PNG file is cut short (its end is missing): upload it again.')
    }
    if (this.jpeg) {
      const verdict = this.jpeg.end()
      if (!verdict.ok && verdict.reason === 'truncated') {
        throw refuse('truncated', 'Tệp JPEG bị cắt dở (thiếu phần cuối): hãy tải lên lại.', 'The JPEG file is cut short (its end is missing): upload it again.')
      }
      if (!verdict.ok) throw refuse('broken-image', 'Tệp JPEG bị hỏng (cấu trúc sai): bảng tin không hiển thị được.', 'The JPEG file is broken (bad structure): boards cannot show it.')
    }
    if (type.mime === 'image/webp') {
      const head = this.headBuffer()
      const riffEnd = 8 + new DataView(head.buffer, head.byteOffset, head.byteLength).getUint32(4, true)
      if (riffEnd > this.size) throw refuse('truncated', 'Tệp WebP bị cắt dở: hãy tải lên lại.', 'The WebP file is cut short: upload it again.')
    }
    if (this.walker) {
      const verdict = this.walker.end()
      if (!verdict.ok) {
        if (verdict.reason === 'truncated') {
          throw refuse('truncated', `Tệp video ${type.label} bị cắt dở (tải lên chưa hết?): hãy tải lên lại.`, `The ${type.label} video is cut short (an incomplete upload?): upload it again.`)
        }
        throw refuse(
          'broken-video',
          `Tệp video ${type.label} bị hỏng (${verdict.reason === 'no-index' ? 'thiếu phần chỉ mục moov' : 'cấu trúc sai'}): bảng tin không phát được.`,
          `The ${type.label} video is broken (${verdict.reason === 'no-index' ? 'no moov index' : 'bad structure'}): boards cannot play it.`
        )
      }
    }
    return { type, size: this.size, dimensions: this.dimensions }
  }

  private examine(complete: boolean): void {
    const head = this.headBuffer()
    if (!this.type) {
      const sniffed = sniffType(head, complete)
      if (sniffed === 'need-more') return
      if (sniffed === null) throw notPlayableType()
      this.type = sniffed
      if (this.size > this.capFor(sniffed)) throw this.tooBig(this.capFor(sniffed))
      if (sniffed.kind === 'video') {
        this.walker = containerWalker(sniffed.mime)
        this.walker.feed(head)
        this.head = []
        return
      }
      if (sniffed.mime === 'image/jpeg') {
        this.jpeg = jpegWalker()
        this.jpeg.feed(head)
      }
    }
    if (this.type.kind !== 'image' || this.dimensions) return
    const found = imageDimensions(this.type.mime, head, complete || this.headBytes >= HEAD_MAX)
    if (found === 'need-more') return
    if (found === null) {
      throw refuse('unreadable-image', `Không đọc được kích thước ảnh ${this.type.label}: tệp bị hỏng.`, `The ${this.type.label} image's size cannot be read: the file is broken.`)
    }
    const { width, height } = found
    const { maxImageSide, maxImagePixels } = this.limits
    if (width > maxImageSide || height > maxImageSide || width * height > maxImagePixels) {
      const mp = Math.round(maxImagePixels / 1e6)
      throw refuse(
        'image-too-large',
        `Ảnh ${width}×${height} điểm ảnh quá lớn để bảng tin giải mã (tối đa ${mp} triệu điểm ảnh, mỗi cạnh ${maxImageSide}): hãy thu nhỏ ảnh.`,
        `The ${width}×${height} px image is too large for a board to decode (at most ${mp} megapixels, ${maxImageSide} px a side): scale it down.`,
        413
      )
    }
    this.dimensions = found
    this.head = [head.subarray(0, 32)]
  }

  private headBuffer(): Uint8Array {
    if (this.head.length !== 1) this.head = [Buffer.concat(this.head)]
    return this.head[0] ?? new Uint8Array(0)
  }

  private keepTail(chunk: Uint8Array): void {
    const joined = new Uint8Array(this.tail.length + chunk.byteLength)
    joined.set(this.tail)
    joined.set(chunk, this.tail.length)
    this.tail = joined.slice(Math.max(0, joined.length - TAIL))
  }

  private capFor(type: Sniffed): number {
    return type.kind === 'image' ? this.limits.maxImageBytes : this.limits.maxVideoBytes
  }

  private tooBig(cap: number): LibraryError {
    const what = this.type ? (this.type.kind === 'image' ? { vi: 'ảnh', en: 'an image' } : { vi: 'video', en: 'a video' }) : { vi: 'tệp', en: 'a file' }
    const size = megabytes(cap)
    return refuse('too-large', `Tệp quá lớn: ${what.vi} tối đa ${size.vi}.`, `The file is too large: ${what.en} may be at most ${size.en}.`, 413)
  }
}

/** A PNG ends with its IEND chunk (length 0, "IEND", CRC AE 42 60 82). */
function endsWithIend(tail: Uint8Array): boolean {
  const end = Buffer.from(tail.subarray(Math.max(0, tail.length - 8)))
  return end.toString('latin1', 0, 4) === 'IEND' && end.readUInt32BE(4) === 0xae426082
}
