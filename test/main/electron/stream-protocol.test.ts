// Live streams on the Electron media scheme: against a real upstream HTTP server on 127.0.0.1, only the
// active manifest's streams, under their own folder and origin, are fetched; everything else is refused
// before the upstream is contacted; upstream failures become 502.
import { readFile } from 'node:fs/promises'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'

const fake = await vi.hoisted(async () => (await import('./fake-electron')).createFakeElectron())
vi.mock('electron', () => fake.module)

import { MEDIA_SCHEME } from '../../../contract/screen'
import { memoryLogger } from '../../../main/core/log'
import { parseManifest } from '../../../main/core/protocol/manifest'
import { StreamRoutes } from '../../../main/core/stream-routes'
import { setupMediaProtocol } from '../../../main/electron/media-protocol'
import { STREAM_URL_BASE, isStreamUrl, resolveStreamRequest, streamHandler } from '../../../main/electron/stream-protocol'

const PLAYLIST = '#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:2\n#EXT-X-MEDIA-SEQUENCE:1\n#EXTINF:2.0,\nseg-1.ts\n'
const SEGMENT = Buffer.from(Array.from({ length: 188 * 4 }, (_, i) => (i % 188 === 0 ? 0x47 : i % 251)))

/** The upstream: what it was asked for (path with query, and the Range header), in order. */
interface Upstream {
  server: Server
  origin: string
  port: number
  seen: { path: string; range: string | undefined }[]
  /** Requests still open (the hanging ones), so the test can see them closed. */
  open: Set<IncomingMessage>
}

function serve(request: IncomingMessage, response: ServerResponse, upstream: Upstream): void {
  const path = request.url ?? '/'
  upstream.seen.push({ path, range: request.headers.range })
  const pathname = path.split('?')[0]
  if (pathname === '/live/kenh1/index.m3u8') {
    response.writeHead(200, { 'Content-Type': 'application/vnd.apple.mpegurl', 'Cache-Control': 'max-age=60', 'X-Upstream-Secret': 'no' })
    return void response.end(PLAYLIST)
  }
  if (pathname === '/live/kenh1/seg-1.ts') {
    const range = /^bytes=(\d+)-(\d+)$/.exec(request.headers.range ?? '')
    if (range) {
      const [start, end] = [Number(range[1]), Number(range[2])]
      response.writeHead(206, {
        'Content-Type': 'video/mp2t',
        'Content-Range': `bytes ${start}-${end}/${SEGMENT.length}`,
        'Accept-Ranges': 'bytes'
      })
      return void response.end(SEGMENT.subarray(start, end + 1))
    }
    response.writeHead(200, { 'Content-Type': 'video/mp2t', 'Content-Length': String(SEGMENT.length), 'Accept-Ranges': 'bytes' })
    return void response.end(SEGMENT)
  }
  if (pathname === '/live/kenh1/hang.ts') {
    // Never answers: the proxy's timeout must end it.
    upstream.open.add(request)
    request.socket.on('close', () => upstream.open.delete(request))
    return
  }
  if (pathname === '/live/kenh1/stall.ts') {
    // Answers, sends a little, then goes silent mid-body.
    upstream.open.add(request)
    request.socket.on('close', () => upstream.open.delete(request))
    response.writeHead(200, { 'Content-Type': 'video/mp2t', 'Content-Length': String(SEGMENT.length) })
    return void response.write(SEGMENT.subarray(0, 188))
  }
  if (pathname === '/live/kenh1/page.ts') {
    // A hostile or broken upstream answering a segment with a document.
    response.writeHead(200, { 'Content-Type': 'text/html' })
    return void response.end('<script>parent.postMessage("owned", "*")</script>')
  }
  if (pathname === '/live/kenh1/plain.m3u8') {
    // Many encoders' servers say nothing useful: the extension decides.
    response.writeHead(200, { 'Content-Type': 'application/octet-stream' })
    return void response.end(PLAYLIST)
  }
  if (pathname === '/live/kenh1/moved.ts') {
    response.writeHead(302, { Location: 'https://elsewhere.example/x.ts' })
    return void response.end()
  }
  response.writeHead(404, { 'Content-Type': 'text/plain' })
  response.end('not here')
}

