// A title and body laid out at the largest font size at which nothing is clipped. When even the
// smallest readable size does not fit, the text is split into pages (CSS columns exactly one box
// wide and high, so a line is never cut in half) shown one after another during the turn.
import { useEffect, useLayoutEffect, useRef, useState } from 'react'
import { largestFittingSize } from '../fit-text'

/**
 * Below this the text is unreadable from across a square: 28 px on a full screen, an eighth of the
 * height on a short LED strip, never under 14 px.
 */
export const minFontPx = (boxHeight: number): number => Math.max(SMALLEST_FONT_PX, Math.min(28, Math.round(boxHeight / 8)))
/** No text is ever set smaller than this. */
export const SMALLEST_FONT_PX = 14
/** Space between pages (columns); they are never on screen together, so any gap works. */
const PAGE_GAP_PX = 64

interface FitTextProps {
  title?: string
  body?: string
  /** A floor above the default one (e.g. an emergency title that must read from across a square). */
  minFontPx?: number
  /** A ceiling below the default third of the box (e.g. a body never larger than its title). */
  maxFontPx?: number
  /** A share (0–1] of the largest fitting size to use instead (a calmer page), never under the floor. */
  scale?: number
  /** Paging runs only while active, spread over this long. */
  active: boolean
  durationMs: number
  className?: string
}

/** A body's paragraphs: split at blank lines, empty ones dropped. */
export const paragraphs = (body: string): string[] => body.split(/\n{2,}/).filter((paragraph) => paragraph.trim())

export function FitText({ title, body = '', minFontPx: floor, maxFontPx: ceiling, scale = 1, active, durationMs, className }: FitTextProps) {
  const boxRef = useRef<HTMLDivElement>(null)
  const contentRef = useRef<HTMLDivElement>(null)
  const [pages, setPages] = useState(1)
  const [page, setPage] = useState(0)
  const [pageWidth, setPageWidth] = useState(0)

  useLayoutEffect(() => {
    const box = boxRef.current
    const content = contentRef.current
    if (!box || !content) return
    const fit = (): void => {
      // Measure as a single page first.
      content.classList.remove('paged')
      content.style.removeProperty('height')
      content.style.removeProperty('column-width')
      const min = Math.max(minFontPx(box.clientHeight), floor ?? 0)
      // Sized with words kept whole: a size at which a word only fits broken in two ("CẢN / H") is
      // too big. Only a word longer than a whole line at the smallest size may then break anywhere.
      content.style.overflowWrap = 'normal'
      const largest = largestFittingSize(
        {
          fitsAt(px) {
            content.style.fontSize = `${px}px`
            return content.scrollHeight <= box.clientHeight && content.scrollWidth <= box.clientWidth
          }
        },
        min,
        Math.max(min, Math.min(box.clientHeight / 3, ceiling ?? Infinity))
      )
      // Smaller than a size that fits still fits, so scaling down never clips.
      const size = Math.max(min, Math.floor(largest * scale))
      content.style.fontSize = `${size}px`
      content.style.overflowWrap = content.scrollWidth > box.clientWidth ? 'anywhere' : 'normal'
      content.dataset.fitSize = String(size)
      let count = 1
      if (content.scrollHeight > box.clientHeight) {
        content.classList.add('paged')
        content.style.height = `${box.clientHeight}px`
        content.style.columnWidth = `${box.clientWidth}px`
        count = Math.max(1, Math.round((content.scrollWidth + PAGE_GAP_PX) / (box.clientWidth + PAGE_GAP_PX)))
      }
      setPages(count)
      setPageWidth(box.clientWidth + PAGE_GAP_PX)
      setPage(0)
    }
    fit()
    const observer = new ResizeObserver(fit)
    observer.observe(box)
    // Metrics change when the bundled font finishes loading.
    void document.fonts.ready.then(fit)
    return () => observer.disconnect()
  }, [title, body, floor, ceiling, scale])

  useEffect(() => {
    if (!active || pages <= 1) return
    setPage(0)
    const perPage = Math.max(1000, durationMs / pages)
    const timer = setInterval(() => setPage((p) => (p + 1) % pages), perPage)
    return () => clearInterval(timer)
  }, [active, pages, durationMs])

  return (
    <div className={`text-box${pages > 1 ? ' paging' : ''}${className ? ` ${className}` : ''}`} ref={boxRef}>
      <div
        className="text-content"
        ref={contentRef}
        data-testid="text-content"
        data-pages={pages}
        data-page={page}
        style={{ columnGap: `${PAGE_GAP_PX}px`, transform: pages > 1 ? `translateX(${-page * pageWidth}px)` : undefined }}
      >
        {title ? <h1 className="text-title">{title}</h1> : null}
        {paragraphs(body).map((paragraph, index) => (
          <p key={index}>{paragraph}</p>
        ))}
      </div>
    </div>
  )
}
