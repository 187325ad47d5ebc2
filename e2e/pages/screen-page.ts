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

  /** The active slide's text box: how much of the text overflows it, and whether it is visible. */
  async textFit(): Promise<{ overflowX: number; overflowY: number; fontSize: number; scrolling: boolean }> {
    return this.activeSlide.locator('[data-testid="text-content"]').evaluate((content) => {
      const box = content.parentElement!
      return {
        overflowX: content.scrollWidth - box.clientWidth,
        overflowY: content.scrollHeight - box.clientHeight,
        fontSize: parseFloat(getComputedStyle(content).fontSize),
        scrolling: box.classList.contains('scrolling')
      }
    })
  }

  /** currentTime of the active video. */
  videoTime(): Promise<number> {
    return this.activeSlide.locator('video').evaluate((v) => (v as HTMLVideoElement).currentTime)
  }
}
