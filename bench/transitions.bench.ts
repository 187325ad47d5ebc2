// Playback benchmark: transition gaps (image→video, video→video, video→image) of the player in Chromium,
// against steady playback of the same clips and a naive stop-then-load page, measured in the page.
//
// A transition's gap is the longest interval without a newly presented frame from 500 ms before the
// swap until the incoming item has shown its third new frame (bench/fixtures/frame-recorder.js says what
// counts as a new frame and as a blank one). Steady playback is the player showing one long video made of
// the same clips, measured over windows of the transitions' lengths laid end to end (away from its loop
// point), so both see the same amount of screen time. The three are run in alternating rounds so that
// other load on the machine falls on all of them alike.
// Needs the built shell (`npx electron-vite build`), Chromium and ffmpeg; media are made in a temp dir.
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { availableParallelism, loadavg, tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { promisify } from 'node:util'
import { chromium, type Browser } from 'playwright-core'
import { TEST_CHROMIUM_FLAGS } from '../e2e/fixtures/chromium-flags'
import { findChromium } from '../main/browser/chromium'
import { sendFile } from '../main/browser/static-files'
import { BrowserShell, SHELL_ENTRY } from '../e2e/fixtures/browser-shell'
import { assetOf, contentFolder } from '../e2e/fixtures/content'
import { percentile, type BenchRow } from './report'

const run = promisify(execFile)
const FIXTURES = join(__dirname, 'fixtures')
const RECORDER = join(FIXTURES, 'frame-recorder.js')

/** Swaps ignored at the start of each recording: the first item comes on cold, without a preload. */
const WARMUP_SWAPS = 2
const BEFORE_SWAP_MS = 500
/** Frames of the incoming item that end a transition window. */
const INCOMING_FRAMES = 3
/** Timestamp jitter allowed when comparing with steady playback: half a 60 Hz refresh, less than one dropped frame. */
const TOLERANCE_MS = 8
/** Transitions per round; rounds alternate player, steady and naive. */
const ROUND_SIZE = 50
const IMAGE_SECONDS = 0.8
const CLIP_SECONDS = 1
/** The steady clip: the two clips alternated this many times (20 s), re-encoded with the same settings. */
const STEADY_REPEATS = 10


/** What frame-recorder.js hands back: parallel arrays, one entry per animation frame / video frame. */
interface Recording {
  ticks: { t: number[]; key: number[]; blank: number[]; fresh: number[]; luma: number[] }
  vfc: { t: number[]; key: number[]; presented: number[]; mediaTime: number[] }
  keys: { id: string; kind: string }[]
  longTasks: { start: number[]; duration: number[] }
  mediaEvents: { t: number[]; type: string[]; key: number[] }
  cost: { total: number; max: number; frames: number }
}

interface Transition {
  from: string
  to: string
  fromKey: number
  swapAt: number
  /** Window end: the incoming item's third new frame (or the next swap when it never showed three). */
  end: number
  gap: number
  complete: boolean
}

/** Everything measured for one of player / steady / naive, summed over its rounds. */
interface Measured {
  gaps: number[]
  /** "video→image" etc. per gap; empty for steady windows. */
  kinds: string[]
  incomplete: number
  blankFrames: number
  blankByReason: Record<string, number>
  frames: number
  frameIntervals: number[]
  /** Outgoing video: its last new frame → its 'ended' event → the swap frame (ms). */
  toEnded: number[]
  endedToSwap: number[]
  /** Incoming video: the swap frame → its first moving frame (ms). */
  toMotion: number[]
  windowsWithLongTask: number
  longestTask: number
  longTasks: number
  recorderMs: number
  recorderMaxMs: number
  recorderFrames: number
}

const BLANK_REASONS = ['', 'no slide on top', 'video below readyState 2', 'image not loaded', 'near-black', 'not rendered']

interface Media {
  dir: string
  image: string
  clipA: string
  clipB: string
  steady: string
}

export async function transitionsBench(options: { transitions: number }): Promise<BenchRow[]> {
  if (!existsSync(SHELL_ENTRY)) throw new Error(`transitions bench: ${SHELL_ENTRY} is missing; run npx electron-vite build first`)
  const executablePath = findChromium()
  if (!executablePath) throw new Error('transitions bench: no Chromium found (install chromium or set CHROMIUM_PATH)')
  const loadBefore = loadavg()[0]!
  const media = await makeMedia()
  const stops: (() => Promise<void>)[] = []
  try {
    const browser = await chromium.launch({ executablePath, args: TEST_CHROMIUM_FLAGS })
    stops.push(() => browser.close())
    const playerUrl = await startShell(playerManifest, media, stops)
    const steadyUrl = await startShell(steadyManifest, media, stops)
    const naiveUrl = await startNaiveServer(media, stops)

    const player = emptyMeasured()
    const steady = emptyMeasured()
    const naive = emptyMeasured()
    const rounds = Math.max(1, Math.round(options.transitions / ROUND_SIZE))
    for (let round = 0; round < rounds; round++) {
      const count = Math.round(((round + 1) * options.transitions) / rounds) - Math.round((round * options.transitions) / rounds)
      const untilSwaps = (p: Progress): boolean => p.swaps >= WARMUP_SWAPS + count + 1

      const playerRecording = await recordPage(browser, playerUrl, untilSwaps, count * 5_000 + 60_000)
      const transitions = transitionsOf(playerRecording, count)
      addTransitions(player, playerRecording, transitions)

      // Enough steady playback for windows of these lengths, plus the stretches around the clip's loop point.
      const lengths = transitions.map((t) => t.end - t.swapAt + BEFORE_SWAP_MS)
      const neededMs = lengths.reduce((a, b) => a + b, 0) * (1 + 2_000 / (STEADY_REPEATS * 2 * CLIP_SECONDS * 1000)) + 2_000
      const steadyRecording = await recordPage(browser, steadyUrl, (p) => p.elapsed >= neededMs, neededMs + 60_000)
      addSteady(steady, steadyRecording, lengths)

      const naiveRecording = await recordPage(browser, naiveUrl, untilSwaps, count * 10_000 + 60_000)
      addTransitions(naive, naiveRecording, transitionsOf(naiveRecording, count))
    }
    const machine = `load average ${loadBefore.toFixed(1)} before, ${loadavg()[0]!.toFixed(1)} after, on ${availableParallelism()} cores; ${rounds} round(s) of player, steady, naive`
    return rowsOf(player, steady, naive, machine)
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => undefined)
    await rm(media.dir, { recursive: true, force: true })
  }
}

