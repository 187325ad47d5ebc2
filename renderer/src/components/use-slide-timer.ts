// Ends a slide after its duration, counted from the moment it became active.
import { useEffect, useRef } from 'react'

/** The latest value of a callback, so effects can call it without restarting when it changes identity. */
export function useLatest<T>(value: T): { readonly current: T } {
  const ref = useRef(value)
  ref.current = value
  return ref
}

export function useSlideTimer(active: boolean, durationMs: number, onEnded: () => void): void {
  const ended = useLatest(onEnded)
  useEffect(() => {
    if (!active || durationMs <= 0) return
    const timer = setTimeout(() => ended.current(), durationMs)
    return () => clearTimeout(timer)
  }, [active, durationMs, ended])
}
