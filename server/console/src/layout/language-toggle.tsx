// Switches the page between Vietnamese and English; the choice is remembered (i18n.ts).
import { useI18n } from '../i18n/i18n'

export function LanguageToggle() {
  const { t, lang, setLang } = useI18n()
  const other = lang === 'vi' ? 'en' : 'vi'
  return (
    <button type="button" className="button ghost lang-toggle" lang={other} aria-label={t('app.language.switchLabel')} onClick={() => setLang(other)}>
      {t('app.language.switch')}
    </button>
  )
}
