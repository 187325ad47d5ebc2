// The library's items in my units: a thumbnail for pictures, name, kind, size or length, unit, who made it
// and when; a text notice's colour / size preset, changed in the row; rename in the row; delete after a confirmation in the row (refused while a playlist uses the
// item: the server's message names the playlist, shown as it is).
import { useState, type FormEvent } from 'react'
import { api } from '../api/client'
import { ContentItem, Deleted, imageUrl } from '../api/library'
import type { Unit } from '../api/schemas'
import { FormError, TextField } from '../components/form'
import { useAction } from '../components/use-action'
import { useI18n, type Lang } from '../i18n/i18n'
import { useMe } from '../session'
import { PresetForm, presetLabel } from './content-preset'

function megabytes(bytes: number, lang: Lang): string {
  const mb = bytes / 1024 / 1024
  const text = mb < 0.1 ? `${Math.max(1, Math.round(bytes / 1024))} KB` : `${mb.toFixed(1)} MB`
  return lang === 'vi' ? text.replace('.', ',') : text
}

function when(iso: string, lang: Lang): string {
  return new Date(iso).toLocaleString(lang === 'vi' ? 'vi-VN' : 'en-GB', { dateStyle: 'short', timeStyle: 'short', timeZone: 'Asia/Ho_Chi_Minh' })
}

export function ContentList({ items, units, onChanged, onMessage }: { items: readonly ContentItem[]; units: readonly Unit[]; onChanged: () => void; onMessage: (text: string) => void }) {
  const { t, lang } = useI18n()
  const me = useMe()
  const unitName = new Map(units.map((u) => [u.id, u.name]))
  const [renaming, setRenaming] = useState<string | null>(null)
  const [newName, setNewName] = useState('')
  const [confirming, setConfirming] = useState<string | null>(null)
  const [presetting, setPresetting] = useState<string | null>(null)
  const rename = useAction(async (item: ContentItem) => {
    await api.patch(`/library/items/${encodeURIComponent(item.id)}`, ContentItem, { name: newName })
    setRenaming(null)
    onChanged()
  })
  const remove = useAction(async (item: ContentItem) => {
    await api.del(`/library/items/${encodeURIComponent(item.id)}`, Deleted)
    setConfirming(null)
    onMessage(t('content.list.deleted', { name: item.name }))
    onChanged()
  })
  if (items.length === 0) return <p className="muted">{t('content.list.none')}</p>

  const facts = (item: ContentItem): string => {
    switch (item.kind) {
      case 'image':
        return `${item.file.format} · ${item.file.width ?? '?'}×${item.file.height ?? '?'} · ${megabytes(item.file.bytes, lang)}`
      case 'video':
        return [item.file.format, item.file.width ? `${item.file.width}×${item.file.height}` : null, item.file.durationSec !== null ? t('content.list.seconds', { n: Math.round(item.file.durationSec * 10) / 10 }) : null, megabytes(item.file.bytes, lang)].filter(Boolean).join(' · ')
      case 'text':
        return `${t('content.list.chars', { n: item.title.length + item.body.length })} · ${presetLabel(item, t)}`
      case 'ticker':
        return t('content.list.chars', { n: item.text.length })
      case 'stream':
        return item.url
    }
  }

  return (
    <div className="table-wrap">
      <table className="table">
        <thead>
          <tr>
            <th scope="col">{t('content.list.name')}</th>
            <th scope="col">{t('content.list.kind')}</th>
            <th scope="col">{t('content.list.size')}</th>
            <th scope="col">{t('content.list.unit')}</th>
            <th scope="col">{t('content.list.by')}</th>
            <th scope="col">{t('content.list.actions')}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((item) => (
            <tr key={item.id} data-item={item.name} data-kind={item.kind}>
              <td data-label={t('content.list.name')}>
                <span className="item-name">
                  {item.kind === 'image' ? <img className="thumb" src={imageUrl(item.id)} alt="" loading="lazy" /> : null}
                  <strong>{item.name}</strong>
                </span>
              </td>
              <td data-label={t('content.list.kind')}>{t(`content.kind.${item.kind}`)}</td>
              <td data-label={t('content.list.size')} className="break">
                {facts(item)}
              </td>
              <td data-label={t('content.list.unit')}>{unitName.get(item.unitId) ?? item.unitId}</td>
              <td data-label={t('content.list.by')}>
                {item.createdBy === me.user.id ? t('content.list.you') : t('content.list.other')}, {when(item.createdAt, lang)}
              </td>
              <td data-label={t('content.list.actions')}>
                {presetting === item.id && item.kind === 'text' ? (
                  <PresetForm
                    item={item}
                    onCancel={() => setPresetting(null)}
                    onSaved={(backToDraft) => {
                      setPresetting(null)
                      onMessage(backToDraft > 0 ? t('content.list.presetSavedBackToDraft', { name: item.name, n: backToDraft }) : t('content.list.presetSaved', { name: item.name }))
                      onChanged()
                    }}
                  />
                ) : renaming === item.id ? (
                  <form
                    className="inline-form"
                    noValidate
                    onSubmit={(event: FormEvent) => {
                      event.preventDefault()
                      void rename.run(item)
                    }}
                  >
                    <TextField label={t('content.list.newName', { name: item.name })} value={newName} onChange={(e) => setNewName(e.target.value)} error={rename.errorFor('name')} autoFocus />
                    <button type="submit" className="button small primary" disabled={rename.busy}>
                      {t('app.save')}
                    </button>
                    <button type="button" className="button small" onClick={() => setRenaming(null)}>
                      {t('app.cancel')}
                    </button>
                  </form>
                ) : confirming === item.id ? (
                  <div className="row-actions">
                    <span>{t('content.list.confirmDelete', { name: item.name })}</span>
                    <button type="button" className="button small danger" disabled={remove.busy} onClick={() => void remove.run(item)}>
                      {t('content.list.deleteShort')}
                    </button>
                    {/* Focus lands on the safe choice: the delete button that was pressed is gone. */}
                    <button type="button" className="button small" onClick={() => setConfirming(null)} autoFocus>
                      {t('app.cancel')}
                    </button>
                  </div>
                ) : (
                  <div className="row-actions">
                    {item.kind === 'text' ? (
                      <button
                        type="button"
                        className="button small"
                        aria-label={t('content.list.preset', { name: item.name })}
                        onClick={() => {
                          setPresetting(item.id)
                          setRenaming(null)
                          setConfirming(null)
                        }}
                      >
                        {t('content.list.presetShort')}
                      </button>
                    ) : null}
                    <button
                      type="button"
                      className="button small"
                      aria-label={t('content.list.rename', { name: item.name })}
                      onClick={() => {
                        rename.setError(null)
                        setNewName(item.name)
                        setRenaming(item.id)
                        setConfirming(null)
                        setPresetting(null)
                      }}
                    >
                      {t('content.list.renameShort')}
                    </button>
                    <button
                      type="button"
                      className="button small danger"
                      aria-label={t('content.list.delete', { name: item.name })}
                      onClick={() => {
                        remove.setError(null)
                        setConfirming(item.id)
                        setRenaming(null)
                        setPresetting(null)
                      }}
                    >
                      {t('content.list.deleteShort')}
                    </button>
                  </div>
                )}
                {confirming === item.id ? <FormError error={remove.error} /> : null}
                {rename.error && renaming === item.id ? <FormError error={rename.formError(['name'])} /> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
