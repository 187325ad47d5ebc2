// Finds the largest font size at which a block of text fits its box with nothing clipped.

export interface FitMeasure {
  /** Applies the size and reports whether the content now fits (no overflow either way). */
  fitsAt(fontSizePx: number): boolean
}

/**
 * Binary search over font sizes in `[min, max]` (whole pixels). Returns the largest fitting size, or
 * `min` when even that overflows (the caller then splits the text into pages).
 */
export function largestFittingSize(measure: FitMeasure, min: number, max: number): number {
  let low = Math.floor(min)
  let high = Math.max(low, Math.floor(max))
  if (measure.fitsAt(high)) return high
  while (high - low > 1) {
    const mid = Math.floor((low + high) / 2)
    if (measure.fitsAt(mid)) low = mid
    else high = mid
  }
  return low
}