// ---------- Media: bright, moving, short, made by ffmpeg in a temp dir.

async function makeMedia(): Promise<Media> {
  const dir = await mkdtemp(join(tmpdir(), 'bangtin-bench-transitions-'))
  const ffmpeg = process.env.FFMPEG_PATH || 'ffmpeg'
  const encode = ['-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p', '-r', '25', '-g', '25', '-movflags', '+faststart', '-an']
  const clip = async (source: string, out: string): Promise<string> => {
    const path = join(dir, out)
    await run(ffmpeg, ['-v', 'error', '-y', '-f', 'lavfi', '-i', `${source}=size=640x360:rate=25`, '-t', String(CLIP_SECONDS), ...encode, path])
    return path
  }
  const image = join(dir, 'image.png')
  await run(ffmpeg, ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'smptehdbars=size=1280x720', '-frames:v', '1', image])
  const clipA = await clip('testsrc2', 'clip-a.mp4')
  const clipB = await clip('testsrc', 'clip-b.mp4')
  const list = join(dir, 'steady.txt')
  await writeFile(list, Array.from({ length: STEADY_REPEATS }, () => `file '${clipA}'\nfile '${clipB}'\n`).join(''))
  const steady = join(dir, 'steady.mp4')
  await run(ffmpeg, ['-v', 'error', '-y', '-f', 'concat', '-safe', '0', '-i', list, ...encode, steady])
  return { dir, image, clipA, clipB, steady }
}

// ---------- What is played: the player's content folders and the naive page's server.

type ContentOf = (media: Media) => Promise<{ manifest: object; files: Record<string, string> }>

