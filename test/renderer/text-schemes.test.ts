// Every text colour preset is legible from the street: each colour ≥ 7:1 against each background it sits on.
import { describe, expect, it } from 'vitest'
import { contrastRatio, TEXT_SCHEME_COLOURS } from '../../renderer/src/text-schemes'

describe('text schemes', () => {
  for (const [name, scheme] of Object.entries(TEXT_SCHEME_COLOURS)) {
    it(`${name}: body and title ≥ 7:1 on both ends of the background`, () => {
      for (const bg of [scheme.background, scheme.background2]) {
        expect(contrastRatio(scheme.ink, bg)).toBeGreaterThanOrEqual(7)
        expect(contrastRatio(scheme.title, bg)).toBeGreaterThanOrEqual(7)
      }
    })
  }
  it('the ratio is the WCAG one (white on black is 21:1)', () => {
    expect(contrastRatio('#ffffff', '#000000')).toBeCloseTo(21, 5)
  })
})
