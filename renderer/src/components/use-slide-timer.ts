// Small hooks the slides share: the latest callback, and "ready on mount".
import { useEffect, useRef } from 'react'

/** The latest value of a callback, so effects can call it without restarting when it changes identity. */
export function useLatest<T>(value: T): { readonly current: T } {
  const ref = useRef(value)
  ref.current = value
  return ref
}

/** For slides that are ready as soon as they are laid out (text, ticker). */
export function useReadyOnMount(onReady: () => void): void {
  const ready = useLatest(onReady)
  useEffect(() => ready.current(), [ready])
}