/** Image, video, video: image→video, video→video and video→image transitions in equal numbers. */
const playerManifest: ContentOf = async (media) => {
  const [image, clipA, clipB] = await Promise.all([
    assetOf(media.image, 'image/png', 'image.png'),
    assetOf(media.clipA, 'video/mp4', 'clip-a.mp4'),
    assetOf(media.clipB, 'video/mp4', 'clip-b.mp4')
  ])
  const items = [
    { id: 'anh', kind: 'image', asset: image.sha256, durationSec: IMAGE_SECONDS },
    { id: 'video-a', kind: 'video', asset: clipA.sha256 },
    { id: 'video-b', kind: 'video', asset: clipB.sha256 }
  ]
  return {
    manifest: { schema: 'bangtin.manifest/v1', version: 'bench-transitions', playlists: [{ id: 'p', name: 'transitions', items }], assets: [image, clipA, clipB] },
    files: { 'image.png': media.image, 'clip-a.mp4': media.clipA, 'clip-b.mp4': media.clipB }
  }
}

/** One long video of the same clips: steady playback, no transition until it loops. */
const steadyManifest: ContentOf = async (media) => {
  const steady = await assetOf(media.steady, 'video/mp4', 'steady.mp4')
  return {
    manifest: {
      schema: 'bangtin.manifest/v1',
      version: 'bench-steady',
      playlists: [{ id: 'p', name: 'steady', items: [{ id: 'steady', kind: 'video', asset: steady.sha256 }] }],
      assets: [steady]
    },
    files: { 'steady.mp4': media.steady }
  }
}

async function startShell(contentOf: ContentOf, media: Media, stops: (() => Promise<void>)[]): Promise<string> {
  const { manifest, files } = await contentOf(media)
  const content = await contentFolder(manifest, files)
  stops.push(() => rm(content, { recursive: true, force: true }))
  const shell = await BrowserShell.start({ args: ['--no-browser', '--content', content] })
  stops.push(() => shell.stop())
  return shell.screenUrl
}

