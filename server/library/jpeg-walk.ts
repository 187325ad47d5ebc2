// Walks a JPEG's marker structure as its bytes stream by (holding none of them): segments must add up, a
// scan (SOS) must come, and the file must end with EOI (FF D9), followed by nothing but zero padding.
// A cut-off JPEG otherwise passes every header check and shows as a grey or half-drawn slide on boards.

export type JpegVerdict = { ok: true } | { ok: false; reason: 'truncated' | 'bad-structure' }

export interface JpegWalker {
  feed(chunk: Uint8Array): void
  end(): JpegVerdict
}

type State =
  | 'soi0'
  | 'soi1'
  | 'marker' // expecting FF
  | 'marker-code' // after FF (fill FFs allowed)
  | 'len0'
  | 'len1'
  | 'skip' // a segment's payload
  | 'entropy' // scan data after an SOS header
  | 'entropy-ff' // an FF inside scan data
  | 'after-eoi'

/** Markers with no length field: TEM, RST0–7 (SOI and EOI are handled on their own). */
const standalone = (code: number) => code === 0x01 || (code >= 0xd0 && code <= 0xd7)

export function jpegWalker(): JpegWalker {
  let state: State = 'soi0'
  let bad = false
  let code = 0
  let length = 0
  let remaining = 0
  let sawScan = false

  function onMarker(next: number): void {
    if (next === 0xd9) {
      if (sawScan) state = 'after-eoi'
      else bad = true
      return
    }
    if (next === 0xd8 || next === 0x00) {
      bad = true
      return
    }
    if (standalone(next)) {
      state = sawScan ? 'entropy' : 'marker'
      return
    }
    code = next
    state = 'len0'
  }

  return {
    feed(chunk) {
      let i = 0
      while (i < chunk.length && !bad) {
        const byte = chunk[i] as number
        switch (state) {
          case 'soi0':
            if (byte !== 0xff) bad = true
            state = 'soi1'
            break
          case 'soi1':
            if (byte !== 0xd8) bad = true
            state = 'marker'
            break
          case 'marker':
            if (byte !== 0xff) bad = true
            state = 'marker-code'
            break
          case 'marker-code':
            if (byte !== 0xff) onMarker(byte)
            break
          case 'len0':
            length = byte << 8
            state = 'len1'
            break
          case 'len1':
            length |= byte
            if (length < 2) bad = true
            remaining = length - 2
            state = remaining > 0 ? 'skip' : code === 0xda ? 'entropy' : 'marker'
            if (code === 0xda) sawScan = true
            break
          case 'skip': {
            const take = Math.min(remaining, chunk.length - i)
            remaining -= take
            i += take
            if (remaining === 0) state = code === 0xda ? 'entropy' : 'marker'
            continue
          }
          case 'entropy': {
            // Scan data is long: jump to the next FF rather than stepping byte by byte in the switch.
            const at = chunk.indexOf(0xff, i)
            if (at < 0) {
              i = chunk.length
              continue
            }
            i = at + 1
            state = 'entropy-ff'
            continue
          }
          case 'entropy-ff':
            // FF 00 is a stuffed FF, FF D0–D7 a restart marker, FF FF fill; anything else ends the scan.
            if (byte === 0x00 || (byte >= 0xd0 && byte <= 0xd7)) state = 'entropy'
            else if (byte !== 0xff) onMarker(byte)
            break
          case 'after-eoi':
            if (byte !== 0x00) bad = true
            break
        }
        i++
      }
    },
    end() {
      if (bad) return { ok: false, reason: 'bad-structure' }
      return state === 'after-eoi' ? { ok: true } : { ok: false, reason: 'truncated' }
    }
  }
}
