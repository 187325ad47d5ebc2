// The slide table draws every screen item kind, and an item it has no slide for is never a blank: it
// shows the board's name and goes back to the rotator as failed (rendered to markup, no browser needed).
import { createElement } from 'react'
import { renderToStaticMarkup } from 'react-dom/server'
import { describe, expect, it } from 'vitest'
import type { ScreenItem } from '../../contract/screen'
import { Slide, SLIDES } from '../../renderer/src/components/slides'
import type { SlideProps } from '../../renderer/src/components/slide-props'
import { useScreenStore } from '../../renderer/src/store'

/** One item of every kind: a kind added to the contract does not compile here until it has a sample. */
const SAMPLES: { [K in ScreenItem['kind']]: Extract<ScreenItem, { kind: K }> } = {
  text: { id: 'chu', kind: 'text', title: 'Thông báo', body: 'Lịch tiêm chủng tuần này', durationMs: 5000 },
  image: { id: 'anh', kind: 'image', src: '/media/anh', fit: 'contain', durationMs: 5000 },
  video: { id: 'phim', kind: 'video', src: '/media/phim', mime: 'video/mp4', muted: true, volume: 1, durationMs: 0 },
  ticker: { id: 'chay', kind: 'ticker', text: 'Phòng chống lụt bão', speed: 2, durationMs: 60_000 },
  stream: { id: 'truc-tiep', kind: 'stream', src: '/stream/truc-tiep/index.m3u8', durationMs: 30_000 }
}

function render(item: ScreenItem): { html: string; failures: string[] } {
  const failures: string[] = []
  const props: SlideProps = {
    item,
    active: true,
    primed: false,
    onReady: () => undefined,
    onEnding: () => undefined,
    onEnded: () => undefined,
    onFailed: (reason) => failures.push(reason)
  }
  return { html: renderToStaticMarkup(createElement(Slide, props)), failures }
}

describe('slides', () => {
  it('has a slide for every screen item kind, and each draws something', () => {
    expect(Object.keys(SLIDES).sort()).toEqual(Object.keys(SAMPLES).sort())
    for (const item of Object.values(SAMPLES)) {
      const { html } = render(item)
      expect(html, item.kind).not.toBe('')
      expect(html, item.kind).not.toContain('unrenderable-slide')
    }
  })

  it('shows the board name, never a blank, for a kind it has no slide for', () => {
    const alien = { id: 'ba-chieu', kind: 'hologram', durationMs: 5000 } as unknown as ScreenItem
    const { html } = render(alien)
    expect(html).toContain('data-testid="unrenderable-slide"')
    expect(html).toContain('data-kind="hologram"')
    // Markup rendering reads the store's first state: the board's default name.
    expect(html).toContain(`<div class="fallback-board">${useScreenStore.getInitialState().board.name}</div>`)
  })
})
