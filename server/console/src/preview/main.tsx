// The board preview page (/console/preview.html): the player's own screen (renderer/src Screen, its CSS
// and bundled fonts) showing one text notice full screen, as a board shows a text item. Its viewport is
// the board's: the console frames it at 1920×1080 etc. and scales the frame down, so every vmin, every
// fitted font size and every page break is computed exactly as on the board.
import '../no-eval'
import '../../../../renderer/src/fonts.css'
import '../../../../renderer/src/styles.css'
import { createRoot } from 'react-dom/client'
import { Screen } from '../../../../renderer/src/components/Screen'
import { useScreenStore } from '../../../../renderer/src/store'
import { noticeFromHash, PREVIEW_MESSAGE, PreviewNotice, type PreviewLayout } from './notice'

/** A turn long enough that the preview never turns a page by itself: the officer steps through them. */
const TURN_MS = 24 * 3600 * 1000
let shown: PreviewNotice | null = null

function show(notice: PreviewNotice): void {
  const same = shown && shown.title === notice.title && shown.body === notice.body && shown.scheme === notice.scheme && shown.size === notice.size
  shown = notice
  if (!same) {
    // The board's screen view gives the renderer text in NFC (main/core); so does the preview.
    const item = { id: 'preview', kind: 'text' as const, title: notice.title.normalize('NFC') || undefined, body: notice.body.normalize('NFC'), scheme: notice.scheme, size: notice.size, durationMs: TURN_MS }
    useScreenStore.getState().show({
      board: { name: 'Xem trước', timeZone: 'Asia/Ho_Chi_Minh' },
      displayOn: true,
      pairing: null,
      volume: 0,
      zones: [{ zone: { id: 'main', role: 'main', x: 0, y: 0, width: 1, height: 1 }, program: { version: `preview-${Date.now()}`, items: [item] } }]
    })
  }
  schedule()
}

let pending = 0
/** After the renderer has fitted the text (layout effects, then the font): report the pages, show the asked one. */
function schedule(): void {
  cancelAnimationFrame(pending)
  pending = requestAnimationFrame(() => {
    pending = requestAnimationFrame(() => void document.fonts.ready.then(settle))
  })
}

function settle(): void {
  const content = document.querySelector<HTMLElement>('.slide[data-active="true"] [data-testid="text-content"]')
  if (!content || !shown) {
    schedule()
    return
  }
  const pages = Number(content.dataset.pages ?? '1')
  const page = Math.min(shown.page, pages - 1)
  // The same step the board's page timer takes: one box width plus the column gap per page.
  const box = content.parentElement?.getBoundingClientRect()
  const gap = parseFloat(getComputedStyle(content).columnGap) || 0
  content.style.transform = pages > 1 && box ? `translateX(${-page * (box.width + gap)}px)` : ''
  document.body.dataset.previewPages = String(pages)
  document.body.dataset.previewPage = String(page)
  document.body.dataset.previewReady = 'true'
  const layout: PreviewLayout = { type: 'bangtin-preview-layout', pages, fontPx: Number(content.dataset.fitSize ?? '0') }
  if (window.parent !== window) window.parent.postMessage(layout, window.location.origin)
}

window.addEventListener('message', (event) => {
  if (event.origin !== window.location.origin || event.source !== window.parent) return
  const data = event.data as { type?: unknown; notice?: unknown }
  if (data?.type !== PREVIEW_MESSAGE) return
  const parsed = PreviewNotice.safeParse(data.notice)
  if (parsed.success) show(parsed.data)
})
window.addEventListener('hashchange', () => {
  const notice = noticeFromHash(window.location.hash)
  if (notice) show(notice)
})
window.addEventListener('resize', schedule)

const root = document.getElementById('root')
if (root) createRoot(root).render(<Screen bridge={null} />)
show(noticeFromHash(window.location.hash) ?? { title: '', body: '', page: 0 })
