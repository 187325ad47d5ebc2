// A playlist's name with "Đổi tên" and "Xoá danh sách": rename in place (PATCH: the name only, so entries
// playing it keep their status), delete
// after a confirmation. The server refuses to delete a playlist an entry plays, naming the entry; its words
// are shown right under the action, in the page's language.
import { useState, type FormEvent } from 'react'
import { z } from 'zod'
import { api } from '../../api/client'
import { Playlist } from '../../api/programme'
import { FormError, TextField } from '../../components/form'
import { useAction } from '../../components/use-action'
import { useI18n } from '../../i18n/i18n'

const Deleted = z.object({ deleted: z.string() })

interface Props {
  playlist: Playlist
  onRenamed: () => void
  onDeleted: (name: string) => void
}

export function PlaylistHeading({ playlist, onRenamed, onDeleted }: Props) {
  const { t } = useI18n()
  const [mode, setMode] = useState<'idle' | 'renaming' | 'confirming'>('idle')
  const [name, setName] = useState(playlist.name)
  const rename = useAction(async (e: FormEvent) => {
    e.preventDefault()
    await api.patch(`/playlists/${encodeURIComponent(playlist.id)}`, Playlist, { name })
    setMode('idle')
    onRenamed()
  })
  const remove = useAction(async () => {
    await api.del(`/playlists/${encodeURIComponent(playlist.id)}`, Deleted)
    onDeleted(playlist.name)
  })
  const start = (next: 'renaming' | 'confirming') => {
    rename.setError(null)
    remove.setError(null)
    setName(playlist.name)
    setMode(next)
  }

  if (mode === 'renaming')
    return (
      <form className="inline-form playlist-heading" noValidate onSubmit={(e) => void rename.run(e)} aria-label={t('schedule.playlist.rename', { name: playlist.name })}>
        <TextField label={t('schedule.playlist.newName', { name: playlist.name })} value={name} onChange={(e) => setName(e.target.value)} error={rename.errorFor('name')} autoFocus />
        <button type="submit" className="button small primary" disabled={rename.busy}>
          {t('app.save')}
        </button>
        <button type="button" className="button small" onClick={() => setMode('idle')}>
          {t('app.cancel')}
        </button>
        <FormError error={rename.formError(['name'])} />
      </form>
    )
  return (
    <div className="playlist-heading">
      <h3>{playlist.name}</h3>
      {mode === 'confirming' ? (
        <div className="row-actions confirm" role="group" aria-label={t('schedule.playlist.delete', { name: playlist.name })}>
          <span>{t('schedule.playlist.confirmDelete', { name: playlist.name })}</span>
          <button type="button" className="button small danger" disabled={remove.busy} onClick={() => void remove.run()}>
            {t('schedule.playlist.deleteConfirm')}
          </button>
          {/* Focus lands on the safe choice: the delete button that was pressed is gone. */}
          <button type="button" className="button small" onClick={() => setMode('idle')} autoFocus>
            {t('app.cancel')}
          </button>
        </div>
      ) : (
        <div className="row-actions">
          <button type="button" className="button small" aria-label={t('schedule.playlist.rename', { name: playlist.name })} onClick={() => start('renaming')}>
            {t('schedule.playlist.renameShort')}
          </button>
          <button type="button" className="button small danger" aria-label={t('schedule.playlist.delete', { name: playlist.name })} onClick={() => start('confirming')}>
            {t('schedule.playlist.deleteShort')}
          </button>
        </div>
      )}
      {mode === 'confirming' ? <FormError error={remove.error} /> : null}
    </div>
  )
}
