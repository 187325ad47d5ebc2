// The first item's picture that the browser shell drew into the page itself (FIRST_PICTURE_ELEMENT_ID),
// painted before this script ran. The Rotator takes it over for its first turn (proof of play starts
// at its paint) and removes it once its own copy is on screen; anything else removes it at once.
import { FIRST_PICTURE_ELEMENT_ID } from '../../contract/screen'

export interface FirstPicture {
  /** When the browser painted it (epoch ms), or null when it never will (it failed to load). */
  paintedAt: Promise<number | null>
  remove(): void
}

/** Element Timing's entry (not in TypeScript's DOM library yet). */
interface ElementTimingEntry extends PerformanceEntry {
  identifier: string
  renderTime: number
  loadTime: number
}

let picture = document.getElementById(FIRST_PICTURE_ELEMENT_ID) as HTMLImageElement | null
let adopted = false

/** The page's picture when it shows this item, taken over by the caller; null otherwise. */
export function adoptFirstPicture(itemId: string, src: string): FirstPicture | null {
  const image = picture
  if (!image || adopted || image.dataset.itemId !== itemId || image.getAttribute('src') !== src) return null
  adopted = true
  return { paintedAt: paintTime(image), remove: dropFirstPicture }
}

/** Removes the page's picture (nothing adopted it, or its owner's own copy is on screen now). */
export function dropFirstPicture(): void {
  picture?.remove()
  picture = null
}

export function firstPictureAdopted(): boolean {
  return adopted
}

/** The browser's own paint time of the picture (element timing), else the frame after it decoded. */
function paintTime(image: HTMLImageElement): Promise<number | null> {
  return new Promise((resolve) => {
    image.addEventListener('error', () => resolve(null), { once: true })
    if (image.complete && image.naturalWidth === 0) return resolve(null)
    if (PerformanceObserver.supportedEntryTypes.includes('element')) {
      const observer = new PerformanceObserver((list) => {
        const entry = (list.getEntries() as ElementTimingEntry[]).find((e) => e.identifier === FIRST_PICTURE_ELEMENT_ID)
        if (!entry) return
        observer.disconnect()
        resolve(performance.timeOrigin + (entry.renderTime || entry.startTime))
      })
      observer.observe({ type: 'element', buffered: true })
      return
    }
    image.decode().then(
      () => requestAnimationFrame((t) => resolve(performance.timeOrigin + t)),
      () => resolve(null)
    )
  })
}
