// Checks a video's container structure as its bytes stream past, without ffprobe: the top-level MP4 boxes
// (or WebM/EBML elements) must tile the file exactly. A cut upload (a box that runs past the end) is refused
// here even where ffprobe is absent, and even where the index (moov) came first and ffprobe would not notice.
import { readVint } from './sniff'

export type WalkVerdict = { ok: true } | { ok: false; reason: 'truncated' | 'broken' | 'no-index' }

export interface ContainerWalker {
  feed(chunk: Uint8Array): void
  end(): WalkVerdict
}

/** A walker of the container sniffing named. */
export function containerWalker(mime: 'video/mp4' | 'video/webm'): ContainerWalker {
  return mime === 'video/mp4' ? new TopLevelWalker(16, mp4Box) : new TopLevelWalker(12, ebmlElement)
}

type Header = { size: number; type: string; toEnd?: boolean } | 'need-more' | 'broken'

/** MP4/QuickTime box header: 32-bit size and type; size 1: a 64-bit size follows; size 0: to the end. */
function mp4Box(h: Uint8Array): Header {
  if (h.length < 8) return 'need-more'
  const view = new DataView(h.buffer, h.byteOffset, h.byteLength)
  const type = String.fromCharCode(...h.subarray(4, 8))
  if (!/^[\x20-\x7e]{4}$/.test(type)) return 'broken'
  const size32 = view.getUint32(0)
  if (size32 === 0) return { size: 0, type, toEnd: true }
  if (size32 === 1) {
    if (h.length < 16) return 'need-more'
    const size = Number(view.getBigUint64(8))
    return size >= 16 ? { size, type } : 'broken'
  }
  return size32 >= 8 ? { size: size32, type } : 'broken'
}

/** EBML element header: an id (1–4 bytes, marker kept) and a size (vint); an all-ones size is unknown (live). */
function ebmlElement(h: Uint8Array): Header {
  const first = h[0]
  if (first === undefined) return 'need-more'
  const idLength = first >= 0x80 ? 1 : first >= 0x40 ? 2 : first >= 0x20 ? 3 : first >= 0x10 ? 4 : 0
  if (idLength === 0) return 'broken'
  if (h.length < idLength + 1) return 'need-more'
  const size = readVint(h, idLength)
  if (!size) return h.length >= idLength + 8 || h[idLength] === 0 ? 'broken' : 'need-more'
  const type = Buffer.from(h.subarray(0, idLength)).toString('hex')
  if (size.unknown) return { size: 0, type, toEnd: true }
  return { size: idLength + size.length + size.value, type }
}

class TopLevelWalker implements ContainerWalker {
  private offset = 0
  private nextAt = 0
  private header = new Uint8Array(0)
  private stopped: WalkVerdict | null = null
  private readonly types = new Set<string>()

  constructor(
    private readonly headerMax: number,
    private readonly parse: (header: Uint8Array) => Header
  ) {}

  feed(chunk: Uint8Array): void {
    const start = this.offset
    this.offset += chunk.byteLength
    while (!this.stopped && this.nextAt < this.offset) {
      const from = this.nextAt + this.header.length - start
      const take = chunk.subarray(from, from + this.headerMax - this.header.length)
      const header = new Uint8Array(this.header.length + take.length)
      header.set(this.header)
      header.set(take, this.header.length)
      const parsed = this.parse(header)
      if (parsed === 'broken') {
        this.stopped = { ok: false, reason: 'broken' }
      } else if (parsed === 'need-more') {
        if (header.length >= this.headerMax) this.stopped = { ok: false, reason: 'broken' }
        this.header = header
        return
      } else {
        this.types.add(parsed.type)
        this.header = new Uint8Array(0)
        // A box (or live WebM segment) that runs to the end: nothing after it to check.
        if (parsed.toEnd) this.stopped = { ok: true }
        else this.nextAt += parsed.size
      }
    }
  }

  end(): WalkVerdict {
    if (this.stopped && !this.stopped.ok) return this.stopped
    if (!this.stopped && (this.header.length > 0 || this.nextAt !== this.offset)) return { ok: false, reason: 'truncated' }
    // An MP4 without its index (moov) cannot be played; EBML's ids are hex, so this only asks MP4s.
    if (this.types.has('ftyp') || this.types.has('mdat')) {
      if (!this.types.has('moov')) return { ok: false, reason: 'no-index' }
    }
    return { ok: true }
  }
}
