// A labelled multi-line field (the notice's body, a ticker's text), with its hint and error as TextField has.
import { useId, type TextareaHTMLAttributes } from 'react'
import type { ApiError } from '../api/client'
import { useI18n } from '../i18n/i18n'

export function TextAreaField({ label, error, hint, ...area }: { label: string; error?: ApiError | string | null; hint?: string } & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  const id = useId()
  const { lang } = useI18n()
  const described = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(' ')
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <textarea id={id} aria-invalid={error ? true : undefined} aria-describedby={described || undefined} {...area} />
      {hint ? (
        <p className="field-hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      {error ? (
        <p className="field-error" id={`${id}-error`}>
          {typeof error === 'string' ? error : error.text(lang)}
        </p>
      ) : null}
    </div>
  )
}
