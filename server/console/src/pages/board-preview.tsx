// The notice form's live preview: the board preview page (preview/main.tsx: the player's own renderer)
// framed at each board's real size — 1920×1080, 1080×1920, 1920×384, 768×192 — and scaled down to fit,
// so the officer sees the very pages the board will show; a long notice's pages are stepped through.
// The approval page shows one size at a time, chosen among the same four (BoardPreviewChoice).
import { useEffect, useLayoutEffect, useRef, useState } from 'react'
import { TEXT_SCHEMES, TEXT_SIZES } from '../../../../main/core/protocol/manifest'
import { useI18n, type DictKey } from '../i18n/i18n'
import { PREVIEW_MESSAGE, PreviewLayout, previewHref, type PreviewNotice } from '../preview/notice'

export interface BoardSize {
  width: number
  height: number
  label: DictKey
}

export const BOARD_SIZES: readonly BoardSize[] = [
  { width: 1920, height: 1080, label: 'content.preview.screen.landscape' },
  { width: 1080, height: 1920, label: 'content.preview.screen.portrait' },
  { width: 1920, height: 384, label: 'content.preview.screen.strip' },
  { width: 768, height: 192, label: 'content.preview.screen.small' }
]

/** A portrait frame is kept to this height on screen (the others take the column's width). */
const MAX_FRAME_HEIGHT_PX = 360

/** The notice's preset look, as the preview and the board take it. */
type Look = Pick<PreviewNotice, 'scheme' | 'size'>

/** A stored notice's look, as far as the preview knows it (an unknown value: the default). */
export function lookOf(item: Readonly<Record<string, unknown>>): Look {
  return {
    scheme: TEXT_SCHEMES.find((s) => s === item.scheme),
    size: TEXT_SIZES.find((s) => s === item.size)
  }
}

export function BoardPreviews({ title, body, scheme, size: textSize }: { title: string; body: string } & Look) {
  const { t } = useI18n()
  // Typing re-lays the notice out four times: at most every 250 ms.
  const [notice, setNotice] = useState({ title, body })
  useEffect(() => {
    const timer = setTimeout(() => setNotice({ title, body }), 250)
    return () => clearTimeout(timer)
  }, [title, body])
  return (
    <section className="board-previews" aria-labelledby="board-previews-heading">
      <h3 id="board-previews-heading">{t('content.preview.title')}</h3>
      <p className="muted">{t('content.preview.intro')}</p>
      <div className="board-preview-grid">
        {BOARD_SIZES.map((size) => (
          <BoardPreview key={`${size.width}x${size.height}`} size={size} title={notice.title} body={notice.body} look={{ scheme, size: textSize }} />
        ))}
      </div>
    </section>
  )
}

/** One framed preview with a choice of the four sizes (the approval page: one notice among several items). */
export function BoardPreviewChoice({ title, body, scheme, size: textSize, label }: { title: string; body: string; label: string } & Partial<Look>) {
  const { t } = useI18n()
  const [chosen, setChosen] = useState(0)
  const size = BOARD_SIZES[chosen]!
  return (
    <section className="board-preview-choice" aria-label={label} data-notice={title}>
      <p className="board-preview-label">{label}</p>
      <div className="kind-tabs" role="group" aria-label={t('content.preview.choose', { name: title })}>
        {BOARD_SIZES.map((s, i) => (
          <button key={`${s.width}x${s.height}`} type="button" className="button small" aria-pressed={chosen === i} onClick={() => setChosen(i)}>
            {`${s.width}×${s.height}`}
          </button>
        ))}
      </div>
      {/* A new frame for each size: its viewport is the board's, fixed when it loads. */}
      <BoardPreview key={`${size.width}x${size.height}`} size={size} title={title} body={body} look={{ scheme, size: textSize }} />
    </section>
  )
}

function BoardPreview({ size, title, body, look }: { size: BoardSize; title: string; body: string; look: Look }) {
  const { t } = useI18n()
  const name = `${size.width}×${size.height}`
  const holder = useRef<HTMLDivElement>(null)
  const frame = useRef<HTMLIFrameElement>(null)
  const [scale, setScale] = useState(0)
  const [loaded, setLoaded] = useState(false)
  const [layout, setLayout] = useState<{ pages: number; fontPx: number } | null>(null)
  const [page, setPage] = useState(0)

  // The frame is drawn at the board's own size and scaled to the width the page gives it.
  useLayoutEffect(() => {
    const el = holder.current
    if (!el) return
    const measure = (): void => setScale(el.clientWidth / size.width)
    measure()
    const observer = new ResizeObserver(measure)
    observer.observe(el)
    return () => observer.disconnect()
  }, [size.width])

  // Its answers: the pages and type size the renderer chose.
  useEffect(() => {
    const listen = (event: MessageEvent): void => {
      if (event.origin !== window.location.origin || event.source !== frame.current?.contentWindow) return
      const parsed = PreviewLayout.safeParse(event.data)
      if (parsed.success) setLayout({ pages: parsed.data.pages, fontPx: parsed.data.fontPx })
    }
    window.addEventListener('message', listen)
    return () => window.removeEventListener('message', listen)
  }, [])

  useEffect(() => setPage(0), [title, body])
  useEffect(() => {
    if (!loaded) return
    frame.current?.contentWindow?.postMessage({ type: PREVIEW_MESSAGE, notice: { title, body, ...look, page } }, window.location.origin)
  }, [loaded, title, body, look.scheme, look.size, page])

  const pages = layout?.pages ?? 1
  const shownPage = Math.min(page, pages - 1)
  const maxWidth = size.height > size.width ? Math.round((MAX_FRAME_HEIGHT_PX * size.width) / size.height) : undefined
  return (
    <figure className="board-preview" data-preview-size={name} data-pages={layout?.pages} data-page={shownPage} data-font-px={layout?.fontPx}>
      <figcaption>
        <strong>{t(size.label)}</strong> {name}
        {layout ? (
          <span className="muted">
            {' · '}
            {t('content.preview.page', { page: shownPage + 1, pages })} · {t('content.preview.fontPx', { px: layout.fontPx })}
          </span>
        ) : null}
      </figcaption>
      <div className="board-frame" ref={holder} style={{ aspectRatio: `${size.width} / ${size.height}`, maxWidth }}>
        <iframe
          ref={frame}
          src="/console/preview.html"
          title={t('content.preview.frame', { size: name, page: shownPage + 1, pages })}
          tabIndex={-1}
          width={size.width}
          height={size.height}
          onLoad={() => setLoaded(true)}
          style={{ transform: `scale(${scale})` }}
        />
      </div>
      <div className="board-preview-tools">
        {pages > 1 ? (
          <>
            <button type="button" className="button small" disabled={shownPage === 0} aria-label={t('content.preview.prevAt', { size: name })} onClick={() => setPage(Math.max(0, shownPage - 1))}>
              ‹ {t('content.preview.prev')}
            </button>
            <button type="button" className="button small" disabled={shownPage >= pages - 1} aria-label={t('content.preview.nextAt', { size: name })} onClick={() => setPage(Math.min(pages - 1, shownPage + 1))}>
              {t('content.preview.next')} ›
            </button>
          </>
        ) : null}
        <a className="button small ghost" href={previewHref({ title, body, ...look }, shownPage)} target="_blank" rel="noopener" aria-label={t('content.preview.realAt', { size: name })} data-real-size={name}>
          {t('content.preview.real')}
        </a>
      </div>
    </figure>
  )
}
