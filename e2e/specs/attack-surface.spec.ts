// Attack findings 6 and 9 (bidi) against the real browser shell and its own Chromium: a local process
// reads what any user may read (Chromium's command line, the shell's stdout) and tries every secret-looking
// thing in it; one races Chromium for its launch code; a notice smuggles bidi controls into a phone number;
// a Chromium without its sandbox (run as root) is said upstream.
import { readFileSync } from 'node:fs'
import { chmod, readFile, writeFile } from 'node:fs/promises'
import { request } from 'node:http'
import { join } from 'node:path'
import WebSocket from 'ws'
import { findChromium } from '../../main/browser/chromium'
import { ROOT, type BrowserShell } from '../fixtures/browser-shell'
import { textOnlyManifest } from '../fixtures/content'
import { decodePng, ocr } from '../fixtures/pixels'
import { expect, test } from '../fixtures/test'

/** A file the demo content has in the board's cache. */
const DEMO_SHA = (JSON.parse(readFileSync(join(ROOT, 'assets', 'demo', 'manifest.json'), 'utf8')) as { assets: { sha256: string }[] }).assets[0]!.sha256

function get(origin: string, path: string, headers: Record<string, string> = {}): Promise<{ status: number; setCookie: string | null }> {
  const { host, port } = new URL(origin)
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { host, ...headers } }, (res) => {
      res.resume()
      res.on('end', () => resolve({ status: res.statusCode ?? 0, setCookie: res.headers['set-cookie']?.[0]?.split(';')[0] ?? null }))
    })
    req.on('error', reject)
    req.end()
  })
}

/** The screen's socket as a local process opens it (it sets whatever Origin it likes); null when refused. */
function openSocket(origin: string, query: string, headers: Record<string, string> = {}): Promise<WebSocket | null> {
  return new Promise((resolve) => {
    const socket = new WebSocket(`${origin.replace('http', 'ws')}/bridge${query}`, { origin, headers })
    socket.once('open', () => resolve(socket))
    socket.once('error', () => resolve(null))
  })
}

/** What user `nobody` sent once in: a 30-minute quarantine of a good item, false proof of play, a false emergency receipt. */
function forge(socket: WebSocket): void {
  socket.send(JSON.stringify({ verb: 'itemFailed', payload: { itemId: 'forged-item', programVersion: 'forged', reason: 'forged', cause: 'broken' } }))
  socket.send(JSON.stringify({ verb: 'played', payload: { itemId: 'forged-item', programVersion: 'forged', startedAt: 1, endedAt: 2 } }))
  socket.send(JSON.stringify({ verb: 'emergencyShown', payload: { id: 'forged-emergency', at: 1 } }))
}

interface Loot {
  /** Session cookies the screen handed it (for a URL or code it found). */
  redeemed: string[]
  /** Sockets it got open (each was used to forge reports). */
  sockets: WebSocket[]
  /** Whether it could read a cached file. */
  media: boolean
}

/**
 * Everything a local process can try with the text it read: each screen URL opened (then `afterOpening`
 * runs), each long token tried as a launch code, a socket token and a session cookie, and each cookie
 * won used on media and the socket.
 */
