// What an uploaded file IS, from its first bytes (magic numbers), never from its name or Content-Type;
// and for images, the decoded picture size read from the header, so a tiny file that would decode to
// 400 megapixels is refused before anything decodes it.

export type ImageMime = 'image/jpeg' | 'image/png' | 'image/webp'
export type VideoMime = 'video/mp4' | 'video/webm'

export type Sniffed =
  | { kind: 'image'; mime: ImageMime; label: 'JPEG' | 'PNG' | 'WebP' }
  | { kind: 'video'; mime: VideoMime; label: 'MP4' | 'MOV' | 'WebM' }

/** Bytes that always suffice to tell the type. */
export const SNIFF_BYTES = 64

const ascii = (bytes: Uint8Array, from: number, to: number) => String.fromCharCode(...bytes.subarray(from, to))
const startsWith = (bytes: Uint8Array, magic: number[]) => magic.every((b, i) => bytes[i] === b)

/** ISO-BMFF brands that are no videos: pictures and raw photos (HEIF, AVIF, JPEG 2000, Canon raw), sound (M4A, M4B, M4P). */
const NOT_VIDEO_BRANDS = new Set(['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'mif1', 'msf1', 'avif', 'avis', 'jp2 ', 'jpx ', 'crx ', 'M4A ', 'M4B ', 'M4P '])
/** First top-level boxes a QuickTime file without an `ftyp` starts with. */
const QUICKTIME_FIRST_BOXES = new Set(['moov', 'mdat', 'wide', 'free', 'skip'])

/**
 * The type, 'need-more' while fewer than SNIFF_BYTES have arrived and the answer may still change,
 * or null: not a type the boards play.
 */
export function sniffType(head: Uint8Array, complete: boolean): Sniffed | 'need-more' | null {
  if (head.length < SNIFF_BYTES && !complete) return 'need-more'
  if (startsWith(head, [0xff, 0xd8, 0xff])) return { kind: 'image', mime: 'image/jpeg', label: 'JPEG' }
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return { kind: 'image', mime: 'image/png', label: 'PNG' }
  if (head.length >= 12 && ascii(head, 0, 4) === 'RIFF' && ascii(head, 8, 12) === 'WEBP') return { kind: 'image', mime: 'image/webp', label: 'WebP' }
  if (head.length >= 12) {
    const box = ascii(head, 4, 8)
    if (box === 'ftyp') {
      const brand = ascii(head, 8, 12)
      if (NOT_VIDEO_BRANDS.has(brand)) return null
      return { kind: 'video', mime: 'video/mp4', label: brand === 'qt  ' ? 'MOV' : 'MP4' }
    }
    if (QUICKTIME_FIRST_BOXES.has(box)) return { kind: 'video', mime: 'video/mp4', label: 'MOV' }
  }
  if (startsWith(head, [0x1a, 0x45, 0xdf, 0xa3])) {
    // EBML: a WebM says so in its DocType; other Matroska files are not what boards are sent.
    return ebmlDocType(head) === 'webm' ? { kind: 'video', mime: 'video/webm', label: 'WebM' } : null
  }
  return null
}

/** The DocType string of an EBML header, if it is in `head`. */
function ebmlDocType(head: Uint8Array): string | null {
  const at = findBytes(head, [0x42, 0x82])
  if (at < 0 || at + 3 > head.length) return null
  const size = readVint(head, at + 2)
  if (!size || size.value > 32) return null
  const from = at + 2 + size.length
  return ascii(head, from, Math.min(head.length, from + size.value))
}

function findBytes(bytes: Uint8Array, needle: number[]): number {
  outer: for (let i = 0; i + needle.length <= bytes.length; i++) {
    for (let j = 0; j < needle.length; j++) if (bytes[i + j] !== needle[j]) continue outer
    return i
  }
  return -1
}

/** An EBML variable-length integer (the size form: marker bit removed). */
export function readVint(bytes: Uint8Array, at: number): { value: number; length: number; unknown: boolean } | null {
  const first = bytes[at]
  if (first === undefined || first === 0) return null
  let length = 1
  while (!(first & (0x80 >> (length - 1)))) length++
  if (at + length > bytes.length) return null
  let value = first & (0xff >> length)
  let allOnes = value === 0xff >> length
  for (let i = 1; i < length; i++) {
    const b = bytes[at + i] as number
    value = value * 256 + b
    if (b !== 0xff) allOnes = false
  }
  return { value, length, unknown: allOnes }
}

export type Dimensions = { width: number; height: number }

/**
 * The picture size an image header declares: 'need-more' when the header runs past `head`, or null when
 * the header is broken (no size where the format puts it).
 */
export function imageDimensions(mime: ImageMime, head: Uint8Array, complete: boolean): Dimensions | 'need-more' | null {
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength)
  const more = complete ? null : 'need-more'
  if (mime === 'image/png') {
    // The first chunk must be IHDR: width and height, 4 bytes each, big-endian.
    if (head.length < 24) return more
    if (ascii(head, 12, 16) !== 'IHDR') return null
    return positive(view.getUint32(16), view.getUint32(20))
  }
  if (mime === 'image/webp') {
    if (head.length < 30) return more
    const chunk = ascii(head, 12, 16)
    if (chunk === 'VP8 ') {
      if (head[23] !== 0x9d || head[24] !== 0x01 || head[25] !== 0x2a) return null
      return positive(view.getUint16(26, true) & 0x3fff, view.getUint16(28, true) & 0x3fff)
    }
    if (chunk === 'VP8L') {
      if (head[20] !== 0x2f) return null
      const bits = view.getUint32(21, true)
      return positive((bits & 0x3fff) + 1, ((bits >>> 14) & 0x3fff) + 1)
    }
    if (chunk === 'VP8X') {
      const width = (head[24] as number) | ((head[25] as number) << 8) | ((head[26] as number) << 16)
      const height = (head[27] as number) | ((head[28] as number) << 8) | ((head[29] as number) << 16)
      return positive(width + 1, height + 1)
    }
    return null
  }
  return jpegDimensions(head, view, complete)
}

/** Walks JPEG segments to the first start-of-frame (SOFn) marker, which carries the picture size. */
function jpegDimensions(head: Uint8Array, view: DataView, complete: boolean): Dimensions | 'need-more' | null {
  let at = 2
  for (;;) {
    // Fill bytes (0xFF) may precede a marker.
    while (at < head.length && head[at] === 0xff && head[at + 1] === 0xff) at++
    if (at + 4 > head.length) return complete ? null : 'need-more'
    if (head[at] !== 0xff) return null
    const marker = head[at + 1] as number
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      at += 2
      continue
    }
    // Start of scan or end of image before any frame header: no size to read.
    if (marker === 0xda || marker === 0xd9) return null
    const length = view.getUint16(at + 2)
    if (length < 2) return null
    const isFrame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc
    if (isFrame) {
      if (at + 9 > head.length) return complete ? null : 'need-more'
      return positive(view.getUint16(at + 7), view.getUint16(at + 5))
    }
    at += 2 + length
  }
}

function positive(width: number, height: number): Dimensions | null {
  return width > 0 && height > 0 ? { width, height } : null
}
