// The screen page with its first picture on the way: the host's current `show` inlined as JSON and the
// first image of each zone preloaded, so the first paint waits neither for the WebSocket nor for the fetch.
import { FIRST_SHOW_ELEMENT_ID, type ShowPayload } from '../../contract/screen'

/** `<` escaped, so no text in the payload can close the script element. */
const inlineJson = (value: unknown): string => JSON.stringify(value).replace(/</g, '\\u003c')
const attribute = (value: string): string => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;')

/**
 * The page with `payload` inlined before `</head>` (unchanged when it has none). Only media the page may
 * load anyway are preloaded (`isLocalMedia`). The data block is not script: the strict CSP (`script-src
 * 'self'`) stays as it is. Nothing in it is secret: it is what the screen shows to the street.
 */
export function withFirstShow(html: string, payload: ShowPayload, isLocalMedia: (src: string) => boolean): string {
  const head = html.indexOf('</head>')
  if (head < 0) return html
  const preloads = payload.emergency || payload.pairing || !payload.displayOn ? [] : payload.zones.flatMap(({ program }) => {
    const first = program?.items[0]
    return first?.kind === 'image' && isLocalMedia(first.src) ? [`<link rel="preload" as="image" href="${attribute(first.src)}">`] : []
  })
  const data = `<script type="application/json" id="${FIRST_SHOW_ELEMENT_ID}">${inlineJson(payload)}</script>`
  return html.slice(0, head) + [...preloads, data].join('') + html.slice(head)
}
