// Which answers of a live stream's upstream a screen may be given, and as what: only the media types an
// HLS player reads, forced, never the upstream's own word for HTML or script. Both shells serve stream
// answers through this rule (the browser shell on its own origin, Electron on its media scheme).

const PLAYLIST = 'application/vnd.apple.mpegurl'
/** What an upstream may say it sends (lower case, no parameters), and the type the screen then gets. */
const MEDIA_TYPES: Record<string, string> = {
  'application/vnd.apple.mpegurl': PLAYLIST,
  'application/x-mpegurl': PLAYLIST,
  'audio/mpegurl': PLAYLIST,
  'audio/x-mpegurl': PLAYLIST,
  'video/mp2t': 'video/mp2t',
  'video/mp4': 'video/mp4',
  'audio/mp4': 'audio/mp4',
  'video/iso.segment': 'video/iso.segment',
  'audio/aac': 'audio/aac',
  'audio/aacp': 'audio/aac',
  'audio/x-aac': 'audio/aac',
  'audio/mpeg': 'audio/mpeg'
}
/** Types that say nothing (many encoders' web servers send these): then the file's extension decides. */
const VAGUE_TYPES = new Set(['', 'application/octet-stream', 'binary/octet-stream', 'text/plain'])
const BY_EXTENSION: Record<string, string> = {
  m3u8: PLAYLIST,
  m3u: PLAYLIST,
  ts: 'video/mp2t',
  m4s: 'video/iso.segment',
  mp4: 'video/mp4',
  m4v: 'video/mp4',
  m4a: 'audio/mp4',
  aac: 'audio/aac',
  mp3: 'audio/mpeg'
}

/**
 * The media type a stream answer is served with, or null when it is not one the screen plays (HTML,
 * script, images, anything unknown): the upstream's declared type if it is on the list, else, when it
 * declared nothing useful, the one the file's extension names.
 */
export function streamMediaType(declared: string | undefined, upstream: URL): string | null {
  const type = (declared ?? '').split(';')[0]!.trim().toLowerCase()
  if (MEDIA_TYPES[type]) return MEDIA_TYPES[type]
  if (!VAGUE_TYPES.has(type)) return null
  const name = upstream.pathname.split('/').pop() ?? ''
  const dot = name.lastIndexOf('.')
  return dot > 0 ? (BY_EXTENSION[name.slice(dot + 1).toLowerCase()] ?? null) : null
}

/** On every stream answer: a document loaded from it (were it one) could run nothing and reach nothing. */
export const STREAM_ANSWER_HEADERS = { 'Content-Security-Policy': 'sandbox', 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-store' }
