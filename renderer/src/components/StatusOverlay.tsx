// The technician's status overlay: Ctrl+Alt+I opens and closes it, Escape closes it, and it hides by
// itself after two minutes so a public board is never left showing it. It fits any screen shape
// without scrolling: columns by aspect ratio and a first type size from the short side (CSS), then the
// largest type at which nothing overflows (measured).
import { useEffect, useLayoutEffect, useRef, useState } from 'react'
import { useShallow } from 'zustand/react/shallow'
import { largestFittingSize } from '../fit-text'
import { chromiumVersion } from '../status-format'
import { statusRows, type StatusRow } from '../status-rows'
import { useScreenStore } from '../store'

export const AUTO_HIDE_MS = 2 * 60_000
/** Below this even a technician on a ladder cannot read it; the bounded values keep it from being needed. */
const MIN_FONT_PX = 7
/** Large enough to read from the floor on a full HD board; more would only look shouty. */
const MAX_FONT_PX = 32

/** Ctrl+Alt+I: no browser or kiosk binding uses it, and a stray keyboard is unlikely to press it. */
export function isStatusChord(event: Pick<KeyboardEvent, 'ctrlKey' | 'altKey' | 'shiftKey' | 'metaKey' | 'code'>): boolean {
  return event.ctrlKey && event.altKey && !event.shiftKey && !event.metaKey && event.code === 'KeyI'
}

export function StatusOverlay() {
  const [open, setOpen] = useState(false)

  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      if (isStatusChord(event)) {
        event.preventDefault()
        if (!event.repeat) setOpen((o) => !o)
      } else if (event.key === 'Escape') setOpen(false)
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [])

  useEffect(() => {
    if (!open) return
    const timer = setTimeout(() => setOpen(false), AUTO_HIDE_MS)
    return () => clearTimeout(timer)
  }, [open])

  // Closed, it subscribes to nothing: the status arriving every 2 s costs no render.
  return open ? <StatusPanel /> : null
}

function StatusPanel() {
  const { status, zones, nowPlaying, emergency, pairing, displayOn, timeZone } = useScreenStore(
    useShallow((s) => ({
      status: s.status,
      zones: s.zones,
      nowPlaying: s.nowPlaying,
      emergency: s.emergency,
      pairing: s.pairing,
      displayOn: s.displayOn,
      timeZone: s.board.timeZone
    }))
  )
  const browser = useBrowserVersion()
  const rows = statusRows(status, { zones, nowPlaying, emergency, pairing, displayOn, timeZone, browser })
  const panelRef = useRef<HTMLDivElement>(null)
  const rowsRef = useRef<HTMLDivElement>(null)
  useFitPanel(panelRef, rowsRef, rows.map((r) => r.value).join('\n'))

  return (
    <div className="status-overlay" ref={panelRef} data-testid="status-overlay" role="dialog" aria-label="Trạng thái thiết bị / Device status">
      <div className="status-head">
        <span className="status-title">
          Trạng thái thiết bị <span className="status-en">/ Device status</span>
        </span>
        <span className="status-hint">
          {status ? null : 'Chưa nhận trạng thái / No status yet · '}Esc: đóng <span className="status-en">/ close</span>
        </span>
      </div>
      <div className="status-rows" ref={rowsRef}>
        {rows.map((row) => (
          <Row key={row.id} row={row} />
        ))}
      </div>
    </div>
  )
}

function Row({ row }: { row: StatusRow }) {
  return (
    <div className="status-row" data-testid="status-row" data-row={row.id}>
      <span className="status-label">
        {row.vi} <span className="status-en">/ {row.en}</span>
      </span>
      <span className="status-value">{row.value}</span>
    </div>
  )
}

/** User-Agent Client Hints; not in TypeScript's DOM types yet. */
interface UserAgentData {
  getHighEntropyValues(hints: string[]): Promise<{ fullVersionList?: { brand: string; version: string }[] }>
}

/** The browser's full version: the user agent's at once, the client hints' (not reduced to x.0.0.0) when they answer. */
function useBrowserVersion(): string {
  const [browser, setBrowser] = useState(() => chromiumVersion(navigator.userAgent))
  useEffect(() => {
    const data = (navigator as Navigator & { userAgentData?: UserAgentData }).userAgentData
    let current = true
    data?.getHighEntropyValues(['fullVersionList']).then(
      ({ fullVersionList }) => current && setBrowser(chromiumVersion(navigator.userAgent, fullVersionList)),
      () => undefined
    )
    return () => {
      current = false
    }
  }, [])
  return browser
}

/**
 * The largest type at which nothing overflows (an overflowing column spills to the right, so the width
 * is checked too): on a wide LED strip that is well above what the short side alone suggests. Runs
 * when the text or the screen changes (a few layouts of a small panel), never per frame.
 */
function useFitPanel(panelRef: React.RefObject<HTMLDivElement | null>, rowsRef: React.RefObject<HTMLDivElement | null>, text: string): void {
  useLayoutEffect(() => {
    const panel = panelRef.current
    const rows = rowsRef.current
    if (!panel || !rows) return
    const fit = (): void => {
      const fits = (): boolean =>
        rows.scrollHeight <= rows.clientHeight && rows.scrollWidth <= rows.clientWidth && panel.scrollHeight <= panel.clientHeight && panel.scrollWidth <= panel.clientWidth
      const size = largestFittingSize(
        {
          fitsAt(px) {
            panel.style.fontSize = `${px}px`
            return fits()
          }
        },
        MIN_FONT_PX,
        MAX_FONT_PX
      )
      panel.style.fontSize = `${size}px`
      panel.dataset.fitSize = String(size)
    }
    fit()
    const observer = new ResizeObserver(fit)
    observer.observe(panel)
    // Metrics change when the bundled font finishes loading.
    void document.fonts.ready.then(fit)
    return () => observer.disconnect()
  }, [panelRef, rowsRef, text])
}
