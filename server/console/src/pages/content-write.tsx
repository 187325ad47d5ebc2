// Writing content: a text notice (title, body) with the boards' live preview, a ticker (text and a speed
// preset), a live stream (a name and an HLS address). Errors appear under the field the server names.
import { useState, type FormEvent } from 'react'
import { TEXT_SCHEMES, TEXT_SIZES, type TextScheme, type TextSize } from '../../../../main/core/protocol/manifest'
import { api } from '../api/client'
import { ContentItem, TICKER_SPEEDS, type TickerSpeed } from '../api/library'
import { FormError, SelectField, SubmitButton, TextField } from '../components/form'
import { Notice } from '../components/status'
import { TextAreaField } from '../components/text-area'
import { useAction } from '../components/use-action'
import { useI18n } from '../i18n/i18n'
import { BoardPreviews } from './board-preview'

type WriteKind = 'text' | 'ticker' | 'stream'

export function WriteContent({ unitId, onSaved }: { unitId: string; onSaved: () => void }) {
  const { t } = useI18n()
  const [kind, setKind] = useState<WriteKind>('text')
  const [saved, setSaved] = useState<string | null>(null)
  const done = (item: ContentItem): void => {
    setSaved(t('content.saved', { name: item.name }))
    onSaved()
  }
  return (
    <>
      <div className="kind-tabs" role="group" aria-label={t('content.write.kind')}>
        {(['text', 'ticker', 'stream'] as const).map((k) => (
          <button
            key={k}
            type="button"
            className="button small"
            aria-pressed={kind === k}
            onClick={() => {
              setKind(k)
              setSaved(null)
            }}
          >
            {t(`content.kind.${k}`)}
          </button>
        ))}
      </div>
      {saved ? <Notice>{saved}</Notice> : null}
      {kind === 'text' ? <NoticeForm unitId={unitId} onSaved={done} /> : kind === 'ticker' ? <TickerForm unitId={unitId} onSaved={done} /> : <StreamForm unitId={unitId} onSaved={done} />}
    </>
  )
}

function NoticeForm({ unitId, onSaved }: { unitId: string; onSaved: (item: ContentItem) => void }) {
  const { t } = useI18n()
  const [title, setTitle] = useState('')
  const [body, setBody] = useState('')
  const [name, setName] = useState('')
  const [scheme, setScheme] = useState<TextScheme>('thuong')
  const [size, setSize] = useState<TextSize>('lon')
  const save = useAction(async () => {
    const item = await api.post('/library/text-notices', ContentItem, { unitId, title, body, scheme, size, ...(name.trim() ? { name } : {}) })
    setTitle('')
    setBody('')
    setName('')
    onSaved(item)
  })
  const submit = (event: FormEvent): void => {
    event.preventDefault()
    void save.run()
  }
  return (
    <form onSubmit={submit} noValidate data-testid="notice-form" className="notice-form">
      <div className="notice-fields">
        <FormError error={save.formError(['title', 'body', 'name', 'scheme', 'size'])} />
        <TextField label={t('content.notice.title')} value={title} onChange={(e) => setTitle(e.target.value)} error={save.errorFor('title')} />
        <TextAreaField label={t('content.notice.body')} value={body} onChange={(e) => setBody(e.target.value)} rows={10} hint={t('content.notice.bodyHint')} error={save.errorFor('body')} />
        <SelectField label={t('content.notice.scheme')} value={scheme} onChange={(e) => setScheme(e.target.value as TextScheme)} error={save.errorFor('scheme')}>
          {TEXT_SCHEMES.map((s) => (
            <option key={s} value={s}>
              {t(`content.notice.scheme.${s}`)}
            </option>
          ))}
        </SelectField>
        <SelectField label={t('content.notice.size')} value={size} onChange={(e) => setSize(e.target.value as TextSize)} error={save.errorFor('size')}>
          {TEXT_SIZES.map((s) => (
            <option key={s} value={s}>
              {t(`content.notice.size.${s}`)}
            </option>
          ))}
        </SelectField>
        <TextField label={t('content.notice.name')} value={name} onChange={(e) => setName(e.target.value)} error={save.errorFor('name')} />
        <p>
          <SubmitButton busy={save.busy}>{t('content.notice.save')}</SubmitButton>
        </p>
      </div>
      <BoardPreviews title={title} body={body} scheme={scheme} size={size} />
    </form>
  )
}

function TickerForm({ unitId, onSaved }: { unitId: string; onSaved: (item: ContentItem) => void }) {
  const { t } = useI18n()
  const [text, setText] = useState('')
  const [speed, setSpeed] = useState<TickerSpeed>('vua')
  const save = useAction(async () => {
    const item = await api.post('/library/tickers', ContentItem, { unitId, text, speed })
    setText('')
    onSaved(item)
  })
  return (
    <form
      noValidate
      data-testid="ticker-form"
      onSubmit={(event) => {
        event.preventDefault()
        void save.run()
      }}
    >
      <FormError error={save.formError(['text', 'speed'])} />
      <TextAreaField label={t('content.ticker.text')} value={text} onChange={(e) => setText(e.target.value)} rows={3} error={save.errorFor('text')} />
      <SelectField label={t('content.ticker.speed')} value={speed} onChange={(e) => setSpeed(e.target.value as TickerSpeed)} error={save.errorFor('speed')}>
        {TICKER_SPEEDS.map((s) => (
          <option key={s} value={s}>
            {t(`content.ticker.speed.${s}`)}
          </option>
        ))}
      </SelectField>
      <p>
        <SubmitButton busy={save.busy}>{t('content.ticker.save')}</SubmitButton>
      </p>
    </form>
  )
}

function StreamForm({ unitId, onSaved }: { unitId: string; onSaved: (item: ContentItem) => void }) {
  const { t } = useI18n()
  const [name, setName] = useState('')
  const [url, setUrl] = useState('')
  const save = useAction(async () => {
    const item = await api.post('/library/streams', ContentItem, { unitId, name, url })
    setName('')
    setUrl('')
    onSaved(item)
  })
  return (
    <form
      noValidate
      data-testid="stream-form"
      onSubmit={(event) => {
        event.preventDefault()
        void save.run()
      }}
    >
      <FormError error={save.formError(['name', 'url'])} />
      <TextField label={t('content.stream.name')} value={name} onChange={(e) => setName(e.target.value)} error={save.errorFor('name')} />
      <TextField label={t('content.stream.url')} type="url" inputMode="url" value={url} onChange={(e) => setUrl(e.target.value)} hint={t('content.stream.urlHint')} error={save.errorFor('url')} />
      <p>
        <SubmitButton busy={save.busy}>{t('content.stream.save')}</SubmitButton>
      </p>
    </form>
  )
}
