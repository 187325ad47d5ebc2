// Checks on an image file before the screen shows it: a size it can afford to decode (an "image bomb"
// of a few kB can decode to gigabytes and freeze the screen), and bytes that decode completely (a
// truncated or garbled file, which an <img> draws in part with the rest left blank). The size limits
// are the contract's (MAX_IMAGE_PIXELS), shared with the browser shell's first picture.
import { imageSizeAllowed } from '../../../contract/screen'

/** Why an image of this size is refused (Vietnamese, then English), or null when it may be shown. */
export function imageSizeProblem(width: number, height: number): string | null {
  if (imageSizeAllowed(width, height)) return null
  if (width <= 0 || height <= 0) return 'ảnh không có kích thước / image has no size'
  const size = `${width}×${height} px`
  return `ảnh quá lớn để hiển thị: ${size} (tối đa 8192×8192 px, mỗi cạnh tối đa 16384 px) / image too large to show: ${size} (at most 8192×8192 px, no side over 16384 px)`
}

/** The image type from a file's first bytes (an image item carries no MIME type), or null when unknown. */
export function sniffImageType(head: Uint8Array): string | null {
  const ascii = (from: number, to: number): string => String.fromCharCode(...head.subarray(from, to))
  if (head[0] === 0x89 && ascii(1, 4) === 'PNG') return 'image/png'
  if (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'image/jpeg'
  if (ascii(0, 4) === 'GIF8') return 'image/gif'
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'image/webp'
  if (ascii(4, 8) === 'ftyp' && /^avi[fs]$/.test(ascii(8, 12))) return 'image/avif'
  if (ascii(0, 2) === 'BM') return 'image/bmp'
  return null
}

export const BROKEN_IMAGE = 'ảnh hỏng, không giải mã được trọn vẹn / image is damaged and does not decode completely'

/**
 * Decodes the file's first frame completely, off the main thread (WebCodecs' ImageDecoder only counts a
 * frame whose every byte arrived and decoded). Returns why it is refused, or null when it decodes, and
 * also when this screen cannot tell (no ImageDecoder, a type it does not know, the file unreadable here:
 * the <img> itself decides then).
 */
export async function imageBytesProblem(src: string): Promise<string | null> {
  if (typeof ImageDecoder === 'undefined') return null
  let data: ArrayBuffer
  try {
    data = await (await fetch(src)).arrayBuffer()
  } catch {
    return null
  }
  const type = sniffImageType(new Uint8Array(data, 0, Math.min(16, data.byteLength)))
  if (!type || !(await ImageDecoder.isTypeSupported(type))) return null
  // A small output where the decoder can scale while decoding (JPEG): the check needs no full-size copy.
  const decoder = new ImageDecoder({ data, type, desiredWidth: 256, desiredHeight: 256 })
  try {
    const { image } = await decoder.decode({ frameIndex: 0, completeFramesOnly: true })
    image.close()
    return null
  } catch (error) {
    return (error as Error).name === 'EncodingError' ? BROKEN_IMAGE : null
  } finally {
    decoder.close()
  }
}
