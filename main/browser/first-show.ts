// The screen page with its first picture on the way: the host's current `show` inlined as JSON, the
// first image of each zone preloaded, and, when its size is known from the file's header, the main
// zone's first image put in the page itself, so it paints before the screen's script has even run.
import { FIRST_PICTURE_ELEMENT_ID, FIRST_SHOW_ELEMENT_ID, imageSizeAllowed } from '../../contract/page'
import type { FirstShowPayload } from '../../contract/screen'

export interface PictureSize {
  width: number
  height: number
}

export interface FirstShowOptions {
  /** Media the page may load anyway (the shell's own /media/ URLs): only those are preloaded or drawn. */
  isLocalMedia(src: string): boolean
  /** The size read from the file's header, or null when unknown (then the page draws nothing itself). */
  sizeOf?(src: string): PictureSize | null
}

/** `<` escaped, so no text in the payload can close the script element. */
const inlineJson = (value: unknown): string => JSON.stringify(value).replace(/</g, '\\u003c')
const attribute = (value: string): string => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;')
const percent = (fraction: number): string => `${+(fraction * 100).toFixed(4)}%`

/** The images that open the screen's zones, as the page would show them now (none under an emergency, pairing or display off). */
export function firstImages(payload: FirstShowPayload): { zone: FirstShowPayload['zones'][number]['zone']; item: Extract<NonNullable<FirstShowPayload['zones'][number]['program']>['items'][number], { kind: 'image' }> }[] {
  if (payload.emergency || payload.pairing || !payload.displayOn) return []
  return payload.zones.flatMap(({ zone, program }) => {
    const first = program?.items[0]
    return first?.kind === 'image' ? [{ zone, item: first }] : []
  })
}

/**
 * The page with `payload` inlined before `</head>` and the main zone's first picture after `<body>`
 * (unchanged when it has no head). The data block is not script: the strict CSP (`script-src 'self'`)
 * stays as it is. Nothing in it is secret: it is what the screen shows to the street.
 */
export function withFirstShow(html: string, payload: FirstShowPayload, options: FirstShowOptions): string {
  const head = html.indexOf('</head>')
  if (head < 0) return html
  const images = firstImages(payload).filter(({ item }) => options.isLocalMedia(item.src))
  const preloads = images.map(({ item }) => `<link rel="preload" as="image" href="${attribute(item.src)}">`)
  const data = `<script type="application/json" id="${FIRST_SHOW_ELEMENT_ID}">${inlineJson(payload)}</script>`
  let page = html.slice(0, head) + [...preloads, data].join('') + html.slice(head)
  // Drawn by the page only with a size known to be safe to decode (an image bomb is the screen's to refuse).
  const main = images.find(({ zone, item }) => zone.role === 'main' && isSafe(options.sizeOf?.(item.src) ?? null))
  const body = /<body[^>]*>/.exec(page)
  if (main && body) {
    const { zone, item } = main
    const style = `position:fixed;z-index:100;display:block;margin:0;left:${percent(zone.x)};top:${percent(zone.y)};width:${percent(zone.width)};height:${percent(zone.height)};object-fit:${item.fit}`
    const picture = `<img id="${FIRST_PICTURE_ELEMENT_ID}" elementtiming="${FIRST_PICTURE_ELEMENT_ID}" data-item-id="${attribute(item.id)}" src="${attribute(item.src)}" alt="" decoding="sync" style="${style}">`
    const at = body.index + body[0].length
    page = page.slice(0, at) + picture + page.slice(at)
  }
  return page
}

const isSafe = (size: PictureSize | null): boolean => size !== null && imageSizeAllowed(size.width, size.height)

/** Width and height from the first bytes of a PNG, GIF, WebP or JPEG file; null when it cannot tell. */
export function imageHeaderSize(head: Buffer): PictureSize | null {
  const ascii = (from: number, to: number): string => head.toString('latin1', from, to)
  if (head.length >= 24 && head[0] === 0x89 && ascii(1, 4) === 'PNG' && ascii(12, 16) === 'IHDR') {
    return { width: head.readUInt32BE(16), height: head.readUInt32BE(20) }
  }
  if (head.length >= 10 && ascii(0, 4) === 'GIF8') return { width: head.readUInt16LE(6), height: head.readUInt16LE(8) }
  if (head.length >= 30 && ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') {
    const kind = ascii(12, 16)
    if (kind === 'VP8 ') return { width: head.readUInt16LE(26) & 0x3fff, height: head.readUInt16LE(28) & 0x3fff }
    if (kind === 'VP8L') {
      const bits = head.readUInt32LE(21)
      return { width: (bits & 0x3fff) + 1, height: ((bits >> 14) & 0x3fff) + 1 }
    }
    if (kind === 'VP8X') return { width: head.readUIntLE(24, 3) + 1, height: head.readUIntLE(27, 3) + 1 }
    return null
  }
  if (head.length >= 4 && head[0] === 0xff && head[1] === 0xd8) {
    // Segment by segment to the frame header (SOFn; not DHT, JPG or DAC, which share the range).
    for (let at = 2; at + 9 <= head.length; ) {
      if (head[at] !== 0xff) return null
      const marker = head[at + 1]!
      if (marker === 0xff) {
        at++
        continue
      }
      if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
        return { width: head.readUInt16BE(at + 7), height: head.readUInt16BE(at + 5) }
      }
      at += 2 + head.readUInt16BE(at + 2)
    }
  }
  return null
}
