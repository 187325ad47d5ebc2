// Serves the built web console (out/console, `npm run build:console`) under /console/: files as they
// are, index.html for the app's own routes, with a strict CSP and caching that never serves a stale app.
import { realpath, readFile, stat } from 'node:fs/promises'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { extname, join, resolve, sep } from 'node:path'
import { gzipSync } from 'node:zlib'

/** The console's pages run only its own bundled code: no inline script, no other origin, no framing. */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'"
].join('; ')

const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy': CONSOLE_CSP,
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin'
}

/**
 * The one page the console frames itself: the board preview (the player's renderer at a board's size,
 * scaled into the notice form). Same origin only; every other page still refuses any framing.
 */
const FRAMEABLE = new Set(['preview.html'])
const SAME_ORIGIN_FRAMING: Record<string, string> = {
  'Content-Security-Policy': CONSOLE_CSP.replace("frame-ancestors 'none'", "frame-ancestors 'self'"),
  'X-Frame-Options': 'SAMEORIGIN'
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json'
}

/** Text worth compressing (fonts are already compressed): a district's link may be 3G. */
const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.css', '.json', '.svg', '.txt', '.map'])
/** Gzipped bodies by real path, size and mtime: built files do not change while served, so each is compressed once. */
const gzipCache = new Map<string, Buffer>()

function acceptsGzip(req: IncomingMessage): boolean {
  const accepted = req.headers['accept-encoding']
  return typeof accepted === 'string' && /\bgzip\b/.test(accepted) && !/\bgzip;\s*q=0(\.0*)?\b/.test(accepted)
}

/** The body to send, gzipped when it is text and the client accepts it. */
async function bodyFor(req: IncomingMessage, file: string): Promise<{ body: Buffer; headers: Record<string, string> }> {
  const ext = extname(file).toLowerCase()
  if (!COMPRESSIBLE.has(ext)) return { body: await readFile(file), headers: {} }
  const vary = { Vary: 'Accept-Encoding' }
  if (!acceptsGzip(req)) return { body: await readFile(file), headers: vary }
  const info = await stat(file)
  const key = `${file}\0${info.size}\0${info.mtimeMs}`
  let zipped = gzipCache.get(key)
  if (!zipped) {
    zipped = gzipSync(await readFile(file))
    if (gzipCache.size > 500) gzipCache.clear()
    gzipCache.set(key, zipped)
  }
  return { body: zipped, headers: { ...vary, 'Content-Encoding': 'gzip' } }
}

/** Vite names built files `assets/name-HASH.ext` (8+ url-safe characters): their content never changes. */
const HASHED_ASSET = /^assets\/[^/]+-[A-Za-z0-9_-]{8,}\.[a-z0-9]+$/

export const CONSOLE_PREFIX = '/console'

/** True for the paths this module answers: /console and everything under /console/ but the API. */
export function isConsolePath(pathname: string): boolean {
  return pathname === CONSOLE_PREFIX || (pathname.startsWith(`${CONSOLE_PREFIX}/`) && !pathname.startsWith(`${CONSOLE_PREFIX}/api/`))
}

function send(res: ServerResponse, status: number, body: string | Buffer, headers: Record<string, string>, head: boolean): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Length': String(Buffer.byteLength(body)), ...headers })
  res.end(head ? undefined : body)
}

function sendText(res: ServerResponse, status: number, vi: string, en: string, head: boolean, extra: Record<string, string> = {}): void {
  send(res, status, `${vi}\n${en}\n`, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', ...extra }, head)
}

/** The path below /console/ as a relative file path, or null when it is malformed or tries to leave the folder. */
export function relativeFilePath(pathname: string): string | null {
  let decoded: string
  try {
    decoded = decodeURIComponent(pathname.slice(CONSOLE_PREFIX.length + 1))
  } catch {
    return null
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null
  const segments = decoded.split('/')
  if (segments.some((s) => s === '..' || s === '.' || s.startsWith('.'))) return null
  return segments.filter((s) => s !== '').join('/')
}

async function regularFile(path: string, rootReal: string): Promise<string | null> {
  try {
    const real = await realpath(path)
    // A symlink pointing out of the folder is as much a way out as `..`.
    if (real !== rootReal && !real.startsWith(rootReal + sep)) return null
    return (await stat(real)).isFile() ? real : null
  } catch {
    return null
  }
}

/**
 * Answers a request for a console path (isConsolePath): GET and HEAD only. A missing file whose name has
 * no extension is an app route (index.html, no-store); a missing asset is 404; anything that would leave
 * `root` is 400 before the disk is touched.
 */
export async function serveConsole(root: string, req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> {
  const head = req.method === 'HEAD'
  if (req.method !== 'GET' && !head) {
    sendText(res, 405, 'Phương thức không được hỗ trợ.', 'Method not allowed.', head, { Allow: 'GET, HEAD' })
    return
  }
  if (pathname === CONSOLE_PREFIX) {
    send(res, 308, '', { Location: `${CONSOLE_PREFIX}/`, 'Cache-Control': 'no-store' }, head)
    return
  }
  const rel = relativeFilePath(pathname)
  if (rel === null) {
    sendText(res, 400, 'Đường dẫn không hợp lệ.', 'Bad path.', head)
    return
  }
  let rootReal: string
  try {
    rootReal = await realpath(resolve(root))
  } catch {
    sendText(res, 503, 'Giao diện quản lý chưa được build (npm run build:console).', 'The console is not built (npm run build:console).', head)
    return
  }
  const candidate = rel === '' ? null : await regularFile(join(rootReal, rel), rootReal)
  if (candidate) {
    const { body, headers } = await bodyFor(req, candidate)
    const type = TYPES[extname(candidate).toLowerCase()] ?? 'application/octet-stream'
    const cache = HASHED_ASSET.test(rel) ? 'public, max-age=31536000, immutable' : 'no-store'
    const framing = FRAMEABLE.has(rel) ? SAME_ORIGIN_FRAMING : {}
    send(res, 200, body, { 'Content-Type': type, 'Cache-Control': cache, ...framing, ...headers }, head)
    return
  }
  const last = rel.split('/').pop() ?? ''
  if (last.includes('.')) {
    sendText(res, 404, 'Không tìm thấy tệp.', 'File not found.', head)
    return
  }
  const index = await regularFile(join(rootReal, 'index.html'), rootReal)
  if (!index) {
    sendText(res, 503, 'Giao diện quản lý chưa được build (npm run build:console).', 'The console is not built (npm run build:console).', head)
    return
  }
  const { body, headers } = await bodyFor(req, index)
  send(res, 200, body, { 'Content-Type': TYPES['.html'] as string, 'Cache-Control': 'no-store', ...headers }, head)
}
