// Loads a page's data (GET calls): loading, the data, or an ApiError to show with a retry; reload() after
// a change. A load that finishes after the page went away is ignored.
import { useCallback, useEffect, useRef, useState } from 'react'
import { asApiError, type ApiError } from '../api/client'

export interface Loaded<T> {
  data: T | null
  error: ApiError | null
  loading: boolean
  reload: () => void
}

export function useLoad<T>(load: () => Promise<T>, deps: readonly unknown[] = []): Loaded<T> {
  const [data, setData] = useState<T | null>(null)
  const [error, setError] = useState<ApiError | null>(null)
  const [loading, setLoading] = useState(true)
  const [round, setRound] = useState(0)
  const latest = useRef(load)
  latest.current = load
  useEffect(() => {
    let live = true
    setLoading(true)
    latest
      .current()
      .then((value) => {
        if (!live) return
        setData(value)
        setError(null)
      })
      .catch((caught: unknown) => {
        if (live) setError(asApiError(caught))
      })
      .finally(() => {
        if (live) setLoading(false)
      })
    return () => {
      live = false
    }
  }, [round, ...deps])
  const reload = useCallback(() => setRound((r) => r + 1), [])
  return { data, error, loading, reload }
}
