// Small hooks the slides share: the latest callback, a turn timer, and "ready on mount".
import { useEffect, useRef } from 'react'

/** The latest value of a callback, so effects can call it without restarting when it changes identity. */
export function useLatest<T>(value: T): { readonly current: T } {
  const ref = useRef(value)
  ref.current = value
  return ref
}

/** Ends a slide after its duration, counted from the moment it became active. */
export function useSlideTimer(active: boolean, durationMs: number, onEnded: () => void): void {
  const ended = useLatest(onEnded)
  useEffect(() => {
    if (!active || durationMs <= 0) return
    const timer = setTimeout(() => ended.current(), durationMs)
    return () => clearTimeout(timer)
  }, [active, durationMs, ended])
}

/** For slides that are ready as soon as they are laid out (text, ticker). */
export function useReadyOnMount(onReady: () => void): void {
  const ready = useLatest(onReady)
  useEffect(() => ready.current(), [ready])
}