async function startUpstream(): Promise<Upstream> {
  const upstream: Upstream = { server: createServer(), origin: '', port: 0, seen: [], open: new Set() }
  upstream.server.on('request', (request: IncomingMessage, response: ServerResponse) => serve(request, response, upstream))
  await new Promise<void>((resolve) => upstream.server.listen(0, '127.0.0.1', resolve))
  upstream.port = (upstream.server.address() as AddressInfo).port
  upstream.origin = `http://127.0.0.1:${upstream.port}`
  return upstream
}

const manifestWith = (...streams: { id: string; url: string }[]) =>
  parseManifest({
    schema: 'bangtin.manifest/v1',
    version: 'v',
    playlists: [{ id: 'p', name: 'p', items: streams.map((s) => ({ id: s.id, kind: 'stream', url: s.url, durationSec: 60 })) }],
    assets: []
  })

const url = (rest: string): string => `${STREAM_URL_BASE}${rest}`

let upstream: Upstream
let routes: StreamRoutes
let handler: (request: Request) => Promise<Response>
let log: ReturnType<typeof memoryLogger>

beforeAll(async () => {
  upstream = await startUpstream()
})
afterAll(async () => {
  upstream.server.closeAllConnections()
  await new Promise((resolve) => upstream.server.close(resolve))
})
beforeEach(() => {
  upstream.seen.length = 0
  routes = new StreamRoutes()
  // A lab stream on plain http (allowInsecureHttp), as the real upstream here has no TLS.
  routes.setManifest(manifestWith({ id: 'kenh1', url: `${upstream.origin}/live/kenh1/index.m3u8` }), true)
  log = memoryLogger()
  handler = streamHandler(routes, { log, timeoutMs: 300 })
})

describe('an allowed stream', () => {
  it('is at the URL the core schedules, and its relative segments resolve under it', () => {
    expect(routes.screenPath('kenh1', STREAM_URL_BASE)).toBe(`${MEDIA_SCHEME}://stream/kenh1/index.m3u8`)
    // The browser shell keeps its path-only URL.
    expect(routes.screenPath('kenh1')).toBe('/stream/kenh1/index.m3u8')
    // What hls.js does with `seg-1.ts` in the playlist (Chromium does the same for a standard scheme).
    expect(new URL('seg-1.ts', url('kenh1/index.m3u8')).href).toBe(url('kenh1/seg-1.ts'))
    expect(new URL('720p/seg-1.ts', url('kenh1/index.m3u8')).href).toBe(url('kenh1/720p/seg-1.ts'))
  })

  it('serves the playlist with its bytes and type, readable cross-origin, never cached', async () => {
    const response = await handler(new Request(url('kenh1/index.m3u8')))
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('application/vnd.apple.mpegurl')
    expect(response.headers.get('access-control-allow-origin')).toBe('*')
    expect(response.headers.get('cache-control')).toBe('no-store')
    expect(response.headers.get('x-upstream-secret')).toBeNull()
    expect(await response.text()).toBe(PLAYLIST)
    expect(upstream.seen).toEqual([{ path: '/live/kenh1/index.m3u8', range: undefined }])
  })

  it('serves a segment with its bytes, type and length', async () => {
    const response = await handler(new Request(url('kenh1/seg-1.ts')))
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('video/mp2t')
    expect(response.headers.get('content-length')).toBe(String(SEGMENT.length))
    expect(Buffer.from(await response.arrayBuffer())).toEqual(SEGMENT)
  })

  it('an upstream answering with HTML is refused (502), never handed to the screen; every answer is sandboxed and nosniff', async () => {
    const refused = await handler(new Request(url('kenh1/page.ts')))
    expect(refused.status).toBe(502)
    expect(await refused.text()).toBe('')
    const vague = await handler(new Request(url('kenh1/plain.m3u8')))
    expect(vague.status).toBe(200)
    expect(vague.headers.get('content-type')).toBe('application/vnd.apple.mpegurl')
    expect(vague.headers.get('content-security-policy')).toBe('sandbox')
    expect(vague.headers.get('x-content-type-options')).toBe('nosniff')
    expect(await vague.text()).toBe(PLAYLIST)
  })

  it('passes Range upstream and the partial answer back', async () => {
    const response = await handler(new Request(url('kenh1/seg-1.ts'), { headers: { Range: 'bytes=188-375' } }))
    expect(response.status).toBe(206)
    expect(response.headers.get('content-range')).toBe(`bytes 188-375/${SEGMENT.length}`)
    expect(response.headers.get('accept-ranges')).toBe('bytes')
    expect(Buffer.from(await response.arrayBuffer())).toEqual(SEGMENT.subarray(188, 376))
    expect(upstream.seen).toEqual([{ path: '/live/kenh1/seg-1.ts', range: 'bytes=188-375' }])
  })

  it('passes the query string (a token in a segment URL) upstream', async () => {
    const response = await handler(new Request(url('kenh1/index.m3u8?token=abc')))
    expect(response.status).toBe(200)
    await response.arrayBuffer()
    expect(upstream.seen).toEqual([{ path: '/live/kenh1/index.m3u8?token=abc', range: undefined }])
  })
})

