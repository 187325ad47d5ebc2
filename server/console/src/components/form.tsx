// Form parts with proper labels: each field's error is shown under it (aria-describedby, aria-invalid) in
// the page's language; a form-level error above the form; a submit button that shows progress.
import { useId, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes } from 'react'
import type { ApiError } from '../api/client'
import { useI18n } from '../i18n/i18n'

interface FieldProps {
  label: string
  error?: ApiError | string | null
  hint?: string
}

function describedBy(id: string, hint?: string, error?: unknown): string | undefined {
  const ids = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean)
  return ids.length ? ids.join(' ') : undefined
}

function ErrorText({ id, error }: { id: string; error: ApiError | string }) {
  const { lang } = useI18n()
  return (
    <p className="field-error" id={id}>
      {typeof error === 'string' ? error : error.text(lang)}
    </p>
  )
}

export function TextField({ label, error, hint, ...input }: FieldProps & InputHTMLAttributes<HTMLInputElement>) {
  const id = useId()
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} aria-invalid={error ? true : undefined} aria-describedby={describedBy(id, hint, error)} {...input} />
      {hint ? (
        <p className="field-hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      {error ? <ErrorText id={`${id}-error`} error={error} /> : null}
    </div>
  )
}

export function SelectField({ label, error, hint, children, ...select }: FieldProps & SelectHTMLAttributes<HTMLSelectElement> & { children: ReactNode }) {
  const id = useId()
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} aria-invalid={error ? true : undefined} aria-describedby={describedBy(id, hint, error)} {...select}>
        {children}
      </select>
      {hint ? (
        <p className="field-hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      {error ? <ErrorText id={`${id}-error`} error={error} /> : null}
    </div>
  )
}

/** An error that names no field of the form: shown above it, announced. */
export function FormError({ error }: { error: ApiError | null }) {
  const { lang } = useI18n()
  if (!error) return null
  return (
    <div className="form-error" role="alert">
      {error.text(lang)}
    </div>
  )
}

/** A submit button that says it is working (and cannot be pressed twice) while `busy`. */
export function SubmitButton({ busy, children, className }: { busy: boolean; children: ReactNode; className?: string }) {
  const { t } = useI18n()
  return (
    <button type="submit" className={className ?? 'button primary'} disabled={busy} aria-busy={busy}>
      {busy ? (
        <>
          <span className="spinner" aria-hidden="true" /> {t('app.busy')}
        </>
      ) : (
        children
      )}
    </button>
  )
}
