// How much of an emergency's text area its title takes: what the title needs at its smallest allowed
// size (measured on a hidden copy), so a long title is never paged and a short one leaves the body room.
import { useLayoutEffect, useRef, useState } from 'react'

/** The title never takes less than this share (it stays prominent) nor more (the body keeps a few lines). */
const MIN_SHARE = 0.3
const MAX_SHARE = 0.65

export function useTitleShare(title: string, floorPx: number): {
  areaRef: React.RefObject<HTMLDivElement | null>
  probeRef: React.RefObject<HTMLDivElement | null>
  share: number
} {
  const areaRef = useRef<HTMLDivElement>(null)
  const probeRef = useRef<HTMLDivElement>(null)
  const [share, setShare] = useState(0.4)
  useLayoutEffect(() => {
    const area = areaRef.current
    const probe = probeRef.current
    if (!area || !probe) return
    const measure = (): void => {
      if (area.clientHeight === 0) return
      // The probe is the title at the floor size, as wide as the title's box; its box adds the margins.
      const needed = probe.getBoundingClientRect().height + 2 * parseFloat(getComputedStyle(probe).top)
      setShare(Math.min(MAX_SHARE, Math.max(MIN_SHARE, (needed + 2) / area.clientHeight)))
    }
    measure()
    // The area resizes with the screen; the probe when the bundled font arrives and changes the wrap.
    const observer = new ResizeObserver(measure)
    observer.observe(area)
    observer.observe(probe)
    return () => observer.disconnect()
  }, [title, floorPx])
  return { areaRef, probeRef, share }
}
