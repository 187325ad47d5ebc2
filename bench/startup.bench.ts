// Cold start from a warm cache: from starting the browser shell to the first painted frame of its first
// item (a full-screen image), as a ratio to bare Chromium started with the same flags on a static page
// showing the same image. Both are timed by the browser itself (the image's largest-contentful-paint
// entry, read afterwards over a DevTools port), so the player's own proof-of-play stamp is checked
// against it rather than trusted. Runs alternate player and bare so other load falls on both alike.
// Needs the built shell (`npx electron-vite build`), Chromium and ffmpeg.
import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { availableParallelism, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { promisify } from 'node:util'
import { chromium } from 'playwright-core'
import { chromiumArgs, findChromium } from '../main/browser/chromium'
import { sendFile } from '../main/browser/static-files'
import { SHELL_ENTRY } from '../e2e/fixtures/browser-shell'
import { assetOf, contentFolder } from '../e2e/fixtures/content'
import { percentile, type BenchRow } from './report'

const run = promisify(execFile)
const TARGET_RATIO = 1.3

interface Sample {
  /** Process start → the image's first painted frame (ms). */
  total: number
  /** Process start → the page's navigation start (ms). */
  toNavigation: number
  /** Player only: its proof-of-play start of the first item minus the painted frame (ms; negative = stamped early). */
  stampError?: number
}

export async function startupBench(options: { runs: number }): Promise<BenchRow[]> {
  if (!existsSync(SHELL_ENTRY)) throw new Error(`startup bench: ${SHELL_ENTRY} is missing; run npx electron-vite build first`)
  const executablePath = findChromium()
  if (!executablePath) throw new Error('startup bench: no Chromium found (install chromium or set CHROMIUM_PATH)')
  const loadBefore = loadavg()[0]!
  const work = await mkdtemp(join(tmpdir(), 'bangtin-bench-startup-'))
  const stops: (() => Promise<void>)[] = []
  try {
    const image = join(work, 'image.png')
    await run(process.env.FFMPEG_PATH || 'ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'smptehdbars=size=1920x1080', '-frames:v', '1', image])
    const asset = await assetOf(image, 'image/png', 'image.png')
    const content = await contentFolder(
      {
        schema: 'bangtin.manifest/v1',
        version: 'bench-startup',
        playlists: [{ id: 'p', name: 'startup', items: [{ id: 'anh', kind: 'image', asset: asset.sha256, durationSec: 1 }] }],
        assets: [asset]
      },
      { 'image.png': image }
    )
    stops.push(() => rm(content, { recursive: true, force: true }))
    const bareUrl = await startBareServer(image, work, stops)
    const dataDir = join(work, 'player')
    const bareProfile = join(work, 'bare-profile')
    // One unmeasured start each: the cache imports the content, both profiles are created.
    await playerStart(dataDir, content)
    await bareStart(executablePath, bareUrl, bareProfile)
    const player: Sample[] = []
    const bare: Sample[] = []
    for (let i = 0; i < options.runs; i++) {
      player.push(await playerStart(dataDir, content))
      bare.push(await bareStart(executablePath, bareUrl, bareProfile))
    }
    const machine = `load average ${loadBefore.toFixed(1)} before, ${loadavg()[0]!.toFixed(1)} after, on ${availableParallelism()} cores; ${options.runs} runs each, alternating`
    return rowsOf(player, bare, machine)
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => undefined)
    await rm(work, { recursive: true, force: true })
  }
}

/** The bare baseline: a static page with nothing but the image, filling the window like the player's. */
async function startBareServer(image: string, work: string, stops: (() => Promise<void>)[]): Promise<string> {
  const page = join(work, 'bare.html')
  await writeFile(
    page,
    '<!doctype html><html><head><meta charset="utf-8"><title>bare</title><style>html,body{margin:0;height:100%;background:#0b2545}' +
      'img{display:block;width:100%;height:100%;object-fit:contain}</style></head><body><img src="image.png" alt=""></body></html>'
  )
  const server: Server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname
    const file = path === '/' ? page : path === '/image.png' ? image : null
    if (!file) return void response.writeHead(404).end()
    sendFile(request, response, file, { 'Content-Type': file === page ? 'text/html; charset=utf-8' : 'image/png', 'Cache-Control': 'no-store' }).catch(() => response.destroy())
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  stops.push(async () => {
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  })
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`
}

async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise((resolve) => server.close(resolve))
  return port
}

/** The player: the browser shell started as a box would start it, its Chromium headless with the product's flags. */
async function playerStart(dataDir: string, content: string): Promise<Sample> {
  const port = await freePort()
  const startedAt = Date.now()
  const shell = spawn(process.execPath, [SHELL_ENTRY, '--data-dir', dataDir, '--content', content, '--headless', `--chromium-arg=--remote-debugging-port=${port}`], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: boardEnvironment()
  })
  const played = new Promise<number>((resolve, reject) => {
    createInterface({ input: shell.stderr! }).on('line', (line) => {
      if (!line.includes('"message":"item played"')) return
      const record = JSON.parse(line) as { itemId?: string; startedAt?: number }
      if (record.itemId === 'anh' && typeof record.startedAt === 'number') resolve(record.startedAt)
    })
    shell.once('exit', (code) => reject(new Error(`startup bench: the shell exited with ${code}`)))
  })
  try {
    const stampedAt = await withTimeout(played, 60_000, 'no proof of play from the player')
    const paint = await firstImagePaint(port, '/media/')
    return { total: paint.at - startedAt, toNavigation: paint.timeOrigin - startedAt, stampError: stampedAt - paint.at }
  } finally {
    await stopProcess(shell)
  }
}

/**
 * The environment a board's service unit gives the shell: this one without NODE_EXTRA_CA_CERTS, which
 * development machines and CI sandboxes set for their proxies and which costs Node ~30 ms at every start
 * (it reads and parses the whole CA bundle before running a line of ours). Bare Chromium ignores it.
 */
function boardEnvironment(): NodeJS.ProcessEnv {
  const env = { ...process.env }
  delete env.NODE_EXTRA_CA_CERTS
  return env
}

/** Bare Chromium: the same flags as the player's (chromiumArgs), the static page instead of the screen. */
async function bareStart(executablePath: string, url: string, userDataDir: string): Promise<Sample> {
  const port = await freePort()
  const args = chromiumArgs({ executablePath, url, userDataDir, headless: true, extraArgs: [`--remote-debugging-port=${port}`] }, process.getuid?.() === 0)
  const startedAt = Date.now()
  // fds 3 and 4 are the DevTools pipe the player's flags ask for; left open and unused, as in the shell.
  const browser = spawn(executablePath, args, { stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'] })
  try {
    const paint = await firstImagePaint(port, '/image.png')
    return { total: paint.at - startedAt, toNavigation: paint.timeOrigin - startedAt }
  } finally {
    await stopProcess(browser)
  }
}

/**
 * The first painted frame of the page's image, from its largest-contentful-paint entry (the browser's own
 * paint timing, buffered, so connecting late changes nothing), in epoch ms; and the navigation start.
 */
async function firstImagePaint(port: number, urlPart: string): Promise<{ at: number; timeOrigin: number }> {
  const endpoint = await withTimeout(devtoolsEndpoint(port), 60_000, `no DevTools endpoint on port ${port}`)
  const browser = await chromium.connectOverCDP(endpoint)
  try {
    const deadline = Date.now() + 60_000
    for (;;) {
      const page = browser.contexts().flatMap((c) => c.pages()).find((p) => p.url().startsWith('http://127.0.0.1'))
      if (page) {
        const found = (await page.evaluate(paintProbe(urlPart))) as { at: number; timeOrigin: number } | null
        if (found) return found
      }
      if (Date.now() > deadline) throw new Error(`startup bench: no painted image on port ${port}`)
      await new Promise((r) => setTimeout(r, 200))
    }
  } finally {
    // Disconnects; the process is stopped by its owner.
    await browser.close().catch(() => undefined)
  }
}

/** In-page: the earliest LCP entry of the image (renderTime: its paint), or null when it has not painted yet. */
function paintProbe(urlPart: string): string {
  return `new Promise((resolve) => {
    new PerformanceObserver((list) => {
      const image = list.getEntries().filter((e) => e.url.includes(${JSON.stringify(urlPart)})).sort((a, b) => a.startTime - b.startTime)[0]
      if (image) resolve({ at: performance.timeOrigin + (image.renderTime || image.startTime), timeOrigin: performance.timeOrigin })
    }).observe({ type: 'largest-contentful-paint', buffered: true })
    setTimeout(() => resolve(null), 1000)
  })`
}

async function devtoolsEndpoint(port: number): Promise<string> {
  for (;;) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/json/version`)
      if (response.ok) return ((await response.json()) as { webSocketDebuggerUrl: string }).webSocketDebuggerUrl
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50))
  }
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise((resolve) => child.once('exit', resolve))
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
  await exited
  clearTimeout(timer)
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`startup bench: ${message} within ${ms} ms`)), ms)
    promise.then(
      (value) => (clearTimeout(timer), resolve(value)),
      (error: unknown) => (clearTimeout(timer), reject(error as Error))
    )
  })
}

