// Runs a user's action (a form submit, a button): busy while it runs (for progress and disabled buttons),
// its error as an ApiError to show next to the field it names, and no double submits.
import { useCallback, useRef, useState } from 'react'
import { asApiError, type ApiError } from '../api/client'

export interface Action<A extends unknown[]> {
  run: (...args: A) => Promise<boolean>
  busy: boolean
  error: ApiError | null
  /** The error when it names this form field (`password`, `unitId`), else null. */
  errorFor: (field: string) => ApiError | null
  /** The error when it names no field of this form (shown at the top of the form). */
  formError: (fields: readonly string[]) => ApiError | null
  setError: (error: ApiError | null) => void
}

export function useAction<A extends unknown[]>(action: (...args: A) => Promise<unknown>): Action<A> {
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<ApiError | null>(null)
  const running = useRef(false)
  const latest = useRef(action)
  latest.current = action
  const run = useCallback(async (...args: A) => {
    if (running.current) return false
    running.current = true
    setBusy(true)
    setError(null)
    try {
      await latest.current(...args)
      return true
    } catch (caught) {
      setError(asApiError(caught))
      return false
    } finally {
      running.current = false
      setBusy(false)
    }
  }, [])
  return {
    run,
    busy,
    error,
    setError,
    errorFor: (field) => (error && error.formField === field ? error : null),
    formError: (fields) => (error && (error.formField === null || !fields.includes(error.formField)) ? error : null)
  }
}
