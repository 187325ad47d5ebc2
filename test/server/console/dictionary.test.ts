// The console's two dictionaries: the same keys (also a type error), no empty string, and the same
// `{placeholders}` in both languages, so a value never goes missing in one of them.
import { describe, expect, it } from 'vitest'
import { en } from '../../../server/console/src/i18n/en'
import { vi } from '../../../server/console/src/i18n/vi'

const placeholders = (text: string): string[] => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '').sort()

describe('console dictionaries', () => {
  it('have the same keys', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(vi).sort())
  })

  it('have no empty strings and the same placeholders in both languages', () => {
    for (const [key, text] of Object.entries(vi)) {
      const english = en[key as keyof typeof en]
      expect(text.trim(), key).not.toBe('')
      expect(english.trim(), key).not.toBe('')
      expect(placeholders(english), key).toEqual(placeholders(text))
    }
  })

  it('name every role and unit level the server knows', () => {
    for (const role of ['quan-tri', 'bien-tap', 'duyet', 'xem']) expect(vi).toHaveProperty(`role.${role}`)
    for (const level of ['tinh', 'huyen', 'xa']) expect(vi).toHaveProperty(`level.${level}`)
  })
})
