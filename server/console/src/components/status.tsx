// Progress and outcome messages: a loading line, a progress bar for long actions (uploads, publishing),
// a success notice, and a load error with a retry button. All announced to screen readers.
import type { ReactNode } from 'react'
import type { ApiError } from '../api/client'
import { useI18n } from '../i18n/i18n'

export function Loading({ label }: { label?: string }) {
  const { t } = useI18n()
  return (
    <p className="loading" role="status">
      <span className="spinner" aria-hidden="true" /> {label ?? t('app.loading')}
    </p>
  )
}

/** `value` from 0 to 1, or null when the total is unknown. */
export function ProgressBar({ label, value }: { label: string; value: number | null }) {
  return (
    <div className="progress">
      <span className="progress-label">{label}</span>
      {value === null ? (
        <progress aria-label={label} />
      ) : (
        <progress aria-label={label} max={100} value={Math.round(value * 100)}>
          {Math.round(value * 100)}%
        </progress>
      )}
    </div>
  )
}

export function Notice({ children, tone = 'success' }: { children: ReactNode; tone?: 'success' | 'info' | 'warning' }) {
  return (
    <div className={`notice notice-${tone}`} role="status">
      {children}
    </div>
  )
}

export function LoadError({ error, onRetry }: { error: ApiError; onRetry?: () => void }) {
  const { t, lang } = useI18n()
  return (
    <div className="form-error" role="alert">
      <p>{error.text(lang)}</p>
      {onRetry ? (
        <button type="button" className="button" onClick={onRetry}>
          {t('app.retry')}
        </button>
      ) : null}
    </div>
  )
}
