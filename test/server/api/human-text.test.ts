// The one rule for text people see (server/api/human-text.ts): bidi and control characters and
// invisible-only values refused naming the field, Vietnamese and stacked Central Highlands marks kept.
import fc from 'fast-check'
import { expect, test } from 'vitest'
import { z } from 'zod'
import { zodFailure } from '../../../server/api/errors'
import { humanText } from '../../../server/api/human-text'

const Body = z.object({ name: humanText({ vi: 'Tên đơn vị', en: 'The unit name', max: 40 }) })
function parse(name: unknown) {
  const parsed = Body.safeParse({ name })
  return parsed.success ? { ok: true as const, name: parsed.data.name } : { ok: false as const, error: zodFailure(parsed.error, 'body').body().error }
}

const BIDI = ['\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069']
const INVISIBLE = [' ', '\t', '\u00a0', '\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\u3000']

test('a right-to-left override posing as "Xã Phú An" is refused, naming the field in both languages', () => {
  const answer = parse('\u202EnA úhP ãX')
  expect(answer).toMatchObject({ ok: false, error: { code: 'bad-input', field: 'body.name' } })
  expect(!answer.ok && answer.error.vi).toContain('Tên đơn vị chứa ký tự điều khiển')
  expect(!answer.ok && answer.error.en).toContain('The unit name contains a control character')
})

test('zero-width-only text is refused as empty; blank and too long too', () => {
  for (const value of ['\u200b', '\u200b\u200c\u200d\ufeff', ' ', '']) {
    const answer = parse(value)
    expect(answer, JSON.stringify(value)).toMatchObject({ ok: false, error: { field: 'body.name' } })
    expect(!answer.ok && answer.error.vi).toMatch(/Tên đơn vị không được để trống/)
  }
  expect(parse('x'.repeat(41))).toMatchObject({ ok: false, error: { field: 'body.name', vi: expect.stringContaining('tối đa 40') } })
  expect(parse(7)).toMatchObject({ ok: false, error: { field: 'body.name' } })
})

test('Vietnamese and stacked marks are kept; NFD arrives, NFC is stored; spaces trimmed, lines folded', () => {
  for (const name of ['Xã Phú An', 'Phường Hội Phụ', 'Buôn Ma Thuột', 'Ơ̆ Ư̆ Ŏ̂', 'Bơ̆ Ă̱', 'Yang Mơ̆ng']) {
    expect(parse(name)).toEqual({ ok: true, name })
    expect(parse(`  ${name.normalize('NFD')}\r\n`)).toEqual({ ok: true, name: name.normalize('NFC') })
  }
  expect(parse('Thôn\n1')).toEqual({ ok: true, name: 'Thôn 1' })
  // A joiner inside visible text is not on its own: kept (some scripts need it).
  expect(parse('a\u200db')).toEqual({ ok: true, name: 'a\u200db' })
})

test('property: any visible text with a bidi control anywhere is refused; any invisible-only text is refused; any other text survives NFC-equal', () => {
  const visible = fc.string({ unit: fc.constantFrom(...'aăâbđeêoôơuưyỳỹẠẶẬ ̣̆̂̀́̃̉0123456789.-'.split('')), minLength: 1, maxLength: 30 }).filter((s) => s.trim() !== '')
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
