// The browser shell's loopback server: the built renderer, verified media from the cache, and the
// screen WebSocket. Listens on 127.0.0.1 only, answers only to its own origin, and serves what the
// screen uses (the page, media, streams, the socket) only within a session (screen-session.ts).
import { open, readFile } from 'node:fs/promises'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join, normalize, sep } from 'node:path'
import type { WebSocketServer } from 'ws'
import type { Logger } from '../core/log'
import type { Player } from '../core/player'
import { STREAM_PATH } from '../core/stream-routes'
import type { FirstShowPayload } from '../../contract/screen'
import { firstImages, imageHeaderSize, withFirstShow, type PictureSize } from './first-show'
import { LAUNCH_PARAM, LAUNCH_REFUSED_PATH, ScreenSessions, type LaunchHolder } from './screen-session'
import { proxyStream, STREAM_ANSWER_HEADERS } from './stream-proxy'
import { mimeFor, sendFile } from './static-files'
import type { WebSocketScreenLink } from './ws-link'

export const MEDIA_PATH = '/media/'
export const BRIDGE_PATH = '/bridge'

/** What the server needs from the core (a part of the Player); it may come after the server listens (see `core` below). */
export type ScreenCore = Pick<Player, 'media' | 'attachScreen' | 'firstShow'> & Partial<Pick<Player, 'streams'>>

export interface ScreenServerOptions {
  rendererDir: string
  /**
   * The core, or its promise: the shell starts Chromium on the URL before the core has started, so
   * both start at once; the page's own files are served meanwhile, and what needs the core waits for it.
   */
  core: ScreenCore | Promise<ScreenCore>
  log: Logger
  /** 0 picks a free port. */
  port: number
  /** Keeps a fresh one-time launch URL in this file (0600) for a screen the shell does not start itself. */
  launchFile?: string
  /**
   * Whether the shell's own Chromium holds this session cookie (asked over its DevTools pipe). Given, a
   * socket is accepted only from Chromium's session: one who raced Chromium for its launch code holds a
   * session for a moment, but can send the host nothing. Absent (--no-browser): any live session.
   */
  heldByScreen?: (cookie: { name: string; value: string }) => Promise<boolean>
}

export interface ScreenServer {
  /** The screen's address, with no secret: opening it without a session is refused. */
  screenUrl: string
  origin: string
  port: number
  /** A fresh one-time URL that opens the screen once (`holder`'s earlier one, if unused, is void). */
  launchUrl(holder: LaunchHolder): string
  /** Ends every session and its sockets (Chromium's code was used by someone else): Chromium must start afresh. */
  revokeSessions(): void
  close(): Promise<void>
}

