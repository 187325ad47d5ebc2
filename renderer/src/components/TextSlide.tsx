// A text notice, auto-fitted to the largest size at which nothing is clipped, at any resolution.
import { useEffect, useLayoutEffect, useRef, useState } from 'react'
import type { ScreenItem } from '../../../contract/screen'
import { largestFittingSize } from '../fit-text'
import type { SlideProps } from './slide-props'
import { useSlideTimer } from './use-slide-timer'

type TextItem = Extract<ScreenItem, { kind: 'text' }>

/**
 * Below this the text is unreadable from across a square: 28 px on a full screen, an eighth of the
 * height on a short LED strip, never under 14 px. A notice that does not fit at it scrolls upward
 * during its turn instead of shrinking further.
 */
const minFontPx = (boxHeight: number): number => Math.max(14, Math.min(28, Math.round(boxHeight / 8)))
/** Share of the turn the text rests at its start and its end before and after scrolling. */
const SCROLL_REST = 0.15

export function TextSlide({ item, active, onEnded }: SlideProps<TextItem>) {
  const boxRef = useRef<HTMLDivElement>(null)
  const contentRef = useRef<HTMLDivElement>(null)
  const [overflowPx, setOverflowPx] = useState(0)
  useSlideTimer(active, item.durationMs, onEnded)

  useLayoutEffect(() => {
    const box = boxRef.current
    const content = contentRef.current
    if (!box || !content) return
    const fit = (): void => {
      const min = minFontPx(box.clientHeight)
      const size = largestFittingSize(
        {
          fitsAt(px) {
            content.style.fontSize = `${px}px`
            return content.scrollHeight <= box.clientHeight && content.scrollWidth <= box.clientWidth
          }
        },
        min,
        Math.max(min, box.clientHeight / 3)
      )
      content.style.fontSize = `${size}px`
      content.dataset.fitSize = String(size)
      setOverflowPx(Math.max(0, content.scrollHeight - box.clientHeight))
    }
    fit()
    const observer = new ResizeObserver(fit)
    observer.observe(box)
    // Metrics change when the bundled font finishes loading.
    void document.fonts.ready.then(fit)
    return () => observer.disconnect()
  }, [item.title, item.body])

  // Too long for the box even at the smallest readable size: scroll it through during the turn.
  useEffect(() => {
    const content = contentRef.current
    if (!active || !content || overflowPx <= 0) return
    const animation = content.animate(
      [
        { transform: 'translateY(0)', offset: 0 },
        { transform: 'translateY(0)', offset: SCROLL_REST },
        { transform: `translateY(-${overflowPx}px)`, offset: 1 - SCROLL_REST },
        { transform: `translateY(-${overflowPx}px)`, offset: 1 }
      ],
      { duration: Math.max(item.durationMs, 1000), fill: 'forwards', easing: 'linear' }
    )
    return () => animation.cancel()
  }, [active, overflowPx, item.durationMs])

  return (
    <div className={overflowPx > 0 ? 'text-box scrolling' : 'text-box'} ref={boxRef}>
      <div className="text-content" ref={contentRef} data-testid="text-content" data-overflow-px={overflowPx}>
        {item.title ? <h1 className="text-title">{item.title}</h1> : null}
        {item.body.split(/\n{2,}/).map((paragraph, index) => (
          <p key={index}>{paragraph}</p>
        ))}
      </div>
    </div>
  )
}