async function startNaiveServer(media: Media, stops: (() => Promise<void>)[]): Promise<string> {
  const served: Record<string, string> = {
    '/': join(FIXTURES, 'naive-player.html'),
    '/naive-player.js': join(FIXTURES, 'naive-player.js'),
    [`/media/${basename(media.image)}`]: media.image,
    [`/media/${basename(media.clipA)}`]: media.clipA,
    [`/media/${basename(media.clipB)}`]: media.clipB
  }
  const playlist = JSON.stringify([
    { id: 'anh', kind: 'image', src: `media/${basename(media.image)}`, durationMs: IMAGE_SECONDS * 1000 },
    { id: 'video-a', kind: 'video', src: `media/${basename(media.clipA)}` },
    { id: 'video-b', kind: 'video', src: `media/${basename(media.clipB)}` }
  ])
  const types: Record<string, string> = { html: 'text/html; charset=utf-8', js: 'text/javascript', png: 'image/png', mp4: 'video/mp4' }
  const server: Server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname
    if (path === '/playlist.json') return void response.writeHead(200, { 'Content-Type': 'application/json' }).end(playlist)
    const file = served[path]
    if (!file) return void response.writeHead(404).end()
    sendFile(request, response, file, { 'Content-Type': types[file.split('.').pop()!] ?? 'application/octet-stream' }).catch(() => response.destroy())
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  stops.push(async () => {
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  })
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`
}

interface Progress {
  frames: number
  swaps: number
  elapsed: number
}

/** Opens `url` in a fresh 1280×720 page with the recorder, records until `done`, and hands the recording back. */
async function recordPage(browser: Browser, url: string, done: (progress: Progress) => boolean, timeoutMs: number): Promise<Recording> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } })
  try {
    const page = await context.newPage()
    await page.addInitScript({ content: await readFile(RECORDER, 'utf8') })
    await page.goto(url)
    await page.locator('.slide[data-active="true"][data-item-id]').first().waitFor({ timeout: 30_000 })
    await page.evaluate('globalThis.__frameRecorder.start()')
    const started = Date.now()
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, 500))
      const progress = (await page.evaluate('globalThis.__frameRecorder.progress()')) as Progress
      if (done(progress)) break
      if (Date.now() - started > timeoutMs) throw new Error(`transitions bench: ${url} made too little progress (${JSON.stringify(progress)})`)
    }
    const recording = (await page.evaluate('globalThis.__frameRecorder.stop()')) as Recording
    // BENCH_TRANSITIONS_DUMP=dir keeps each raw recording, to look into a missed target.
    const dump = process.env.BENCH_TRANSITIONS_DUMP
    if (dump) await writeFile(join(dump, `recording-${new URL(url).port}-${Date.now()}.json`), JSON.stringify({ url, ...recording }))
    return recording
  } finally {
    await context.close()
  }
}

// ---------- Analysis (Node side): new-frame times, transition windows, gaps, blank frames.

/**
 * Times of newly presented frames, any item: the recorder's per-frame flags and the video frame callbacks,
 * merged. When a video's presentedFrames moved by more than one between two callbacks (the main thread was
 * busy while the compositor kept presenting), the frames in between are spread evenly over that interval.
 */
function freshEvents(recording: Recording): { t: number; key: number }[] {
  const events: { t: number; key: number }[] = []
  const { ticks, vfc } = recording
  ticks.t.forEach((t, i) => {
    if (ticks.fresh[i]) events.push({ t, key: ticks.key[i]! })
  })
  vfc.t.forEach((t, i) => {
    const key = vfc.key[i]!
    const skipped = i > 0 && vfc.key[i - 1] === key ? vfc.presented[i]! - vfc.presented[i - 1]! - 1 : 0
    for (let k = 1; k <= skipped && skipped <= 10; k++) events.push({ t: vfc.t[i - 1]! + ((t - vfc.t[i - 1]!) * k) / (skipped + 1), key })
    events.push({ t, key })
  })
  events.sort((a, b) => a.t - b.t)
  // A video frame callback and the animation frame of the same rendering update share one timestamp: one new frame.
  return events.filter((e, i) => i === 0 || e.t - events[i - 1]!.t > 0.5 || e.key !== events[i - 1]!.key)
}

/** Longest interval between new frames over [from, to], counting the interval that straddles `from` in full. */
function longestGap(times: number[], from: number, to: number): number {
  let previous = NaN
  let longest = 0
  for (const t of times) {
    if (t <= from) {
      previous = t
      continue
    }
    if (t > to) break
    longest = Math.max(longest, t - (Number.isNaN(previous) ? from : previous))
    previous = t
  }
  if (!Number.isNaN(previous) && previous < to) longest = Math.max(longest, to - previous)
  return longest
}

/** The first `count` swaps after the warm-up, each with its window and gap. */
function transitionsOf(recording: Recording, count: number): Transition[] {
  const { ticks, keys } = recording
  const events = freshEvents(recording)
  const times = events.map((e) => e.t)
  const swaps: { index: number; from: number; to: number }[] = []
  let lastKey = -1
  let lastShownAt = -1
  ticks.key.forEach((key, i) => {
    if (key < 0) return
    if (lastKey >= 0 && key !== lastKey) swaps.push({ index: lastShownAt + 1, from: lastKey, to: key })
    lastKey = key
    lastShownAt = i
  })
  const transitions: Transition[] = []
  for (let s = WARMUP_SWAPS; s < swaps.length && transitions.length < count; s++) {
    const swap = swaps[s]!
    const swapAt = ticks.t[swap.index]!
    const nextSwapAt = s + 1 < swaps.length ? ticks.t[swaps[s + 1]!.index]! : ticks.t[ticks.t.length - 1]!
    const incoming = events.filter((e) => e.key === swap.to && e.t >= swapAt).slice(0, INCOMING_FRAMES)
    const complete = incoming.length === INCOMING_FRAMES
    const end = complete ? incoming[INCOMING_FRAMES - 1]!.t : nextSwapAt
    transitions.push({
      fromKey: swap.from,
      from: keys[swap.from]!.kind,
      to: keys[swap.to]!.kind,
      swapAt,
      end,
      gap: longestGap(times, swapAt - BEFORE_SWAP_MS, end),
      complete
    })
  }
  return transitions
}

function emptyMeasured(): Measured {
  return {
    gaps: [],
    kinds: [],
    incomplete: 0,
    blankFrames: 0,
    blankByReason: {},
    frames: 0,
    frameIntervals: [],
    toEnded: [],
    endedToSwap: [],
    toMotion: [],
    windowsWithLongTask: 0,
    longestTask: 0,
    longTasks: 0,
    recorderMs: 0,
    recorderMaxMs: 0,
    recorderFrames: 0
  }
}

function addRecorderCost(into: Measured, recording: Recording): void {
  into.recorderMs += recording.cost.total
  into.recorderMaxMs = Math.max(into.recorderMaxMs, recording.cost.max)
  into.recorderFrames += recording.cost.frames
}

/** Counts the animation frames over [from, to] and the blank ones among them, by reason. */
function addFrames(into: Measured, recording: Recording, from: number, to: number): void {
  const { t, blank } = recording.ticks
  for (let i = 0; i < t.length; i++) {
    if (t[i]! < from || t[i]! > to) continue
    into.frames++
    if (i > 0 && t[i - 1]! >= from) into.frameIntervals.push(t[i]! - t[i - 1]!)
    if (blank[i] === 0) continue
    into.blankFrames++
    const reason = BLANK_REASONS[blank[i]!] ?? String(blank[i])
    into.blankByReason[reason] = (into.blankByReason[reason] ?? 0) + 1
  }
}

function addTransitions(into: Measured, recording: Recording, transitions: Transition[]): void {
  if (transitions.length === 0) return
  addFrames(into, recording, transitions[0]!.swapAt - BEFORE_SWAP_MS, transitions[transitions.length - 1]!.end)
  const events = freshEvents(recording)
  const media = recording.mediaEvents
  const tasks = recording.longTasks.start.map((start, i) => ({ start, end: start + recording.longTasks.duration[i]! }))
  for (const t of transitions) {
    into.gaps.push(t.gap)
    into.kinds.push(`${t.from}→${t.to}`)
    if (!t.complete) into.incomplete++
    // Where the time goes: evidence for a missed target, not part of the figure.
    const incoming = events.filter((e) => e.t >= t.swapAt && e.t <= t.end)
    if (t.to === 'video' && incoming[1]) into.toMotion.push(incoming[1].t - t.swapAt)
    if (t.from === 'video') {
      const last = events.filter((e) => e.key === t.fromKey && e.t < t.swapAt).pop()
      const endedAt = media.t.find((at, i) => media.key[i] === t.fromKey && media.type[i] === 'ended' && at <= t.swapAt)
      if (last && endedAt !== undefined) {
        into.toEnded.push(endedAt - last.t)
        into.endedToSwap.push(t.swapAt - endedAt)
      }
    }
    const overlapping = tasks.filter((task) => task.start < t.end && task.end > t.swapAt - BEFORE_SWAP_MS)
    if (overlapping.length) into.windowsWithLongTask++
    for (const task of overlapping) into.longestTask = Math.max(into.longestTask, task.end - task.start)
  }
  into.longTasks += tasks.length
  addRecorderCost(into, recording)
}

/** Steady playback: windows of the given lengths, end to end, skipping the clip's own loop point. */
function addSteady(into: Measured, recording: Recording, lengths: number[]): void {
  const times = freshEvents(recording).map((e) => e.t)
  const ticks = recording.ticks
  // Around each loop (the rotator swapping the clip for its preloaded twin) is a transition, not steady playback.
  const excluded: [number, number][] = []
  for (let i = 1; i < ticks.t.length; i++) {
    if (ticks.key[i] !== ticks.key[i - 1]) excluded.push([ticks.t[i]! - BEFORE_SWAP_MS - 100, ticks.t[i]! + 500])
  }
  const first = ticks.t[0]! + 200
  const last = ticks.t[ticks.t.length - 1]!
  let cursor = first
  for (const length of lengths) {
    for (;;) {
      const overlap = excluded.find(([a, b]) => cursor < b && cursor + length > a)
      if (!overlap) break
      cursor = overlap[1]
    }
    if (cursor + length > last) break
    into.gaps.push(longestGap(times, cursor, cursor + length))
    cursor += length
  }
  addFrames(into, recording, first, Math.min(cursor, last))
  into.longTasks += recording.longTasks.start.length
  addRecorderCost(into, recording)
}

// ---------- Rows.

const median = (values: number[]): number => (values.length ? percentile(values, 50) : NaN)
const max = (values: number[]): number => (values.length ? Math.max(...values) : NaN)
const ms = (value: number): string => `${value.toFixed(1)} ms`

function detailOf(m: Measured): string {
  const parts: string[] = []
  const kinds = [...new Set(m.kinds)]
  if (kinds.length) {
    const byKind = kinds.map((kind) => {
      const gaps = m.gaps.filter((_, i) => m.kinds[i] === kind)
      return `${kind} ×${gaps.length}: median ${ms(median(gaps))}, max ${ms(max(gaps))}`
    })
    parts.push(byKind.join('; '), `${m.incomplete} without ${INCOMING_FRAMES} incoming frames before the next swap`)
  }
  parts.push(`gap mean ${ms(m.gaps.reduce((a, b) => a + b, 0) / m.gaps.length)}, p90 ${ms(percentile(m.gaps, 90))}`)
  const reasons = Object.entries(m.blankByReason).map(([reason, n]) => `${reason} ${n}`)
  parts.push(`${m.frames} animation frames, median interval ${ms(median(m.frameIntervals))}${reasons.length ? `; blank: ${reasons.join(', ')}` : ''}`)
  if (m.toEnded.length) parts.push(`outgoing video: last new frame → 'ended' median ${ms(median(m.toEnded))}, 'ended' → swap frame median ${ms(median(m.endedToSwap))}`)
  if (m.toMotion.length) parts.push(`incoming video: swap frame → first moving frame median ${ms(median(m.toMotion))}, max ${ms(max(m.toMotion))}`)
  parts.push(
    kinds.length
      ? `main-thread long tasks (> 50 ms): in ${m.windowsWithLongTask} of ${m.gaps.length} windows, longest ${m.longestTask.toFixed(0)} ms, ${m.longTasks} in all`
      : `main-thread long tasks (> 50 ms): ${m.longTasks}`
  )
  parts.push(`recorder's own main-thread time: mean ${ms(m.recorderMs / m.recorderFrames)} per frame, max ${ms(m.recorderMaxMs)}`)
  return parts.join('; ')
}