function rowsOf(player: Sample[], bare: Sample[], machine: string): BenchRow[] {
  const median = (values: number[]): number => percentile(values, 50)
  const ratios = player.map((p, i) => p.total / bare[i]!.total)
  const ratio = median(player.map((p) => p.total)) / median(bare.map((b) => b.total))
  const stamps = player.flatMap((p) => (p.stampError === undefined ? [] : [p.stampError]))
  const list = (values: number[]): string => values.map((v) => v.toFixed(0)).join(', ')
  const row = (name: string, value: number, unit: string, detail?: string): BenchRow => ({ section: 'startup', name, value, unit, target: null, ok: null, ...(detail ? { detail } : {}) })
  return [
    {
      section: 'startup',
      name: 'cold start to first image frame: player ÷ bare Chromium (medians)',
      value: ratio,
      unit: '×',
      target: `≤ ${TARGET_RATIO}`,
      ok: ratio <= TARGET_RATIO,
      detail: `per-run ratios ${ratios.map((r) => r.toFixed(2)).join(', ')}; ${machine}`
    },
    row('cold start, median: player (shell start → image painted)', median(player.map((p) => p.total)), 'ms', `runs ${list(player.map((p) => p.total))}; shell start → page navigation median ${median(player.map((p) => p.toNavigation)).toFixed(0)} ms`),
    row('cold start, median: bare Chromium (start → image painted)', median(bare.map((b) => b.total)), 'ms', `runs ${list(bare.map((b) => b.total))}; Chromium start → page navigation median ${median(bare.map((b) => b.toNavigation)).toFixed(0)} ms`),
    {
      section: 'startup',
      name: 'first item proof-of-play start − its painted frame, median',
      value: median(stamps),
      unit: 'ms',
      // The page's own picture is stamped with its paint time; a rAF timestamp is the start of the
      // frame that paints, which a loaded box presents a few frames later.
      target: 'within ±50 ms (about 3 frames)',
      ok: Math.abs(median(stamps)) <= 50,
      detail: `per run ${list(stamps)}`
    }
  ]
}
