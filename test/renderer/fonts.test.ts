// The faces renderer/src/fonts.css bundles, read from the font files themselves: which characters they
// map (cmap) and whether they position marks on letters and on other marks (GPOS mark, mkmk).
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

const CSS = join(__dirname, '..', '..', 'renderer', 'src', 'fonts.css')
const resolveFile = createRequire(CSS).resolve

interface Face {
  family: string
  weight: string
  file: string
}

function faces(): Face[] {
  const css = readFileSync(CSS, 'utf8')
  return [...css.matchAll(/@font-face\s*{([^}]*)}/g)].map(([, block]) => ({
    family: /font-family:\s*'([^']+)'/.exec(block!)![1]!,
    weight: /font-weight:\s*(\d+)/.exec(block!)![1]!,
    file: resolveFile(/url\('([^']+)'\)/.exec(block!)![1]!)
  }))
}

/** Tables of an sfnt (TrueType/OpenType) file by tag. */
function tables(font: Buffer): Map<string, Buffer> {
  const found = new Map<string, Buffer>()
  for (let i = 0; i < font.readUInt16BE(4); i++) {
    const record = 12 + i * 16
    const offset = font.readUInt32BE(record + 8)
    found.set(font.toString('latin1', record, record + 4), font.subarray(offset, offset + font.readUInt32BE(record + 12)))
  }
  return found
}

/** Code points with a real glyph, from the Windows Unicode cmap (format 12 if present, else 4). */
function mappedCodePoints(cmap: Buffer): Set<number> {
  const records = Array.from({ length: cmap.readUInt16BE(2) }, (_, i) => ({
    platform: cmap.readUInt16BE(4 + i * 8),
    encoding: cmap.readUInt16BE(6 + i * 8),
    offset: cmap.readUInt32BE(8 + i * 8)
  }))
  const pick = records.find((r) => r.platform === 3 && r.encoding === 10) ?? records.find((r) => r.platform === 3 && r.encoding === 1)!
  const table = cmap.subarray(pick.offset)
  const mapped = new Set<number>()
  if (table.readUInt16BE(0) === 12) {
    for (let g = 0; g < table.readUInt32BE(12); g++) {
      const group = 16 + g * 12
      for (let c = table.readUInt32BE(group); c <= table.readUInt32BE(group + 4); c++) mapped.add(c)
    }
    return mapped
  }
  const segments = table.readUInt16BE(6) / 2
  const ends = 14
  const starts = ends + segments * 2 + 2
  const deltas = starts + segments * 2
  const rangeOffsets = deltas + segments * 2
  for (let s = 0; s < segments; s++) {
    const start = table.readUInt16BE(starts + s * 2)
    const end = table.readUInt16BE(ends + s * 2)
    const delta = table.readInt16BE(deltas + s * 2)
    const rangeOffset = table.readUInt16BE(rangeOffsets + s * 2)
    for (let c = start; c <= end && c !== 0xffff; c++) {
      const glyph = rangeOffset === 0 ? (c + delta) & 0xffff : table.readUInt16BE(rangeOffsets + s * 2 + rangeOffset + (c - start) * 2)
      if (glyph !== 0) mapped.add(c)
    }
  }
  return mapped
}

/** Feature tags of the GPOS table (e.g. kern, mark, mkmk). */
function gposFeatures(gpos: Buffer | undefined): Set<string> {
  if (!gpos) return new Set()
  const list = gpos.subarray(gpos.readUInt16BE(6))
  return new Set(Array.from({ length: list.readUInt16BE(0) }, (_, i) => list.toString('latin1', 2 + i * 6, 6 + i * 6)))
}

const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i)
const missing = (have: Set<number>, want: number[]): string[] => want.filter((c) => !have.has(c)).map((c) => `U+${c.toString(16).toUpperCase().padStart(4, '0')}`)

/** Every letter of Vietnamese in NFC: the base letters with their own marks, then each with a tone mark. */
const VIETNAMESE = [...'aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂBCDĐEÊGHIKLMNOÔƠPQRSTUƯVXY'].map((c) => c.codePointAt(0)!).concat(range(0x1ea0, 0x1ef9))

describe('bundled fonts', () => {
  it('are whole faces from npm packages, in both weights the screen uses', () => {
    const found = faces()
    expect(found.map((f) => `${f.family} ${f.weight}`).sort()).toEqual(['Be Vietnam Pro 400', 'Be Vietnam Pro 700', 'Noto Sans 400', 'Noto Sans 700'])
    for (const face of found) expect(face.file).toMatch(/node_modules[\\/]@expo-google-fonts[\\/].+\.ttf$/)
  })

  it('Be Vietnam Pro maps every Vietnamese letter', () => {
    for (const face of faces().filter((f) => f.family === 'Be Vietnam Pro')) {
      expect(missing(mappedCodePoints(tables(readFileSync(face.file)).get('cmap')!), VIETNAMESE), face.file).toEqual([])
    }
  })

  it('Noto Sans maps every combining mark U+0300–U+036F and Latin Extended, and stacks marks on marks', () => {
    const wanted = [...range(0x300, 0x36f), ...range(0x100, 0x24f), ...range(0x1e00, 0x1eff), ...VIETNAMESE]
    for (const face of faces().filter((f) => f.family === 'Noto Sans')) {
      const font = tables(readFileSync(face.file))
      expect(missing(mappedCodePoints(font.get('cmap')!), wanted), face.file).toEqual([])
      const features = gposFeatures(font.get('GPOS'))
      expect(features.has('mark') && features.has('mkmk'), `${face.file}: GPOS features ${[...features].join(' ')}`).toBe(true)
    }
  })
})
