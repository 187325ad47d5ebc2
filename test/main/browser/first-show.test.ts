// The screen page with the host's current show inlined (main/browser/first-show.ts).
import { describe, expect, it } from 'vitest'
import { FIRST_SHOW_ELEMENT_ID, type ShowPayload } from '../../../contract/screen'
import { withFirstShow } from '../../../main/browser/first-show'

const page = '<!doctype html><html><head><title>t</title></head><body><div id="root"></div></body></html>'
const zone = { id: 'main', role: 'main' as const, x: 0, y: 0, width: 1, height: 1 }
const payload = (items: ShowPayload['zones'][number]['program']): ShowPayload => ({
  board: { name: 'Xã </script><script>alert(1)</script>', timeZone: 'Asia/Ho_Chi_Minh' },
  displayOn: true,
  zones: [{ zone, program: items }],
  emergency: null,
  pairing: null,
  volume: 1
})
const inlined = (html: string): unknown => {
  const match = new RegExp(`<script type="application/json" id="${FIRST_SHOW_ELEMENT_ID}">(.*?)</script>`).exec(html)
  return match ? JSON.parse(match[1]!) : null
}

describe('withFirstShow', () => {
  it('inlines the show before </head>, so no text in it can end the script element', () => {
    const show = payload(null)
    const html = withFirstShow(page, show, () => true)
    expect(inlined(html)).toEqual(show)
    expect(html).not.toContain('<script>alert(1)')
    expect(html.indexOf(FIRST_SHOW_ELEMENT_ID)).toBeLessThan(html.indexOf('</head>'))
  })

  it('preloads the first image of a zone, and only local media', () => {
    const image = (src: string) => ({ version: 'v', items: [{ id: 'a', kind: 'image' as const, src, fit: 'contain' as const, durationMs: 1000 }] })
    expect(withFirstShow(page, payload(image('/media/abc')), (src) => src.startsWith('/media/'))).toContain('<link rel="preload" as="image" href="/media/abc">')
    expect(withFirstShow(page, payload(image('https://example.com/x.png')), (src) => src.startsWith('/media/'))).not.toContain('rel="preload"')
  })

  it('leaves a page without a head as it is', () => {
    expect(withFirstShow('<p>no head</p>', payload(null), () => true)).toBe('<p>no head</p>')
  })
})
