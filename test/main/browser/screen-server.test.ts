// The browser shell's loopback server, for real: HTTP on 127.0.0.1 and a real WebSocket client.
import { createHash } from 'node:crypto'
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises'
import { request } from 'node:http'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { afterEach, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { ContentCache } from '../../../main/core/cache/content-cache'
import { memoryLogger } from '../../../main/core/log'
import { EMPTY_VIEW, PlayerHost } from '../../../main/core/player-host'
import type { ScreenLink } from '../../../main/core/screen-link'
import { startScreenServer, type ScreenServer } from '../../../main/browser/screen-server'
import { useTempDirs } from '../../helpers/temp-dir'

const board = { name: 'Xã Phú An', timeZone: 'Asia/Ho_Chi_Minh' }

/** A raw HTTP GET, so tests can send headers (Host, Range) a fetch() would not let them forge. */
function get(port: number, path: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { host: `127.0.0.1:${port}`, ...headers } }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }))
    })
    req.on('error', reject)
    req.end()
  })
}

describe('screen server', () => {
  const tempDir = useTempDirs()
  let server: ScreenServer | undefined
  afterEach(async () => {
    await server?.close()
    server = undefined
  })

  async function start(options: { coreLater?: Promise<void>; heldByScreen?: (cookie: { name: string; value: string }) => Promise<boolean> } = {}) {
    const dir = await tempDir()
    const rendererDir = join(dir, 'renderer')
    await mkdir(rendererDir)
    await writeFile(join(rendererDir, 'index.html'), '<!doctype html><html><head><title>screen</title></head><body></body></html>')
    await writeFile(join(rendererDir, 'app.js'), 'console.log(1)')
    await mkdir(join(rendererDir, 'assets'))
    await writeFile(join(rendererDir, 'assets', 'index-D2XToPWH.js'), 'console.log(2)')
    await writeFile(join(dir, 'secret.txt'), 'outside the renderer')
    const cache = new ContentCache(join(dir, 'cache'))
    await cache.open()
    const media = Buffer.from('0123456789abcdef')
    const sha = createHash('sha256').update(media).digest('hex')
    await cache.importStream({ sha256: sha, size: media.length }, Readable.from([media]))
    const log = memoryLogger()
    const host = new PlayerHost(board, log)
    // The part of the Player the screen server uses, over a real cache and host.
    const screenCore = { media: cache, attachScreen: (link: ScreenLink) => host.attach(link), firstShow: () => host.payload() }
    const core = options.coreLater ? options.coreLater.then(() => screenCore) : screenCore
    const launchFile = join(dir, 'screen-launch-url')
    server = await startScreenServer({ rendererDir, core, log, port: 0, launchFile, heldByScreen: options.heldByScreen })
    return { server, sha, media, host, log, launchFile }
  }

  /** Opens the screen page with a fresh launch code, as Chromium does, and returns the session's Cookie header. */
  async function session(server: ScreenServer): Promise<{ cookie: string }> {
    const launch = new URL(server.launchUrl('chromium'))
    const page = await get(server.port, `${launch.pathname}${launch.search}`)
    expect(page.status).toBe(200)
    return { cookie: String((page.headers['set-cookie'] as string[])[0]).split(';')[0]! }
  }

  it('listens on loopback only and serves the screen with a strict CSP', async () => {
    const { server } = await start()
    expect(server.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    const res = await get(server.port, '/', await session(server))
    expect(res.status).toBe(200)
    expect(String(res.headers['content-security-policy'])).toContain("default-src 'none'")
    expect(String(res.headers['content-security-policy'])).toContain("script-src 'self'")
    expect(res.headers['x-content-type-options']).toBe('nosniff')
  })

  it('lets Chromium keep the hashed build files across starts, and never the page or media', async () => {
    const { server, sha } = await start()
    const cookie = await session(server)
    // The hashed script: kept (and its compiled code with it), so a cold start neither fetches nor compiles it again.
    const script = await get(server.port, '/assets/index-D2XToPWH.js')
    expect(script.status).toBe(200)
    expect(script.headers['cache-control']).toBe('public, max-age=31536000, immutable')
    // The page carries the current show; media and unhashed files are read fresh every time.
    for (const path of ['/', '/app.js', `/media/${sha}`]) expect((await get(server.port, path, cookie)).headers['cache-control'], path).toBe('no-store')
  })

  it('refuses requests for another host name (DNS rebinding)', async () => {
    const { server } = await start()
    expect((await get(server.port, '/', { host: 'evil.example:80' })).status).toBe(421)
  })

  it.each(['/../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt', '/nothing.js'])('does not serve %s', async (path) => {
    const { server } = await start()
    const res = await get(server.port, path)
    expect(res.status).toBe(404)
    expect(res.body.toString()).not.toContain('outside the renderer')
  })

  it('serves verified media with byte ranges, and nothing else under /media/', async () => {
    const { server, sha, media } = await start()
    const cookie = await session(server)
    const whole = await get(server.port, `/media/${sha}`, cookie)
    expect(whole.status).toBe(200)
    expect(whole.body).toEqual(media)
    const part = await get(server.port, `/media/${sha}`, { range: 'bytes=4-7', ...cookie })
    expect(part.status).toBe(206)
    expect(part.headers['content-range']).toBe(`bytes 4-7/${media.length}`)
    expect(part.body.toString()).toBe('4567')
    expect((await get(server.port, `/media/${sha}`, { range: 'bytes=99-', ...cookie })).status).toBe(416)
    expect((await get(server.port, `/media/${'0'.repeat(64)}`, cookie)).status).toBe(404)
    for (const path of ['/media/%2e%2e%2fsecret.txt', '/media/..%2f..%2fsecret.txt', `/media/${sha}/..%2f..%2fsecret.txt`]) {
      expect((await get(server.port, path, cookie)).status).toBe(404)
    }
  })

  it('inlines the current show into the page and preloads its first image', async () => {
    const { server, host, sha } = await start()
    const program = { version: 'v', items: [{ id: 'anh', kind: 'image' as const, src: `/media/${sha}`, fit: 'contain' as const, durationMs: 1000 }] }
    host.show({ ...EMPTY_VIEW, zones: [{ zone: EMPTY_VIEW.zones[0]!.zone, program }] })
    const page = (await get(server.port, '/', await session(server))).body.toString()
    expect(page).toContain(`<link rel="preload" as="image" href="/media/${sha}">`)
    const inlined = /<script type="application\/json" id="bangtin-first-show">(.*?)<\/script>/.exec(page)
    expect(JSON.parse(inlined![1]!)).toEqual(host.payload())
  })

  it('serves the page files before the core has started, and what needs the core once it has', async () => {
    let coreStarted: () => void = () => undefined
    const { server, sha } = await start({ coreLater: new Promise<void>((resolve) => (coreStarted = resolve)) })
    expect((await get(server.port, '/app.js')).status).toBe(200)
    let pageServed = false
    // Chromium's first request: the launch code, then (the page's first picture) the cookie it got back.
    const launch = new URL(server.launchUrl('chromium'))
    const page = get(server.port, `${launch.pathname}${launch.search}`).then((res) => ((pageServed = true), res))
    // Nothing to wait for but the two requests: they are held, not failed, until the core is there.
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(pageServed).toBe(false)
    coreStarted()
    const answer = await page
    expect(answer.body.toString()).toContain('bangtin-first-show')
    const cookie = String((answer.headers['set-cookie'] as string[])[0]).split(';')[0]!
    expect((await get(server.port, `/media/${sha}`, { cookie })).status).toBe(200)
  })

  function connect(url: string, origin: string, headers: Record<string, string> = {}): Promise<WebSocket> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url, { origin, headers })
      socket.once('open', () => resolve(socket))
      socket.once('error', reject)
    })
  }

  it('carries the contract over the WebSocket: ready → emergency, show; played → host', async () => {
    const { server, host } = await start()
    const socket = await connect(`ws://127.0.0.1:${server.port}/bridge`, server.origin, await session(server))
    const received: unknown[] = []
    socket.on('message', (data) => received.push(JSON.parse(data.toString())))
    socket.send(JSON.stringify({ verb: 'ready', payload: { userAgent: 'test' } }))
    const { emergency: _none, ...empty } = EMPTY_VIEW
    await expect.poll(() => received.length).toBe(2)
    expect(received).toEqual([
      { verb: 'emergency', payload: { emergency: null } },
      { verb: 'show', payload: { board, ...empty, pairing: null, volume: 1 } }
    ])

    socket.send(JSON.stringify({ verb: 'played', payload: { itemId: 'a', programVersion: 'v', startedAt: 1, endedAt: 2 } }))
    socket.send('not json')
    socket.send(JSON.stringify({ verb: 'exec', payload: { command: 'rm -rf /' } }))
    await expect.poll(() => host.played.length).toBe(1)
    socket.close()
  })

  it('refuses a socket without the session or from another origin', async () => {
    const { server } = await start()
    const cookie = await session(server)
    const bridge = `ws://127.0.0.1:${server.port}/bridge`
    await expect(connect(bridge, server.origin, { cookie: `bangtin-screen-${server.port}=wrong` })).rejects.toThrow(/403/)
    await expect(connect(bridge, server.origin)).rejects.toThrow(/403/)
    await expect(connect(bridge, 'http://evil.example', cookie)).rejects.toThrow(/403/)
    ;(await connect(bridge, server.origin, cookie)).close()
  })

  it('trades a launch code for a session once; a reload goes on with the cookie; a used code is refused', async () => {
    const { server, sha, launchFile } = await start()
    const launch = new URL(server.launchUrl('chromium'))
    const first = await get(server.port, `${launch.pathname}${launch.search}`)
    expect(first.status).toBe(200)
    const setCookie = String((first.headers['set-cookie'] as string[])[0])
    expect(setCookie).toMatch(new RegExp(`^bangtin-screen-${server.port}=[\\w-]{40,}; Path=/; HttpOnly; SameSite=Strict$`))
    const cookie = { cookie: setCookie.split(';')[0]! }
    // The same code again, without the cookie: refused, to a page the shell watches Chromium for.
    const again = await get(server.port, `${launch.pathname}${launch.search}`)
    expect(again.status).toBe(303)
    expect(again.headers.location).toBe('/launch-refused')
    const refused = await get(server.port, '/launch-refused')
    expect(refused.status).toBe(403)
    expect(refused.body.toString()).toContain('Phiên màn hình bị từ chối')
    expect(refused.body.toString()).toContain('Screen session refused')
    // With the cookie: the page (a reload) and media.
    expect((await get(server.port, `${launch.pathname}${launch.search}`, cookie)).status).toBe(200)
    expect((await get(server.port, '/', cookie)).status).toBe(200)
    expect((await get(server.port, `/media/${sha}`, cookie)).status).toBe(200)
    // The launch file: 0600, a fresh code once its code is used.
    expect((await stat(launchFile)).mode & 0o777).toBe(0o600)
    const fileUrl = new URL((await readFile(launchFile, 'utf8')).trim())
    expect((await get(server.port, `${fileUrl.pathname}${fileUrl.search}`)).status).toBe(200)
    const next = new URL((await readFile(launchFile, 'utf8')).trim())
    expect(next.search).not.toBe(fileUrl.search)
    expect((await get(server.port, `${fileUrl.pathname}${fileUrl.search}`)).status).toBe(303)
    expect((await get(server.port, `${next.pathname}${next.search}`)).status).toBe(200)
  })

  it('with its own Chromium, takes a socket only from the session that Chromium holds', async () => {
    const asked: { name: string; value: string }[] = []
    let chromiumCookie = ''
    const { server, host } = await start({ heldByScreen: async (cookie) => (asked.push(cookie), cookie.value === chromiumCookie) })
    const bridge = `ws://127.0.0.1:${server.port}/bridge`
    // Someone else's session (they used a code first): live for the page and media, yet no socket.
    const stranger = await session(server)
    const chromium = await session(server)
    chromiumCookie = chromium.cookie.split('=')[1]!
    await expect(connect(bridge, server.origin, stranger)).rejects.toThrow(/403/)
    const socket = await connect(bridge, server.origin, chromium)
    expect(asked.map((c) => c.name)).toEqual([`bangtin-screen-${server.port}`, `bangtin-screen-${server.port}`])
    socket.send(JSON.stringify({ verb: 'played', payload: { itemId: 'a', programVersion: 'v', startedAt: 1, endedAt: 2 } }))
    await expect.poll(() => host.played.length).toBe(1)
    socket.close()
  })

  it('ends every session and its sockets when told Chromium’s code was taken', async () => {
    const { server, sha } = await start()
    const cookie = await session(server)
    const socket = await connect(`ws://127.0.0.1:${server.port}/bridge`, server.origin, cookie)
    const closed = new Promise((resolve) => socket.once('close', resolve))
    server.revokeSessions()
    await closed
    expect((await get(server.port, `/media/${sha}`, cookie)).status).toBe(403)
    expect((await get(server.port, '/', cookie)).status).toBe(303)
    await expect(connect(`ws://127.0.0.1:${server.port}/bridge`, server.origin, cookie)).rejects.toThrow(/403/)
    // A new Chromium start gets a new code that works.
    expect((await session(server)).cookie).not.toBe(cookie.cookie)
  })
})
