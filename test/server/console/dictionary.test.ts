// The console's two dictionaries: the same keys (also a type error), no empty string, and the same
// `{placeholders}` in both languages, so a value never goes missing in one of them.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { en } from '../../../server/console/src/i18n/en'
import { fill } from '../../../server/console/src/i18n/fill'
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

  it('name every action the server writes to the audit log (the Nhật ký page shows words, not codes)', () => {
    const root = join(__dirname, '../../../server')
    const sources = (readdirSync(root, { recursive: true }) as string[]).filter((f) => f.endsWith('.ts') && !f.startsWith('console'))
    const actions = new Set<string>()
    for (const file of sources) {
      const text = readFileSync(join(root, file), 'utf8')
      // ctx.audit('x', …), ctx.audit(cond ? 'x' : 'y', …), AUDIT_ACTION = 'x', writeAudit(…, { action: 'x' …
      for (const m of text.matchAll(/\.audit\(([^,]+),/g)) for (const q of m[1]!.matchAll(/'([a-z.-]+)'/g)) actions.add(q[1]!)
      for (const m of text.matchAll(/AUDIT_ACTION = '([a-z.-]+)'/g)) actions.add(m[1]!)
      if (/writeAudit\(/.test(text) || /insertInto\('audit_log'\)/.test(text)) for (const m of text.matchAll(/action: '([a-z.-]+)'/g)) actions.add(m[1]!)
    }
    expect(actions.size).toBeGreaterThan(20)
    const missing = [...actions].filter((action) => !(`audit.action.${action}` in vi))
    expect(missing).toEqual([])
  })

  it('count in English: one item, two items (Vietnamese has no plural)', () => {
    expect(fill(en['schedule.playlist.count'], { n: 1 })).toBe('1 item')
    expect(fill(en['schedule.playlist.count'], { n: 2 })).toBe('2 items')
    expect(fill(en['emergency.confirmText'], { count: 1, hours: 1 })).toMatch(/^1 board will show .* for 1 hour or/)
    expect(fill(vi['schedule.playlist.count'], { n: 1 })).not.toMatch(/\|/)
  })

  it('name every role and unit level the server knows', () => {
    for (const role of ['quan-tri', 'bien-tap', 'duyet', 'xem']) expect(vi).toHaveProperty(`role.${role}`)
    for (const level of ['tinh', 'huyen', 'xa']) expect(vi).toHaveProperty(`level.${level}`)
  })
})
