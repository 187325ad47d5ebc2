// Page object for the player's screen: what is on it, read from the DOM the renderer draws.
import type { Locator, Page } from '@playwright/test'

export class ScreenPage {
  constructor(readonly page: Page) {}

  /** The slide on screen now (the preloaded next one is mounted but hidden). */
  get activeSlide(): Locator {
    return this.page.locator('.slide[data-active="true"]')
  }

  activeItemId(): Promise<string | null> {
    return this.activeSlide.first().getAttribute('data-item-id')
  }

  get fallback(): Locator {
    return this.page.getByTestId('fallback-slide')
  }

  /** The technician's status overlay (Ctrl+Alt+I). */
  get statusOverlay(): Locator {
    return this.page.getByTestId('status-overlay')
  }

  /** One row of the status overlay by its id (device, server, network, now, …). */
  statusRow(id: string): Locator {
    return this.statusOverlay.locator(`[data-testid="status-row"][data-row="${id}"]`)
  }

  /** The first-sync progress bar on the fallback slide (role progressbar, aria-valuenow in percent). */
  get firstSyncProgress(): Locator {
    return this.page.getByTestId('first-sync-progress')
  }

  /**
   * The active slide's text layout: pages, font size, and every rendered line that is not wholly
   * inside the box on one page (a clipped line). Measured from the DOM's line boxes.
   */
  textLayout(): Promise<TextLayout> {
    return textLayoutOf(this.activeSlide.locator('[data-testid="text-content"]'))
  }

  /** Shows page `index` of the active text now (what the page timer does during a turn). */
  async showTextPage(index: number): Promise<void> {
    const content = this.activeSlide.locator('[data-testid="text-content"]')
    await content.evaluate((el, p) => {
      const box = el.parentElement!.getBoundingClientRect()
      const gap = parseFloat(getComputedStyle(el).columnGap) || 0
      ;(el as HTMLElement).style.transform = `translateX(${-p * (box.width + gap)}px)`
    }, index)
  }

  /**
   * Starts recording every animation frame: what the active slide is, and whether the frame is blank
   * (no active slide, or an active video without a decoded frame).
   */
  async recordFrames(): Promise<void> {
    await this.page.evaluate(() => {
      const frames: { t: number; id: string | null; blank: boolean }[] = []
      ;(window as unknown as { __frames: typeof frames }).__frames = frames
      const tick = (t: number): void => {
        const active = document.querySelector<HTMLElement>('.slide[data-active="true"]')
        const video = active?.querySelector('video')
        frames.push({ t, id: active?.dataset.itemId ?? null, blank: !active || (!!video && video.readyState < 2) })
        requestAnimationFrame(tick)
      }
      requestAnimationFrame(tick)
    })
  }

  recordedFrames(): Promise<{ t: number; id: string | null; blank: boolean }[]> {
    return this.page.evaluate(() => (window as unknown as { __frames: { t: number; id: string | null; blank: boolean }[] }).__frames)
  }

  /** currentTime of the active video. */
  videoTime(): Promise<number> {
    return this.activeSlide.locator('video').evaluate((v) => (v as HTMLVideoElement).currentTime)
  }
}

export interface TextLayout {
  pages: number
  fontSize: number
  lines: number
  strayLines: string[]
}

/**
 * A FitText block's layout: pages, font size, and every rendered line that is not wholly inside the
 * box on one page (a clipped line). Measured from the DOM's line boxes.
 */
export function textLayoutOf(text: Locator): Promise<TextLayout> {
  return text.evaluate((content) => {
    const box = content.parentElement!.getBoundingClientRect()
    const pages = Number((content as HTMLElement).dataset.pages ?? '1')
    const gap = parseFloat(getComputedStyle(content).columnGap) || 0
    const pageWidth = box.width + gap
    // Line boxes relative to the first page's position, whatever page is on screen now.
    const shift = new DOMMatrixReadOnly(getComputedStyle(content).transform === 'none' ? undefined : getComputedStyle(content).transform).m41
    const walker = document.createTreeWalker(content, NodeFilter.SHOW_TEXT)
    const stray: string[] = []
    let lines = 0
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const range = document.createRange()
      range.selectNodeContents(node)
      for (const rect of range.getClientRects()) {
        if (rect.width === 0) continue
        lines++
        const left = rect.left - box.left - shift
        const top = rect.top - box.top
        const onPage = Math.floor((left + 0.5) / pageWidth)
        const inside = top >= -0.5 && top + rect.height <= box.height + 0.5 && left - onPage * pageWidth >= -0.5 && left + rect.width - onPage * pageWidth <= box.width + 0.5
        if (!inside || onPage >= pages) stray.push(`${(node.textContent ?? '').slice(0, 20)}… at (${Math.round(left)}, ${Math.round(top)}) ${Math.round(rect.width)}×${Math.round(rect.height)}`)
      }
    }
    return { pages, fontSize: parseFloat(getComputedStyle(content).fontSize), lines, strayLines: stray.slice(0, 10) }
  })
}
