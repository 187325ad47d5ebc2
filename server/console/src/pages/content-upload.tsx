// Uploading pictures and videos: dropped on the area or chosen with the file picker (keyboard users),
// each file sent as the request's raw body (POST /library/uploads) over XHR, one at a time, with its own
// progress bar, and its outcome — or the server's bilingual refusal (wrong type, too big, too many
// pixels) — next to its name.
import { useRef, useState, type DragEvent } from 'react'
import { apiUpload, asApiError, type ApiError } from '../api/client'
import { Uploaded } from '../api/library'
import { ProgressBar } from '../components/status'
import { useI18n } from '../i18n/i18n'

interface UploadRow {
  key: number
  name: string
  /** 0–1 while sending. */
  progress: number
  state: 'waiting' | 'sending' | 'done' | 'failed'
  result?: Uploaded
  error?: ApiError
}

export function UploadArea({ unitId, onUploaded }: { unitId: string; onUploaded: () => void }) {
  const { t, lang } = useI18n()
  const [rows, setRows] = useState<UploadRow[]>([])
  const [dragging, setDragging] = useState(false)
  const picker = useRef<HTMLInputElement>(null)
  const queue = useRef(Promise.resolve())
  const counter = useRef(0)

  const update = (key: number, change: Partial<UploadRow>): void => setRows((all) => all.map((row) => (row.key === key ? { ...row, ...change } : row)))

  const add = (files: readonly File[]): void => {
    const added = files.map((file) => ({ file, row: { key: ++counter.current, name: file.name, progress: 0, state: 'waiting' as const } }))
    setRows((all) => [...added.map((a) => a.row), ...all])
    // One at a time: a district's link is shared, and each bar then moves steadily.
    for (const { file, row } of added) {
      queue.current = queue.current.then(async () => {
        update(row.key, { state: 'sending' })
        try {
          const query = new URLSearchParams({ unitId, fileName: file.name })
          const result = await apiUpload('POST', `/library/uploads?${query.toString()}`, Uploaded, file, {
            contentType: file.type || 'application/octet-stream',
            onProgress: (sent, total) => update(row.key, { progress: total > 0 ? sent / total : 0 })
          })
          update(row.key, { state: 'done', progress: 1, result })
          onUploaded()
        } catch (error) {
          update(row.key, { state: 'failed', error: asApiError(error) })
        }
      })
    }
  }

  const dropped = (event: DragEvent<HTMLDivElement>): void => {
    event.preventDefault()
    setDragging(false)
    add([...event.dataTransfer.files])
  }

  return (
    <>
      <div
        className={`drop-zone${dragging ? ' dragging' : ''}`}
        data-testid="drop-zone"
        onDragOver={(event) => {
          event.preventDefault()
          setDragging(true)
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={dropped}
      >
        <p>{t('content.upload.drop')}</p>
        <p className="muted">{t('content.upload.or')}</p>
        <button type="button" className="button primary" onClick={() => picker.current?.click()}>
          {t('content.upload.pick')}
        </button>
        <input
          ref={picker}
          type="file"
          multiple
          hidden
          accept="image/jpeg,image/png,image/webp,video/mp4,video/quicktime,video/webm"
          aria-label={t('content.upload.pick')}
          data-testid="file-picker"
          onChange={(event) => {
            add([...(event.target.files ?? [])])
            event.target.value = ''
          }}
        />
      </div>
      {rows.length > 0 ? (
        <>
          <ul className="upload-list" aria-live="polite">
            {rows.map((row) => (
              <li key={row.key} data-upload={row.name} data-state={row.state}>
                <strong>{row.name}</strong>
                {row.state === 'waiting' || row.state === 'sending' ? <ProgressBar label={t('content.upload.progress', { name: row.name })} value={row.progress} /> : null}
                {row.state === 'done' && row.result ? (
                  <>
                    <ProgressBar label={t('content.upload.progress', { name: row.name })} value={1} />
                    <p className="upload-state-ok">
                      ✓ {row.result.alreadyInLibrary ? t('content.upload.already') : t('content.upload.done')}: {row.result.item.name}
                    </p>
                    {row.result.notices.map((notice) => (
                      <p key={notice.code} className="muted">
                        {lang === 'vi' ? notice.vi : notice.en}
                      </p>
                    ))}
                  </>
                ) : null}
                {row.state === 'failed' && row.error ? (
                  <p className="field-error" role="alert">
                    {t('content.upload.failed')}: {row.error.text(lang)}
                  </p>
                ) : null}
              </li>
            ))}
          </ul>
          {rows.every((row) => row.state === 'done' || row.state === 'failed') ? (
            <button type="button" className="button small ghost" onClick={() => setRows([])}>
              {t('content.upload.clear')}
            </button>
          ) : null}
        </>
      ) : null}
    </>
  )
}
