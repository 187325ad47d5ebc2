// The text notices' colour presets (manifest TextStyle.scheme): each a background with its body and title
// colours, every pair ≥ 7:1 (WCAG AAA) so a notice reads from the street; a test checks the ratios.
import type { ScreenItem } from '../../contract/screen'

type TextScreenItem = Extract<ScreenItem, { kind: 'text' }>
export type TextSchemeName = NonNullable<TextScreenItem['scheme']>

export interface TextSchemeColours {
  /** Flat background (the sampled colour); `thuong` lays today's gradient from it to `background2`. */
  background: string
  background2: string
  ink: string
  title: string
}

export const TEXT_SCHEME_COLOURS: Record<TextSchemeName, TextSchemeColours> = {
  // Today's look: white on dark blue, a warm yellow title.
  thuong: { background: '#0b2545', background2: '#13315c', ink: '#ffffff', title: '#ffd166' },
  // Warning: near-black on amber, unlike the emergency overlay (white on dark red).
  'canh-bao': { background: '#ffb300', background2: '#ffb300', ink: '#1a1200', title: '#3a1a00' },
  // Formal: dark red title and navy body on ivory, like a printed proclamation.
  'trang-trong': { background: '#fbf7ec', background2: '#fbf7ec', ink: '#14213d', title: '#8b0000' }
}

/** `vua` (medium): this share of the size `lon` would fit, never under FitText's legibility floor. */
export const MEDIUM_SCALE = 0.7

const channel = (c: number): number => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4)
/** WCAG relative luminance of a #rrggbb colour. */
export function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => channel(parseInt(hex.slice(i, i + 2), 16) / 255)) as [number, number, number]
  return 0.2126 * r + 0.7152 * g + 0.0722 * b
}
/** WCAG contrast ratio between two #rrggbb colours (1–21). */
export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number]
  return (hi + 0.05) / (lo + 0.05)
}
