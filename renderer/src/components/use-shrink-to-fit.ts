// Shrinks one element's type (from its stylesheet size down to a floor) until its box fits: how a board
// name of up to 200 characters, wrapped anywhere, stays whole on screen instead of spilling or being cut.
import { useLayoutEffect, type RefObject } from 'react'
import { largestFittingSize } from '../fit-text'

/** Below this nothing is readable anyway; a name that still does not fit is left at it (never cut). */
const FLOOR_PX = 6

/**
 * True when `box` shows all it holds: each of its children inside its content box (padding kept clear,
 * on every side: centred content overflows both ways), and nothing hidden inside `target` itself.
 */
export function showsAll(box: HTMLElement, target: HTMLElement): boolean {
  if (target.scrollWidth > target.clientWidth + 1 || target.scrollHeight > target.clientHeight + 1) return false
  const outer = box.getBoundingClientRect()
  const style = getComputedStyle(box)
  const left = outer.left + box.clientLeft + parseFloat(style.paddingLeft) - 0.5
  const top = outer.top + box.clientTop + parseFloat(style.paddingTop) - 0.5
  const right = outer.left + box.clientLeft + box.clientWidth - parseFloat(style.paddingRight) + 0.5
  const bottom = outer.top + box.clientTop + box.clientHeight - parseFloat(style.paddingBottom) + 0.5
  for (const child of box.children) {
    const r = child.getBoundingClientRect()
    if (r.width === 0 && r.height === 0) continue
    if (r.left < left || r.top < top || r.right > right || r.bottom > bottom) return false
  }
  return true
}

/**
 * Keeps `target` at the largest size up to its stylesheet size at which `box` (the target or a block
 * holding it) shows everything. Refits when the box is resized, when the fonts arrive and when `deps` change.
 * With `hideBelowPx`, a target that would have to go smaller than that is not shown at all: for a line
 * the screen can do without (a board's name beside its pairing code), tiny is worse than absent.
 */
export function useShrinkToFit(target: RefObject<HTMLElement | null>, box: RefObject<HTMLElement | null>, deps: unknown[], opts: { hideBelowPx?: number } = {}): void {
  useLayoutEffect(() => {
    const element = target.current
    const container = box.current
    if (!element || !container) return
    const fit = (): void => {
      element.style.removeProperty('font-size')
      element.style.removeProperty('display')
      if (showsAll(container, element)) return
      const natural = parseFloat(getComputedStyle(element).fontSize)
      const size = largestFittingSize(
        {
          fitsAt(px) {
            element.style.fontSize = `${px}px`
            return showsAll(container, element)
          }
        },
        Math.min(FLOOR_PX, natural),
        natural
      )
      element.style.fontSize = `${size}px`
      if (opts.hideBelowPx !== undefined && size < opts.hideBelowPx) element.style.display = 'none'
    }
    fit()
    const observer = new ResizeObserver(fit)
    observer.observe(container)
    void document.fonts.ready.then(fit)
    return () => observer.disconnect()
    // The caller names what the fit depends on (the text, what else shares the box).
  }, deps)
}
