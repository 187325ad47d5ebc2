// The one rule for text people see (server/api/human-text.ts): control, format and invisible characters,
// stray marks, look-alike mixed-script words and invisible-only values refused naming the field;
// Vietnamese and stacked Central Highlands marks kept.
import fc from 'fast-check'
import { expect, test } from 'vitest'
import { z } from 'zod'
import { zodFailure } from '../../../server/api/errors'
import { humanText } from '../../../server/api/human-text'

const Body = z.object({ name: humanText({ vi: 'Tên đơn vị', en: 'The unit name', max: 40 }) })
const Notice = z.object({ name: humanText({ vi: 'Nội dung', en: 'The body', max: 2000, multiline: true }) })
function parse(name: unknown, schema: typeof Body = Body) {
  const parsed = schema.safeParse({ name })
  return parsed.success ? { ok: true as const, name: parsed.data.name } : { ok: false as const, error: zodFailure(parsed.error, 'body').body().error }
}

const BIDI = ['\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069']
const INVISIBLE = [' ', '\t', '\u00a0', '\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\u3000', '\u2800', '\u3164', '\ufe0f', '\u0301', '\u034f', '\u{e0020}', '\u17b4']

test('a right-to-left override posing as "Xã Phú An" is refused, naming the field in both languages', () => {
  const answer = parse('\u202EnA úhP ãX')
  expect(answer).toMatchObject({ ok: false, error: { code: 'bad-input', field: 'body.name' } })
  expect(!answer.ok && answer.error.vi).toContain('Tên đơn vị chứa ký tự điều khiển')
  expect(!answer.ok && answer.error.en).toContain('The unit name contains a control character')
})

test('zero-width-only text is refused as empty; blank and too long too', () => {
  for (const value of ['\u200b', '\u200b\u200c\u200d\ufeff', ' ', '', '\u2800\u2800', '\u0301\u0301', '\ufe0f', '\u17b4\u17b5', '\u3164']) {
    const answer = parse(value)
    expect(answer, JSON.stringify(value)).toMatchObject({ ok: false, error: { field: 'body.name' } })
    expect(!answer.ok && answer.error.vi).toMatch(/Tên đơn vị không được để trống/)
  }
  expect(parse('x'.repeat(41))).toMatchObject({ ok: false, error: { field: 'body.name', vi: expect.stringContaining('tối đa 40') } })
  expect(parse(7)).toMatchObject({ ok: false, error: { field: 'body.name' } })
})

// Every sibling the reviewer made look like "Xã Phú An" (review2 A-11), and the other characters that passed.
const LOOKALIKES = ['Xã Phú An\u200e', 'Xã Ph\u2060ú An', 'Xã Ph\u200bú An', 'Xã Phú An\u{e0020}', 'Xã Phú An\ufe0f', 'Xã Ph\u034fú An', 'Xа Phú An', 'Xã Phú Аn']
const SMUGGLED = ['\u200f', '\u061c', '\u206a', '\u206f', '\ufff9', '\ufffb', '\ufffc', '\uffff', '\ud800', '\ue000', '\u{f0000}', '\u{e0041}', '\u{e007f}', '\u{e0100}', '\ufe00', '\u00ad', '\u200c', '\u200d', '\u2800', '\u3164', '\u2028', '\u2029']

test('look-alike "Xã Phú An" with invisible, tag, variation or Cyrillic characters is refused, naming the field', () => {
  for (const name of LOOKALIKES) {
    const answer = parse(name)
    expect(answer, JSON.stringify(name)).toMatchObject({ ok: false, error: { code: 'bad-input', field: 'body.name', vi: expect.stringContaining('Tên đơn vị'), en: expect.stringContaining('The unit name') } })
  }
  expect(parse('Xа Phú An')).toMatchObject({ ok: false, error: { vi: expect.stringContaining('«Xа»'), en: expect.stringContaining('two alphabets') } })
  expect(parse('Xã Ph\u200bú An')).toMatchObject({ ok: false, error: { en: expect.stringContaining('U+200B, at position 6') } })
  for (const char of SMUGGLED) {
    for (const value of [`Thông${char} báo`, `Thông ${char}báo`, `Thông báo${char}!`]) {
      expect(parse(value), JSON.stringify(value)).toMatchObject({ ok: false, error: { field: 'body.name' } })
    }
  }
  // Invisible-looking text after a visible word ("Xã ㅤ", "Xã " + soft hyphens) is refused too.
  for (const value of ['Xã \u3164', 'Xã \u00ad\u00ad', 'Xã \u2800']) expect(parse(value).ok, JSON.stringify(value)).toBe(false)
  // A multi-line value takes U+2028/2029 as the line breaks they are; a one-line value refuses them.
  expect(parse('Dòng 1\u2028Dòng 2\u2029Dòng 3', Notice)).toEqual({ ok: true, name: 'Dòng 1\nDòng 2\nDòng 3' })
})