function rowsOf(player: Measured, steady: Measured, naive: Measured, machine: string): BenchRow[] {
  const row = (name: string, value: number, unit: string, detail?: string): BenchRow => ({ section: 'playback', name, value, unit, target: null, ok: null, ...(detail ? { detail } : {}) })
  const steadyMedian = median(steady.gaps)
  const steadyMax = max(steady.gaps)
  return [
    {
      section: 'playback',
      name: 'transition gap, median: player',
      value: median(player.gaps),
      unit: 'ms',
      target: `≤ steady median + ${TOLERANCE_MS} ms (${steadyMedian.toFixed(1)})`,
      ok: median(player.gaps) <= steadyMedian + TOLERANCE_MS,
      detail: `${detailOf(player)}; ${machine}`
    },
    {
      section: 'playback',
      name: 'transition gap, max: player',
      value: max(player.gaps),
      unit: 'ms',
      target: `≤ steady max + ${TOLERANCE_MS} ms (${steadyMax.toFixed(1)})`,
      ok: max(player.gaps) <= steadyMax + TOLERANCE_MS
    },
    { section: 'playback', name: 'transition blank frames: player', value: player.blankFrames, unit: 'frames', target: '0', ok: player.blankFrames === 0 },
    row('transitions measured: player', player.gaps.length, 'transitions'),
    row('steady playback gap, median (same window lengths)', steadyMedian, 'ms', detailOf(steady)),
    row('steady playback gap, max (same window lengths)', steadyMax, 'ms'),
    row('steady playback blank frames', steady.blankFrames, 'frames'),
    row('steady playback windows measured', steady.gaps.length, 'windows'),
    row('transition gap, median: naive stop-then-load', median(naive.gaps), 'ms', detailOf(naive)),
    row('transition gap, max: naive stop-then-load', max(naive.gaps), 'ms'),
    row('transition blank frames: naive stop-then-load', naive.blankFrames, 'frames'),
    row('transitions measured: naive stop-then-load', naive.gaps.length, 'transitions')
  ]
}
