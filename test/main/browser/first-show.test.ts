// The screen page with the host's current show inlined and its first picture drawn by the page itself
// (main/browser/first-show.ts), and image sizes read from file headers.
import { execFile } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { FIRST_PICTURE_ELEMENT_ID, FIRST_SHOW_ELEMENT_ID, type FirstShowPayload } from '../../../contract/screen'
import { imageHeaderSize, withFirstShow } from '../../../main/browser/first-show'
import { bombPng, solidPng } from '../../../e2e/fixtures/images'
import { useTempDirs } from '../../helpers/temp-dir'

const page = '<!doctype html><html><head><title>t</title></head><body><div id="root"></div></body></html>'
const main = { id: 'main', role: 'main' as const, x: 0, y: 0.1, width: 1, height: 0.8 }
type Program = FirstShowPayload['zones'][number]['program']
const payload = (program: Program, extra: Partial<FirstShowPayload> = {}): FirstShowPayload => ({
  board: { name: 'Xã </script><script>alert(1)</script>', timeZone: 'Asia/Ho_Chi_Minh' },
  displayOn: true,
  zones: [{ zone: main, program }],
  emergency: null,
  pairing: null,
  volume: 1,
  ...extra
})
const image = (src: string): Program => ({ version: 'v', items: [{ id: 'a"b', kind: 'image', src, fit: 'cover', durationMs: 1000 }] })
const local = { isLocalMedia: (src: string) => src.startsWith('/media/') }
const inlined = (html: string): unknown => {
  const match = new RegExp(`<script type="application/json" id="${FIRST_SHOW_ELEMENT_ID}">(.*?)</script>`).exec(html)
  return match ? JSON.parse(match[1]!) : null
}

describe('withFirstShow', () => {
  it('inlines the show before </head>, so no text in it can end the script element', () => {
    const show = payload(null)
    const html = withFirstShow(page, show, local)
    expect(inlined(html)).toEqual(show)
    expect(html).not.toContain('<script>alert(1)')
    expect(html.indexOf(FIRST_SHOW_ELEMENT_ID)).toBeLessThan(html.indexOf('</head>'))
  })

  it('preloads the first image of a zone, and only local media', () => {
    expect(withFirstShow(page, payload(image('/media/abc')), local)).toContain('<link rel="preload" as="image" href="/media/abc">')
    expect(withFirstShow(page, payload(image('https://example.com/x.png')), local)).not.toContain('rel="preload"')
  })

  it('draws the main zone’s first picture in the page, in its zone, when its size is known and safe', () => {
    const html = withFirstShow(page, payload(image('/media/abc')), { ...local, sizeOf: () => ({ width: 1920, height: 1080 }) })
    const picture = new RegExp(`<body><img id="${FIRST_PICTURE_ELEMENT_ID}" [^>]*>`).exec(html)?.[0] ?? ''
    expect(picture).toContain('src="/media/abc"')
    expect(picture).toContain('data-item-id="a&quot;b"')
    expect(picture).toContain('top:10%;width:100%;height:80%;object-fit:cover')
    // Unknown size, an image bomb, or a screen that shows something else: the page draws nothing itself.
    expect(withFirstShow(page, payload(image('/media/abc')), local)).not.toContain(FIRST_PICTURE_ELEMENT_ID + '"')
    expect(withFirstShow(page, payload(image('/media/abc')), { ...local, sizeOf: () => ({ width: 16000, height: 16000 }) })).not.toContain(`id="${FIRST_PICTURE_ELEMENT_ID}"`)
    const emergency = { id: 'e', title: 'Bão', body: '', issuedAt: '2026-01-01T00:00:00Z' }
    expect(withFirstShow(page, payload(image('/media/abc'), { emergency }), { ...local, sizeOf: () => ({ width: 10, height: 10 }) })).not.toContain(`id="${FIRST_PICTURE_ELEMENT_ID}"`)
  })

  it('leaves a page without a head as it is', () => {
    expect(withFirstShow('<p>no head</p>', payload(null), local)).toBe('<p>no head</p>')
  })
})

describe('imageHeaderSize', () => {
  const tempDir = useTempDirs()
  const run = promisify(execFile)

  it('reads PNG (a bomb too, without decoding it), JPEG, GIF and WebP headers', async () => {
    expect(imageHeaderSize(solidPng(320, 180, [1, 2, 3]))).toEqual({ width: 320, height: 180 })
    expect(imageHeaderSize(bombPng(16_000))).toEqual({ width: 16_000, height: 16_000 })
    const dir = await tempDir()
    for (const [file, extra] of [['a.jpg', []], ['a.gif', []], ['a.webp', []], ['b.webp', ['-lossless', '1']]] as const) {
      await run('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=size=333x222', '-frames:v', '1', ...extra, join(dir, file)])
      expect(imageHeaderSize(await readFile(join(dir, file))), file).toEqual({ width: 333, height: 222 })
    }
    expect(imageHeaderSize(Buffer.from('not an image'))).toBeNull()
  })
})