describe('refused without contacting the upstream', () => {
  const refused: Record<string, () => string> = {
    'a path out of the stream folder (encoded ..)': () => url('kenh1/..%2Fsecret.m3u8'),
    'a path out of the stream folder (..)': () => url('kenh1/../../live/secret.m3u8'),
    'a path out of the stream folder (encoded ../..)': () => url('kenh1/%2e%2e/%2e%2e/etc/passwd'),
    'an unknown stream id': () => url('khac/index.m3u8'),
    'no file': () => url('kenh1/'),
    'no stream id': () => url('index.m3u8'),
    'another origin, scheme-relative': () => url(`kenh1/${encodeURIComponent(`//localhost:${upstream.port}/live/kenh1/seg-1.ts`)}`),
    'another origin, absolute': () => url(`kenh1/${encodeURIComponent(`http://localhost:${upstream.port}/live/kenh1/seg-1.ts`)}`),
    'another port': () => url(`kenh1/${encodeURIComponent(`http://127.0.0.1:1/live/kenh1/seg-1.ts`)}`),
    'another host on the scheme': () => `${MEDIA_SCHEME}://cache/kenh1/index.m3u8`,
    'a port on the stream host': () => `${MEDIA_SCHEME}://stream:80/kenh1/index.m3u8`,
    'another scheme': () => `https://stream/kenh1/index.m3u8`
  }
  for (const [name, make] of Object.entries(refused)) {
    it(`404: ${name}`, async () => {
      const response = await handler(new Request(make()))
      expect(response.status).toBe(404)
      expect(upstream.seen).toEqual([])
    })
  }

  it.each(['POST', 'PUT', 'DELETE', 'HEAD', 'OPTIONS'])('405: %s, even on an allowed URL', async (method) => {
    const response = await handler(new Request(url('kenh1/index.m3u8'), { method }))
    expect(response.status).toBe(405)
    expect(response.headers.get('allow')).toBe('GET')
    expect(upstream.seen).toEqual([])
  })

  it('404 once the manifest no longer has the stream', async () => {
    expect((await handler(new Request(url('kenh1/index.m3u8')))).status).toBe(200)
    routes.setManifest(manifestWith({ id: 'khac', url: `${upstream.origin}/live/khac/index.m3u8` }), true)
    expect((await handler(new Request(url('kenh1/index.m3u8')))).status).toBe(404)
    expect((await handler(new Request(url('kenh1/seg-1.ts')))).status).toBe(404)
    routes.setManifest(null, true)
    expect((await handler(new Request(url('khac/index.m3u8')))).status).toBe(404)
    expect(upstream.seen).toHaveLength(1)
  })

  it('404 for a plain-http stream unless the board allows insecure http', async () => {
    routes.setManifest(manifestWith({ id: 'kenh1', url: `${upstream.origin}/live/kenh1/index.m3u8` }), false)
    expect((await handler(new Request(url('kenh1/index.m3u8')))).status).toBe(404)
    expect(upstream.seen).toEqual([])
  })

  it('resolveStreamRequest names the upstream only for a stream URL', () => {
    expect(resolveStreamRequest(url('kenh1/seg-1.ts'), routes)?.href).toBe(`${upstream.origin}/live/kenh1/seg-1.ts`)
    expect(resolveStreamRequest('not a url', routes)).toBeNull()
    // (A Request cannot even carry these; Chromium would not hand them over.)
    expect(resolveStreamRequest(`${MEDIA_SCHEME}://x:y@stream/kenh1/index.m3u8`, routes)).toBeNull()
    expect(resolveStreamRequest(`${MEDIA_SCHEME}://x@stream/kenh1/index.m3u8`, routes)).toBeNull()
    expect(upstream.seen).toEqual([])
    expect(isStreamUrl(url('kenh1/index.m3u8'))).toBe(true)
    expect(isStreamUrl(`${MEDIA_SCHEME}://cache/${'a'.repeat(64)}`)).toBe(false)
    expect(isStreamUrl(`${MEDIA_SCHEME}://streamx/kenh1/index.m3u8`)).toBe(false)
  })
})

describe('upstream failures', () => {
  it('an upstream that never answers: 502 after the timeout, and the connection is closed', async () => {
    const started = Date.now()
    const response = await handler(new Request(url('kenh1/hang.ts')))
    expect(response.status).toBe(502)
    expect(response.headers.get('access-control-allow-origin')).toBe('*')
    expect(Date.now() - started).toBeGreaterThanOrEqual(250)
    await vi.waitFor(() => expect(upstream.open.size).toBe(0))
    expect(log.records.some((r) => r.level === 'warn' && r.message === 'stream upstream failed')).toBe(true)
  })

  it('an upstream that stalls mid-body: the body errors after the timeout instead of hanging', async () => {
    const response = await handler(new Request(url('kenh1/stall.ts')))
    expect(response.status).toBe(200)
    await expect(response.arrayBuffer()).rejects.toThrow()
    await vi.waitFor(() => expect(upstream.open.size).toBe(0))
  })

  it('an upstream 404 passes through as 404', async () => {
    const response = await handler(new Request(url('kenh1/seg-999.ts')))
    expect(response.status).toBe(404)
    expect(upstream.seen).toEqual([{ path: '/live/kenh1/seg-999.ts', range: undefined }])
  })

  it('a redirect is not followed: 502', async () => {
    const response = await handler(new Request(url('kenh1/moved.ts')))
    expect(response.status).toBe(502)
    expect(upstream.seen.map((s) => s.path)).toEqual(['/live/kenh1/moved.ts'])
  })

  it('an upstream that refuses the connection: 502', async () => {
    const closed = createServer()
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
    const port = (closed.address() as AddressInfo).port
    await new Promise((resolve) => closed.close(resolve))
    routes.setManifest(manifestWith({ id: 'kenh1', url: `http://127.0.0.1:${port}/live/index.m3u8` }), true)
    expect((await handler(new Request(url('kenh1/index.m3u8')))).status).toBe(502)
  })

  it('a renderer that stops reading (hls.js destroyed) closes the upstream connection', async () => {
    const response = await handler(new Request(url('kenh1/stall.ts')))
    const reader = response.body!.getReader()
    expect((await reader.read()).value?.length).toBe(188)
    await vi.waitFor(() => expect(upstream.open.size).toBe(1))
    await reader.cancel()
    await vi.waitFor(() => expect(upstream.open.size).toBe(0))
  })
})

describe('on the media scheme', () => {
  it('stream URLs go to the stream handler and cache URLs still to the cache', async () => {
    fake.reset()
    fake.becomeReady()
    const pathOf = vi.fn(() => null)
    setupMediaProtocol({ pathOf }, handler)
    const scheme = fake.handlers.get(MEDIA_SCHEME)!
    const stream = await scheme(new Request(url('kenh1/index.m3u8')))
    expect(stream.status).toBe(200)
    expect(await stream.text()).toBe(PLAYLIST)
    expect(pathOf).not.toHaveBeenCalled()
    const sha = 'a'.repeat(64)
    expect((await scheme(new Request(`${MEDIA_SCHEME}://cache/${sha}`))).status).toBe(404)
    expect(pathOf).toHaveBeenCalledWith(sha)
    expect(upstream.seen).toHaveLength(1)
  })

  it("the renderer's CSP lets hls.js fetch from the scheme, and MSE play what it fetched", async () => {
    const html = await readFile(new URL('../../../renderer/index.html', import.meta.url), 'utf8')
    const policy = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1] ?? ''
    const sources = (directive: string): string[] =>
      policy
        .split(';')
        .map((part) => part.trim().split(/\s+/))
        .find(([name]) => name === directive)
        ?.slice(1) ?? []
    expect(sources('connect-src')).toContain(`${MEDIA_SCHEME}:`)
    expect(sources('media-src')).toContain('blob:')
  })

  it('without a stream handler, stream URLs are a 404 like any unknown media URL', async () => {
    fake.reset()
    fake.becomeReady()
    setupMediaProtocol({ pathOf: () => null })
    const response = await fake.handlers.get(MEDIA_SCHEME)!(new Request(url('kenh1/index.m3u8')))
    expect(response.status).toBe(404)
    expect(upstream.seen).toEqual([])
  })
})
