// How an emergency's text area is shared: measured on a hidden copy set at the title's smallest
// allowed size. When title and body fit together there, they are fitted together (as large as they
// fit); otherwise the title gets the share it needs at that size and the body pages below it.
import { useLayoutEffect, useRef, useState } from 'react'
import { minFontPx } from './FitText'

/** The title never takes less than this share (it stays prominent) nor more (the body keeps a few lines). */
const MIN_SHARE = 0.3
const MAX_SHARE = 0.65

export interface TitleShare {
  areaRef: React.RefObject<HTMLDivElement | null>
  probeRef: React.RefObject<HTMLDivElement | null>
  /** Title and body fit the area together at the title's floor: one fitted block. */
  together: boolean
  /** Otherwise, the title's share of the area's height. */
  share: number
  /** The area size (w×h) this was measured for: tests wait for it after a resize. */
  measuredFor: string
}

export function useTitleShare(title: string, body: string, floorPx: number): TitleShare {
  const areaRef = useRef<HTMLDivElement>(null)
  const probeRef = useRef<HTMLDivElement>(null)
  const [layout, setLayout] = useState({ together: true, share: 0.4, measuredFor: '' })
  useLayoutEffect(() => {
    const area = areaRef.current
    const probe = probeRef.current
    if (!area || !probe) return
    const measure = (): void => {
      if (area.clientHeight === 0) return
      // The probe is title and body as wide as the text's box, at the smallest size FitText would use
      // for them together there (the title's floor, or FitText's own floor for that box if higher).
      // A few pixels to spare: rounding must not turn "fits" into a second page.
      const margins = 2 * parseFloat(getComputedStyle(probe).top)
      probe.style.fontSize = `${Math.max(floorPx, minFontPx(area.clientHeight - margins))}px`
      const together = probe.getBoundingClientRect().height + margins + 4 <= area.clientHeight
      // The title alone at its floor: the share it needs when the body pages below it.
      probe.style.fontSize = `${floorPx}px`
      const heading = probe.firstElementChild!.getBoundingClientRect().height + margins
      const share = Math.min(MAX_SHARE, Math.max(MIN_SHARE, (heading + 2) / area.clientHeight))
      const measuredFor = `${area.clientWidth}x${area.clientHeight}`
      setLayout((old) => (old.together === together && old.share === share && old.measuredFor === measuredFor ? old : { together, share, measuredFor }))
    }
    measure()
    // The area resizes with the screen; the probe when the bundled font arrives and changes the wrap.
    const observer = new ResizeObserver(measure)
    observer.observe(area)
    observer.observe(probe)
    return () => observer.disconnect()
  }, [title, body, floorPx])
  return { areaRef, probeRef, ...layout }
}
