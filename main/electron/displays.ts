// Which display(s) the kiosk fills: the configured ids when connected, else the largest. Displays come
// and go (an HDMI panel powered on late, a cable swapped), so the choice is re-made on every change.
import type { Display, Rectangle } from 'electron'

export type DisplayLike = Pick<Display, 'id'> & { bounds: Rectangle }

const area = (d: DisplayLike): number => d.bounds.width * d.bounds.height

/**
 * The displays to fill, in a stable order. Configured ids that are connected win; if none is connected,
 * the largest display (ties: the left-most, then the lowest id) so the choice does not flicker.
 */
export function pickDisplays(displays: readonly DisplayLike[], wanted: { ids: readonly number[]; all: boolean }): DisplayLike[] {
  if (displays.length === 0) return []
  if (wanted.all) return [...displays].sort((a, b) => a.bounds.x - b.bounds.x || a.bounds.y - b.bounds.y || a.id - b.id)
  const configured = wanted.ids.map((id) => displays.find((d) => d.id === id)).filter((d): d is DisplayLike => d !== undefined)
  if (configured.length > 0) return configured
  const largest = [...displays].sort((a, b) => area(b) - area(a) || a.bounds.x - b.bounds.x || a.id - b.id)[0]!
  return [largest]
}

export const sameBounds = (a: Rectangle, b: Rectangle): boolean =>
  a.x === b.x && a.y === b.y && a.width === b.width && a.height === b.height