/** The Content-Security-Policy of the screen page: nothing but its own origin, no inline script, no frames. */
export function contentSecurityPolicy(origin: string): string {
  const ws = origin.replace(/^http/, 'ws')
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "font-src 'self'",
    "img-src 'self' data:",
    "media-src 'self' blob:",
    `connect-src 'self' ${ws}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'"
  ].join('; ')
}

/** The sizes of the first images on screen, from their files' headers (the first 256 kB: a JPEG's EXIF can be long). */
async function pictureSizes(payload: FirstShowPayload, cache: ScreenCore['media']): Promise<Map<string, PictureSize | null>> {
  const sizes = new Map<string, PictureSize | null>()
  for (const { item } of firstImages(payload)) {
    const file = item.src.startsWith(MEDIA_PATH) ? cache.pathOf(item.src.slice(MEDIA_PATH.length)) : null
    if (!file) continue
    const handle = await open(file, 'r')
    try {
      const { buffer, bytesRead } = await handle.read({ buffer: Buffer.alloc(256 * 1024), position: 0 })
      sizes.set(item.src, imageHeaderSize(buffer.subarray(0, bytesRead)))
    } finally {
      await handle.close()
    }
  }
  return sizes
}

/**
 * The build's files under assets/ carry a hash of their content in their names, so Chromium may keep
 * them across starts, and with them the compiled code of the screen's script: a cold start then neither
 * fetches nor compiles it again. Everything else (the page with its current show, media) is never stored.
 */
const cachingOf = (relative: string): Record<string, string> =>
  relative.startsWith('assets/') && !relative.includes('..') ? { 'Cache-Control': 'public, max-age=31536000, immutable' } : {}

/** What a screen opened without a session shows (the shell restarts its Chromium when it lands here). */
const REFUSED_PAGE = `<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>Bảng tin điện tử</title></head>
<body style="margin:0;background:#0b2545;color:#fff;font:4vmin sans-serif;display:grid;place-content:center;text-align:center">
<p>Phiên màn hình bị từ chối: mã khởi động đã được dùng. Trình phát sẽ mở lại màn hình.</p>
<p lang="en">Screen session refused: the launch code was already used. The player opens the screen again.</p></body></html>`

export async function startScreenServer(options: ScreenServerOptions): Promise<ScreenServer> {
  const { log } = options
  const core = Promise.resolve(options.core)
  // Not ours to report: a core that fails to start stops the shell; requests waiting on it get a 500.
  core.catch(() => undefined)
  const server: Server = createServer()
  // The socket side (ws and the contract's schemas) loads on the first upgrade, not before Chromium is
  // started: the page connects a few hundred milliseconds later, and its first picture needs no socket.
  let sockets: Promise<{ server: WebSocketServer; link: typeof WebSocketScreenLink }> | null = null
  const socketSide = (): NonNullable<typeof sockets> =>
    (sockets ??= Promise.all([import('ws'), import('./ws-link')]).then(([{ WebSocketServer }, { WebSocketScreenLink }]) => ({
      server: new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 }),
      link: WebSocketScreenLink
    })))

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port, '127.0.0.1', () => resolve())
  })
  const port = (server.address() as AddressInfo).port
  const origin = `http://127.0.0.1:${port}`
  const allowedHosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`])
  const sessions = new ScreenSessions(origin, port, options.launchFile)
  await sessions.writeLaunchFile()
  const securityHeaders = {
    'Content-Security-Policy': contentSecurityPolicy(origin),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Cache-Control': 'no-store'
  }

  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    // A foreign Host header means DNS rebinding or a confused client: answer nothing.
    if (!allowedHosts.has(request.headers.host ?? '')) return void response.writeHead(421).end()
    if (request.method !== 'GET' && request.method !== 'HEAD') return void response.writeHead(405).end()
    const url = new URL(request.url ?? '/', origin)
    const path = url.pathname
    handle(path, url.search, request, response).catch((error: Error) => {
      log.error('screen server request failed', { path, reason: error.message })
      if (!response.headersSent) response.writeHead(500).end()
      else response.destroy()
    })
  })

  async function handle(path: string, search: string, request: IncomingMessage, response: ServerResponse): Promise<void> {
    const inSession = sessions.sessionOf(request.headers.cookie) !== null
    if ((path.startsWith(STREAM_PATH) || path.startsWith(MEDIA_PATH)) && !inSession) {
      log.warn('refused a screen request without a session', { path: path.slice(0, 8) })
      return void response.writeHead(403, securityHeaders).end()
    }
    if (path.startsWith(STREAM_PATH)) {
      const upstream = (await core).streams?.resolve(path.slice(STREAM_PATH.length), search) ?? null
      if (!upstream) return void response.writeHead(404, { ...securityHeaders, ...STREAM_ANSWER_HEADERS }).end()
      return proxyStream(upstream, request, response, securityHeaders, log)
    }
    if (path.startsWith(MEDIA_PATH)) {
      const file = (await core).media.pathOf(path.slice(MEDIA_PATH.length))
      if (!file) return void response.writeHead(404, securityHeaders).end()
      return sendFile(request, response, file, { ...securityHeaders, ...STREAM_ANSWER_HEADERS, 'Content-Type': 'application/octet-stream' })
    }
    if (path === LAUNCH_REFUSED_PATH) {
      response.writeHead(403, { ...securityHeaders, 'Content-Type': 'text/html; charset=utf-8' })
      return void response.end(request.method === 'HEAD' ? undefined : REFUSED_PAGE)
    }
    if (path === '/' || path === '/index.html') {
      // Within a session (a reload), or with an unused launch code, traded here for the session's cookie.
      let setCookie: string | undefined
      if (!inSession) {
        const code = new URLSearchParams(search).get(LAUNCH_PARAM)
        const redeemed = code ? await sessions.redeem(code) : null
        if (!redeemed) {
          log.warn('refused the screen page: no session and no unused launch code', { code: code ? 'used or unknown' : 'none' })
          return void response.writeHead(303, { ...securityHeaders, Location: LAUNCH_REFUSED_PATH }).end()
        }
        setCookie = redeemed.setCookie
        log.info('screen session started', { holder: redeemed.holder })
      }
      // The page carries the current show, so the first item paints without waiting for the socket.
      const [template, ready] = await Promise.all([readFile(join(options.rendererDir, 'index.html'), 'utf8'), core])
      const payload = ready.firstShow()
      const sizes = await pictureSizes(payload, ready.media)
      const html = withFirstShow(template, payload, { isLocalMedia: (src) => src.startsWith(MEDIA_PATH), sizeOf: (src) => sizes.get(src) ?? null })
      response.writeHead(200, { ...securityHeaders, 'Content-Type': 'text/html; charset=utf-8', ...(setCookie ? { 'Set-Cookie': setCookie } : {}) })
      return void response.end(request.method === 'HEAD' ? undefined : html)
    }
    const relative = decodeURIComponent(path).slice(1)
    const file = normalize(join(options.rendererDir, relative))
    if (!file.startsWith(options.rendererDir + sep)) return void response.writeHead(404, securityHeaders).end()
    try {
      await sendFile(request, response, file, { ...securityHeaders, ...cachingOf(relative), 'Content-Type': mimeFor(file) })
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' && (error as NodeJS.ErrnoException).code !== 'EISDIR') throw error
      response.writeHead(404, securityHeaders).end()
    }
  }

  server.on('upgrade', (request, socket, head) => {
    const url = new URL(request.url ?? '/', origin)
    const session = sessions.sessionOf(request.headers.cookie)
    const originOk = request.headers.origin === origin || request.headers.origin === `http://localhost:${port}`
    const refuse = (reason: string): void => {
      log.warn('refused screen socket', { reason, path: url.pathname, origin: request.headers.origin ?? null })
      socket.end('HTTP/1.1 403 Forbidden\r\n\r\n')
    }
    if (url.pathname !== BRIDGE_PATH || !originOk || !allowedHosts.has(request.headers.host ?? '')) return refuse('not the screen’s own origin')
    if (session === null) return refuse('no session')
    const held = options.heldByScreen?.({ name: sessions.cookieName, value: session }) ?? Promise.resolve(true)
    Promise.all([core, socketSide(), held.catch(() => false)]).then(
      ([ready, side, screens]) => {
        // Asked again after the wait: the session may have been ended meanwhile.
        if (!screens || sessions.sessionOf(request.headers.cookie) === null) return refuse('the session is not the shell’s own Chromium’s')
        side.server.handleUpgrade(request, socket, head, (ws) => ready.attachScreen(new side.link(ws, log)))
      },
      () => socket.end('HTTP/1.1 503 Service Unavailable\r\n\r\n')
    )
  })

  return {
    screenUrl: `${origin}/`,
    origin,
    port,
    launchUrl: (holder) => sessions.launchUrl(holder),
    revokeSessions() {
      sessions.revokeAll()
      void sockets?.then((side) => side.server.clients.forEach((client) => client.terminate()), () => undefined)
    },
    async close() {
      const side = await sockets?.catch(() => null)
      for (const client of side?.server.clients ?? []) client.terminate()
      side?.server.close()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  }
}
