// Attack finding 6 (browser shell's local surface), on the real screen server with the core's real cache,
// host and stream routes and a hostile stream upstream, all on 127.0.0.1: a local process without the
// screen's session reaches nothing, and an upstream's HTML never lands on the player's origin as a document.
import { createHash } from 'node:crypto'
import { mkdir, writeFile } from 'node:fs/promises'
import { createServer, request, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { afterEach, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { startScreenServer, type ScreenServer } from '../../main/browser/screen-server'
import { ContentCache } from '../../main/core/cache/content-cache'
import { memoryLogger } from '../../main/core/log'
import type { ScreenLink } from '../../main/core/screen-link'
import { PlayerHost } from '../../main/core/player-host'
import { parseManifest } from '../../main/core/protocol/manifest'
import { StreamRoutes } from '../../main/core/stream-routes'
import { useTempDirs } from '../helpers/temp-dir'

const HTML = '<!doctype html><script src="/assets/x.js"></script><p>not a stream</p>'

interface Answer {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
}

function get(port: number, path: string, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { host: `127.0.0.1:${port}`, ...headers } }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }))
    })
    req.on('error', reject)
    req.end()
  })
}

/** Opens the screen's socket as a local process can (any Origin header it likes); resolves with the socket or the refusal. */
function openSocket(url: string, origin: string, headers: Record<string, string> = {}): Promise<WebSocket | Error> {
  return new Promise((resolve) => {
    const socket = new WebSocket(url, { origin, headers })
    socket.once('open', () => resolve(socket))
    socket.once('error', (error) => resolve(error))
  })
}

