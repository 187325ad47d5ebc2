// The library list's colour / size preset of a text notice: shown in its row, changed in place (PATCH with
// scheme and size); the server's refusal sits under the field it names.
import { useState, type FormEvent } from 'react'
import { z } from 'zod'
import { TEXT_SCHEMES, TEXT_SIZES, type TextScheme, type TextSize } from '../../../../main/core/protocol/manifest'
import { api } from '../api/client'
import type { ContentItem } from '../api/library'
import { FormError, SelectField } from '../components/form'
import { useAction } from '../components/use-action'
import { useI18n } from '../i18n/i18n'

type TextItem = Extract<ContentItem, { kind: 'text' }>

const schemeOf = (item: TextItem): TextScheme => ((TEXT_SCHEMES as readonly string[]).includes(item.scheme ?? '') ? (item.scheme as TextScheme) : 'thuong')
const sizeOf = (item: TextItem): TextSize => ((TEXT_SIZES as readonly string[]).includes(item.size ?? '') ? (item.size as TextSize) : 'lon')

/** "Thường · Lớn": the notice's preset, short. */
export function presetLabel(item: TextItem, t: ReturnType<typeof useI18n>['t']): string {
  return `${t(`content.list.scheme.${schemeOf(item)}`)} · ${t(`content.list.textSize.${sizeOf(item)}`)}`
}

/** A reply naming the schedule entries the change sent back to draft (what boards show changed). */
const Patched = z.object({ entriesBackToDraft: z.array(z.string()).default([]) })

export function PresetForm({ item, onSaved, onCancel }: { item: TextItem; onSaved: (entriesBackToDraft: number) => void; onCancel: () => void }) {
  const { t } = useI18n()
  const [scheme, setScheme] = useState<TextScheme>(schemeOf(item))
  const [size, setSize] = useState<TextSize>(sizeOf(item))
  const save = useAction(async () => {
    // Only what changed: an unchanged save sends nothing (and so sends no approved entry back to draft).
    const patch = { ...(scheme !== schemeOf(item) ? { scheme } : {}), ...(size !== sizeOf(item) ? { size } : {}) }
    if (Object.keys(patch).length === 0) return onSaved(0)
    const reply = await api.patch(`/library/items/${encodeURIComponent(item.id)}`, Patched, patch)
    onSaved(reply.entriesBackToDraft.length)
  })
  const submit = (event: FormEvent) => {
    event.preventDefault()
    void save.run()
  }
  return (
    <form className="inline-form" noValidate onSubmit={submit} aria-label={t('content.list.preset', { name: item.name })}>
      <SelectField label={t('content.notice.scheme')} value={scheme} onChange={(e) => setScheme(e.target.value as TextScheme)} error={save.errorFor('scheme')} autoFocus>
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
      <button type="submit" className="button small primary" disabled={save.busy}>
        {t('app.save')}
      </button>
      <button type="button" className="button small" onClick={onCancel}>
        {t('app.cancel')}
      </button>
      <FormError error={save.formError(['scheme', 'size'])} />
    </form>
  )
}