test('a combining mark with no letter under it is refused; words of one script in another are fine', () => {
  for (const value of ['\u0301Phú', 'Xã \u0301An', 'Xã\n\u0323An']) {
    expect(parse(value, Notice), JSON.stringify(value)).toMatchObject({ ok: false, error: { field: 'body.name', en: expect.stringContaining('accent mark on no letter') } })
  }
  for (const value of ['Xã Phú An – Москва', 'Ελλάδα và Việt Nam', 'Hà Nội 2026: 30°C!', 'Ê-đê, Jrai, Ba Na']) expect(parse(value), value).toEqual({ ok: true, name: value })
})

test('Vietnamese and stacked marks are kept; NFD arrives, NFC is stored; spaces trimmed, lines folded', () => {
  for (const name of ['Xã Phú An', 'Phường Hội Phụ', 'Buôn Ma Thuột', 'Ơ̆ Ư̆ Ŏ̂', 'Bơ̆ Ă̱', 'Yang Mơ̆ng', 'Y Bơ̆ Niê', 'Ƀuôn Čư Ĕa', 'Kŏ Pơ̆ Hră ĭ ŭ ñ']) {
    expect(parse(name)).toEqual({ ok: true, name })
    expect(parse(`  ${name.normalize('NFD')}\r\n`)).toEqual({ ok: true, name: name.normalize('NFC') })
  }
  expect(parse('Thôn\n1')).toEqual({ ok: true, name: 'Thôn 1' })
  // No joiner either: Vietnamese and the Central Highlands languages need none, and it hides a look-alike.
  expect(parse('a\u200db').ok).toBe(false)
})

test('property: any visible text with a bidi control anywhere is refused; any invisible-only text is refused; any other text survives NFC-equal', () => {
  // Letters, each with up to two marks stacked on it (never a mark on its own), digits, spaces, punctuation.
  const letter = fc.tuple(fc.constantFrom(...'aăâbđeêoôơuưyỳỹẠẶẬ'.normalize('NFC')), fc.array(fc.constantFrom('\u0323', '\u0306', '\u0302', '\u0300', '\u0301', '\u0303', '\u0309'), { maxLength: 2 })).map(([l, marks]) => l + marks.join(''))
  const visible = fc.array(fc.oneof(letter, fc.constantFrom(...' 0123456789.-')), { minLength: 1, maxLength: 30 }).map((units) => units.join('')).filter((s) => /[^ ]/.test(s))
  fc.assert(
    fc.property(visible, fc.constantFrom(...BIDI), fc.nat(), (text, bidi, at) => {
      const i = at % (text.length + 1)
      expect(parse(text.slice(0, i) + bidi + text.slice(i)).ok).toBe(false)
    })
  )
  fc.assert(
    fc.property(fc.array(fc.constantFrom(...INVISIBLE), { maxLength: 20 }), (chars) => {
      expect(parse(chars.join('')).ok).toBe(false)
    })
  )
  fc.assert(
    fc.property(visible, (text) => {
      const answer = parse(text)
      const expected = text.normalize('NFC').trim()
      if (expected.length > 0 && expected.length <= 40) expect(answer).toEqual({ ok: true, name: expected })
    })
  )
})

// Vietnamese syllables: an onset, a nucleus carrying one of the six tones, a coda; sentences of them.
const ONSETS = ['', 'b', 'c', 'ch', 'd', 'đ', 'g', 'gh', 'gi', 'h', 'k', 'kh', 'l', 'm', 'n', 'ng', 'ngh', 'nh', 'p', 'ph', 'qu', 'r', 's', 't', 'th', 'tr', 'v', 'x']
const NUCLEI = ['a', 'ă', 'â', 'e', 'ê', 'i', 'o', 'ô', 'ơ', 'u', 'ư', 'y', 'oa', 'oă', 'uy', 'ươ', 'iê', 'uô', 'ya', 'ưa']
const TONES = ['', '\u0300', '\u0301', '\u0303', '\u0309', '\u0323']
const CODAS = ['', 'c', 'ch', 'm', 'n', 'ng', 'nh', 'p', 't', 'i', 'o', 'u', 'y']
const syllable = fc
  .tuple(fc.constantFrom(...ONSETS), fc.constantFrom(...NUCLEI), fc.constantFrom(...TONES), fc.constantFrom(...CODAS), fc.boolean())
  .map(([onset, nucleus, tone, coda, upper]) => {
    const word = (onset + nucleus.normalize('NFD').replace(/^(\p{L}\p{M}*)/u, `$1${tone}`) + coda).normalize('NFC')
    return upper ? word.charAt(0).toLocaleUpperCase('vi') + word.slice(1) : word
  })
const sentence = fc
  .tuple(fc.array(fc.oneof(syllable, syllable, syllable, fc.nat(9999).map(String)), { minLength: 1, maxLength: 40 }), fc.constantFrom('', '.', '!', '?', ':', ','))
  .map(([words, end]) => words.join(' ') + end)

test('property: any Vietnamese sentence is accepted unchanged (and its NFD arrives as it)', () => {
  fc.assert(
    fc.property(sentence, (text) => {
      expect(parse(text, Notice)).toEqual({ ok: true, name: text })
      expect(parse(text.normalize('NFD'), Notice)).toEqual({ ok: true, name: text })
    }),
    { numRuns: 500 }
  )
})