describe('attack: the browser shell’s local surface', () => {
  const tempDir = useTempDirs()
  const closers: (() => Promise<unknown>)[] = []
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close()
  })

  /** A hostile upstream: every path answers with what the test put in `answers` (default: 404). */
  async function upstream(answers: Record<string, { type: string; body: string }>): Promise<string> {
    const server: Server = createServer((req, res) => {
      const answer = answers[new URL(req.url ?? '/', 'http://x').pathname]
      if (!answer) return void res.writeHead(404, { 'content-type': 'text/html' }).end(HTML)
      res.writeHead(200, { 'content-type': answer.type }).end(answer.body)
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    closers.push(() => new Promise((resolve) => server.close(resolve)))
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  }

  /** The screen server of a board playing one stream from `origin`, with one verified file in its cache. */
  async function board(origin: string): Promise<{ server: ScreenServer; host: PlayerHost; sha: string; failures: unknown[] }> {
    const dir = await tempDir()
    await mkdir(join(dir, 'renderer'))
    await writeFile(join(dir, 'renderer', 'index.html'), '<!doctype html><html><head></head><body></body></html>')
    const cache = new ContentCache(join(dir, 'cache'))
    await cache.open()
    const bytes = Buffer.from('a poster')
    const sha = createHash('sha256').update(bytes).digest('hex')
    await cache.importStream({ sha256: sha, size: bytes.length }, Readable.from([bytes]))
    const streams = new StreamRoutes()
    const manifest = parseManifest({
      schema: 'bangtin.manifest/v1',
      version: 'v1',
      playlists: [{ id: 'p', name: 'p', items: [{ id: 'kenh', kind: 'stream', url: `${origin}/live/index.m3u8`, durationSec: 60 }] }],
      assets: []
    })
    streams.setManifest(manifest, true)
    const host = new PlayerHost({ name: 'Xã Phú An', timeZone: 'Asia/Ho_Chi_Minh' }, memoryLogger())
    const failures: unknown[] = []
    host.onItemFailed((failure) => failures.push(failure))
    const core = { media: cache, attachScreen: (link: ScreenLink) => host.attach(link), firstShow: () => host.payload(), streams }
    const server = await startScreenServer({ rendererDir: join(dir, 'renderer'), core, log: memoryLogger(), port: 0 })
    closers.push(() => server.close())
    return { server, host, sha, failures }
  }

  /** The page's session, as the shell's Chromium gets it: its one-time launch URL, traded for a cookie. */
  async function chromiumSession(server: ScreenServer): Promise<Record<string, string>> {
    const launch = new URL(server.launchUrl('chromium'))
    const page = await get(server.port, `${launch.pathname}${launch.search}`)
    return { cookie: String((page.headers['set-cookie'] as string[] | undefined)?.[0] ?? '').split(';')[0]! }
  }

  it('a process without the session gets no media, no stream and no socket to forge reports on', async () => {
    const origin = await upstream({ '/live/index.m3u8': { type: 'application/vnd.apple.mpegurl', body: '#EXTM3U\n' } })
    const { server, host, sha, failures } = await board(origin)
    // The real screen has its session meanwhile; the attacker has none (nothing on a command line or stdout holds it).
    await chromiumSession(server)

    expect((await get(server.port, `/media/${sha}`)).status).toBe(403)
    expect((await get(server.port, '/stream/kenh/index.m3u8')).status).toBe(403)
    expect((await get(server.port, '/stream/kenh/index.m3u8', { cookie: `bangtin-screen-${server.port}=guessed` })).status).toBe(403)
    for (const url of [`ws://127.0.0.1:${server.port}/bridge`, `ws://127.0.0.1:${server.port}/bridge?token=guessed`]) {
      const socket = await openSocket(url, server.origin)
      if (socket instanceof WebSocket) {
        // What user `nobody` did: a 30-minute quarantine of a good item, and false proof of play.
        socket.send(JSON.stringify({ verb: 'itemFailed', payload: { itemId: 'anh', programVersion: 'v1', reason: 'forged', cause: 'broken' } }))
        socket.send(JSON.stringify({ verb: 'played', payload: { itemId: 'anh', programVersion: 'v1', startedAt: 1, endedAt: 2 } }))
        socket.send(JSON.stringify({ verb: 'emergencyShown', payload: { id: 'lu', at: 1 } }))
        socket.close()
      }
      expect(socket, url).toBeInstanceOf(Error)
    }
    expect(failures).toEqual([])
    expect(host.played).toEqual([])
  })

  it('an upstream answering text/html is never served as a document on the player’s origin', async () => {
    const origin = await upstream({
      '/live/index.m3u8': { type: 'text/html; charset=utf-8', body: HTML },
      '/live/seg1.ts': { type: 'text/html', body: HTML },
      '/live/seg2.ts': { type: 'application/octet-stream', body: 'segment bytes' },
      '/live/ok.m3u8': { type: 'audio/x-mpegURL', body: '#EXTM3U\n' },
      '/live/page.html': { type: 'application/octet-stream', body: HTML }
    })
    const { server } = await board(origin)
    const session = await chromiumSession(server)
    for (const path of ['/stream/kenh/index.m3u8', '/stream/kenh/seg1.ts', '/stream/kenh/page.html', '/stream/kenh/missing.m3u8']) {
      const answer = await get(server.port, path, session)
      expect(String(answer.headers['content-type'] ?? ''), path).not.toMatch(/html/)
      expect(answer.body, path).not.toContain('<script')
      expect(answer.status, path).toBeGreaterThanOrEqual(400)
      expect(answer.headers['content-security-policy'], path).toBe('sandbox')
    }
    // Media passes, under the type the screen expects and in a sandbox should anything open it as a page.
    const playlist = await get(server.port, '/stream/kenh/ok.m3u8', session)
    expect(playlist).toMatchObject({ status: 200, body: '#EXTM3U\n' })
    expect(playlist.headers).toMatchObject({ 'content-type': 'application/vnd.apple.mpegurl', 'content-security-policy': 'sandbox', 'x-content-type-options': 'nosniff' })
    const segment = await get(server.port, '/stream/kenh/seg2.ts', session)
    expect(segment.headers['content-type']).toBe('video/mp2t')
  })
})
