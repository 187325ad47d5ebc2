// A new API token's secret, shown once: in a read-only field (selectable by hand), with a copy button and
// the warning that it will not be shown again. The server keeps only its hash, so this is the only chance.
import { useRef, useState } from 'react'
import type { CreatedToken } from '../api/tokens'
import { Notice } from '../components/status'
import { useI18n } from '../i18n/i18n'

export function TokenSecret({ created, onHide }: { created: CreatedToken; onHide: () => void }) {
  const { t } = useI18n()
  const field = useRef<HTMLInputElement>(null)
  const [copied, setCopied] = useState<'yes' | 'no' | null>(null)
  const copy = async (): Promise<void> => {
    try {
      await navigator.clipboard.writeText(created.token)
      setCopied('yes')
    } catch {
      // No clipboard (plain http on a LAN address is not a secure context): select it for Ctrl+C.
      field.current?.focus()
      field.current?.select()
      setCopied('no')
    }
  }
  return (
    <Notice tone="warning">
      <div className="token-secret" data-testid="token-secret">
        <h2>{t('tokens.secretTitle', { name: created.name })}</h2>
        <p>
          <strong>{t('tokens.secretOnce')}</strong>
        </p>
        <div className="field">
          <label htmlFor="token-secret-value">{t('tokens.secretLabel')}</label>
          <div className="token-secret-row">
            <input id="token-secret-value" ref={field} className="one-time" readOnly value={created.token} spellCheck={false} autoComplete="off" onFocus={(e) => e.target.select()} />
            <button type="button" className="button primary" onClick={() => void copy()}>
              {t('tokens.copy')}
            </button>
          </div>
        </div>
        <p aria-live="polite">{copied === 'yes' ? t('tokens.copied') : copied === 'no' ? t('tokens.copyFailed') : ''}</p>
        <p className="muted">{t('tokens.secretUse')}</p>
        <button type="button" className="button" onClick={onHide}>
          {t('tokens.hide')}
        </button>
      </div>
    </Notice>
  )
}