async function plunder(origin: string, texts: string[], afterOpening?: () => Promise<void>): Promise<Loot> {
  const port = new URL(origin).port
  const all = texts.join('\n')
  const urls = [...new Set(all.match(/https?:\/\/127\.0\.0\.1:\d+\/[^\s\0'"]*/g) ?? [])]
  const secrets = [...new Set([...(all.match(/[\w-]{16,}/g) ?? []), ...urls.flatMap((url) => [...(url.match(/[\w-]{16,}/g) ?? [])])])]
  const loot: Loot = { redeemed: [], sockets: [], media: false }
  for (const url of urls) {
    const parsed = new URL(url)
    const page = await get(origin, `${parsed.pathname}${parsed.search}`)
    if (page.setCookie) loot.redeemed.push(page.setCookie)
  }
  await afterOpening?.()
  for (const secret of secrets) {
    const page = await get(origin, `/?launch=${encodeURIComponent(secret)}`)
    if (page.setCookie) loot.redeemed.push(page.setCookie)
    const socket = await openSocket(origin, `?token=${encodeURIComponent(secret)}`)
    if (socket) loot.sockets.push(socket)
  }
  const bare = await openSocket(origin, '')
  if (bare) loot.sockets.push(bare)
  if ((await get(origin, `/media/${DEMO_SHA}`)).status === 200) loot.media = true
  for (const cookie of new Set([...loot.redeemed, ...secrets.map((s) => `bangtin-screen-${port}=${s}`)])) {
    if ((await get(origin, `/media/${DEMO_SHA}`, { cookie })).status === 200) loot.media = true
    const socket = await openSocket(origin, '', { cookie })
    if (socket) loot.sockets.push(socket)
  }
  for (const socket of loot.sockets) forge(socket)
  return loot
}

const forgedReports = (shell: BrowserShell): number =>
  shell.count((r) => (r.message === 'item failed on screen' || r.message === 'item played') && r.itemId === 'forged-item') +
  shell.count((r) => r.message === 'emergency shown' && r.id === 'forged-emergency')

async function commandLineOf(pid: number): Promise<string> {
  return (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0').join(' ')
}

test('a local process reading Chromium’s command line and the shell’s stdout finds no usable secret', async ({ rig }) => {
  const shell = await rig.shell({ chromium: 'headless' })
  const chromium = await shell.waitForLog((r) => r.message === 'chromium started')
  await shell.waitForLog((r) => r.message === 'screen ready', 30_000)
  const loot = await plunder(shell.origin, [await commandLineOf(chromium.pid as number), ...shell.stdout])
  for (const socket of loot.sockets) socket.close()
  expect({ ...loot, sockets: loot.sockets.length }).toEqual({ redeemed: [], sockets: 0, media: false })
  expect(forgedReports(shell)).toBe(0)
})

test('a process that redeems Chromium’s launch code first ends up with no session, and the screen comes back', async ({ rig }) => {
  // Chromium's first start waits until the attacker has read its command line and used the code.
  const dir = await rig.tempDir('bangtin-race-')
  const real = findChromium()
  const wrapper = join(dir, 'chromium')
  await writeFile(
    wrapper,
    `#!/bin/sh\nif [ ! -e "${dir}/first" ]; then\n  : > "${dir}/first"\n  while [ ! -e "${dir}/go" ]; do sleep 0.05; done\nfi\nexec "${real}" "$@"\n`
  )
  await chmod(wrapper, 0o755)
  const shell = await rig.shell({ chromium: 'headless', env: { CHROMIUM_PATH: wrapper } })
  const first = await shell.waitForLog((r) => r.message === 'chromium started')
  // Chromium goes on once the attacker has opened every URL it found (used the code first, that is).
  const loot = await plunder(shell.origin, [await commandLineOf(first.pid as number), ...shell.stdout], () => writeFile(join(dir, 'go'), ''))
  for (const socket of loot.sockets) socket.close()
  // No socket (the host hears only the shell's own Chromium), though the race was won: a session for a moment.
  expect(loot.sockets.length).toBe(0)
  expect(loot.redeemed.length).toBeGreaterThan(0)

  // Chromium's own request is refused; the shell notices, ends every session and starts a new Chromium.
  await shell.waitForLog((r) => r.level === 'error' && /launch code was used by another process/.test(r.message), 30_000)
  await expect.poll(() => shell.count((r) => r.message === 'screen ready'), { timeout: 60_000 }).toBeGreaterThanOrEqual(1)
  expect(shell.count((r) => r.message === 'chromium started')).toBeGreaterThanOrEqual(2)
  for (const cookie of loot.redeemed) {
    expect((await get(shell.origin, `/media/${DEMO_SHA}`, { cookie })).status).toBe(403)
    expect(await openSocket(shell.origin, '', { cookie })).toBeNull()
  }
  expect(forgedReports(shell)).toBe(0)
})

test('bidi controls in a notice cannot reorder a phone number on screen', async ({ page, rig }) => {
  const numbers = ['0987 654 321', '0912 345 678', '0363 111 222']
  // An override, an isolate and a right-to-left mark: each, left alone, shows the digits in another order.
  const body = ['Đường dây nóng:', `\u202E${numbers[0]}\u202C`, `\u2067${numbers[1]}\u2069`, `${numbers[2]!.slice(0, 4)}\u200F${numbers[2]!.slice(4)}`].join('\n\n')
  const content = await rig.content({
    schema: 'bangtin.manifest/v1',
    version: 'bidi',
    playlists: [{ id: 'p', name: 'p', items: [{ id: 'nong', kind: 'text', title: 'Báo tin', body, durationSec: 600 }] }],
    assets: []
  })
  const shell = await rig.shell({ args: ['--content', content] })
  await page.setViewportSize({ width: 1280, height: 720 })
  await page.goto(shell.screenUrl)
  await expect(page.locator('.slide[data-active="true"]')).toContainText('Đường dây nóng')
  await page.evaluate(() => document.fonts.ready)
  const shot = await page.screenshot()
  await writeFile(test.info().outputPath('bidi.png'), shot)
  await test.info().attach('bidi.png', { body: shot, contentType: 'image/png' })
  const read = (await ocr(await decodePng(shot))).text
  // The digits in the order a passer-by reads them (top to bottom, left to right): the numbers as written.
  expect(read.replace(/\D/g, ''), read).toBe(numbers.join('').replace(/\D/g, ''))
})

test('a Chromium the shell had to start without its sandbox (as root) is reported to the province, not only logged', async ({ rig }) => {
  const { server, shell, deviceId } = await rig.pairedBoard('bang-hop-cat', textOnlyManifest('Bản tin', 'Lịch tiếp công dân.'), new Map(), { chromium: 'headless' })
  await shell.waitForLog((r) => r.message === 'screen ready', 30_000)
  const expected = process.getuid?.() === 0 ? 'off' : 'on'
  await expect.poll(() => server.latestHeartbeat(deviceId)?.screenSandbox ?? null, { timeout: 90_000 }).toBe(expected)
})
