// The board preview's message: what the notice form sends the framed preview (postMessage) or puts in
// the address's hash (the preview at real size, opened on its own), and what the preview answers.
import { z } from 'zod'
import { TEXT_SCHEMES, TEXT_SIZES } from '../../../../main/core/protocol/manifest'

export const PreviewNotice = z.object({
  title: z.string().max(2000),
  body: z.string().max(80_000),
  /** The notice's preset look (protocol TextItem.style); omitted: the default. */
  scheme: z.enum(TEXT_SCHEMES).optional(),
  size: z.enum(TEXT_SIZES).optional(),
  /** The page of a long notice to show (0-based); the board turns them by itself during the turn. */
  page: z.number().int().min(0).max(10_000).default(0)
})
export type PreviewNotice = z.infer<typeof PreviewNotice>

/** The preview's answer once laid out: how many pages the board will show, and at which font size. */
export const PreviewLayout = z.object({ type: z.literal('bangtin-preview-layout'), pages: z.number(), fontPx: z.number() })
export type PreviewLayout = z.infer<typeof PreviewLayout>

export const PREVIEW_MESSAGE = 'bangtin-preview-notice'

/** The real-size preview's address for a notice (opened in its own tab: the board's own pixels). */
export function previewHref(notice: { title: string; body: string; scheme?: string; size?: string }, page = 0): string {
  return `/console/preview.html#${encodeURIComponent(JSON.stringify({ title: notice.title, body: notice.body, scheme: notice.scheme, size: notice.size, page }))}`
}

export function noticeFromHash(hash: string): PreviewNotice | null {
  if (hash.length < 2) return null
  try {
    const parsed = PreviewNotice.safeParse(JSON.parse(decodeURIComponent(hash.slice(1))))
    return parsed.success ? parsed.data : null
  } catch {
    return null
  }
}
