// Renderer recovery in the browser shell, on a real X screen (Xvfb + openbox, recorded with x11grab):
// the screen's renderer is killed (crash) or stopped (hang); measured are the time until the shell
// detects it (its log line) and from detection until the screen moves again (first recorded frames with
// the notice drawn and the ticker crawling). Targets: detected within 10 s, content back within 3 s after.
// Needs the built shell, Chromium, Xvfb, openbox and ffmpeg.
import { execFileSync } from 'node:child_process'
import { BrowserShell, type LogRecord } from '../e2e/fixtures/browser-shell'
import { shellTestChromiumArgs } from '../e2e/fixtures/chromium-flags'
import { screenRendererOf } from '../e2e/fixtures/chromium-processes'
import { contentFolder } from '../e2e/fixtures/content'
import { LIVE_MANIFEST, noticeDrawn, tickerMoved } from '../e2e/fixtures/live-screen'
import { XDisplay, type RecordedFrame, type ScreenRecording } from '../e2e/fixtures/x-display'
import { percentile, type BenchRow } from './report'
import { waitFor } from './wait'

const WIDTH = 1280
const HEIGHT = 720
/** Small frames, and only the latest 600 of them (10–20 s): the ticker makes every frame new. */
const REC_W = 160
const REC_H = 90
const REC_KEEP = 600
const DETECT_TARGET_MS = 10_000
const BACK_TARGET_MS = 3_000

type Mode = { name: 'killed' | 'hung'; signal: NodeJS.Signals; detected: string }
const MODES: Mode[] = [
  { name: 'killed', signal: 'SIGKILL', detected: 'screen renderer gone; reloading it' },
  { name: 'hung', signal: 'SIGSTOP', detected: 'screen renderer not answering; reloading it' }
]

const has = (tool: string): boolean => {
  try {
    execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

/** When the screen was live again after `from`: the first frame with the notice that the next frame shows the ticker moved from. */
function liveAgainAt(recording: ScreenRecording, from: number): number | null {
  const frames: RecordedFrame[] = recording.frames.filter((f) => f.at >= from)
  for (let i = 0; i + 1 < frames.length; i++) {
    const [a, b] = [frames[i]!, frames[i + 1]!]
    if (noticeDrawn(a.rgb, REC_W, REC_H) && noticeDrawn(b.rgb, REC_W, REC_H) && tickerMoved(a.rgb, b.rgb, REC_W, REC_H)) return a.at
  }
  return null
}

const liveNow = (recording: ScreenRecording): boolean => liveAgainAt(recording, Date.now() - 2000) !== null

export async function recoveryBench(options: { rounds: number }): Promise<BenchRow[]> {
  const missing = ['Xvfb', 'openbox', 'ffmpeg'].filter((tool) => !has(tool))
  if (missing.length > 0) {
    return [{ section: 'recovery', name: 'renderer recovery', value: NaN, unit: 'ms', target: null, ok: null, detail: `skipped: ${missing.join(', ')} not installed` }]
  }
  const rows: BenchRow[] = []
  for (const mode of MODES) {
    const x = await XDisplay.start(WIDTH, HEIGHT)
    const recording = x.record(REC_W, REC_H, REC_KEEP)
    const shell = await BrowserShell.start({ args: ['--content', await contentFolder(LIVE_MANIFEST), ...shellTestChromiumArgs()], env: { DISPLAY: x.display } })
    const detect: number[] = []
    const back: number[] = []
    try {
      const chromium = await shell.waitForLog((r) => r.message === 'chromium started')
      for (let round = 0; round < options.rounds; round++) {
        await waitFor(() => liveNow(recording), 60_000, 100)
        const seen = shell.count((r) => r.message === mode.detected)
        // The renderer of this round: the page's renderer is a new process after each recovery.
        const renderer = await screenRendererOf(chromium.pid as number)
        const killedAt = Date.now()
        process.kill(renderer, mode.signal)
        await waitFor(() => shell.count((r) => r.message === mode.detected) > seen, 60_000, 20)
        const detection: LogRecord = shell.log.filter((r) => r.message === mode.detected)[seen]!
        // The shell's own timestamp of the decision (same machine clock), not when the line reached us.
        const detectedAt = Date.parse(String(detection.t))
        await waitFor(() => liveAgainAt(recording, detectedAt) !== null, 60_000, 50)
        detect.push(detectedAt - killedAt)
        back.push(liveAgainAt(recording, detectedAt)! - detectedAt)
        // A stopped renderer the shell did not end would outlive the benchmark.
        try {
          process.kill(renderer, 'SIGKILL')
        } catch {
          // ended by the shell, as it should be
        }
      }
      if (shell.count((r) => r.message === 'chromium started') > 1) rows.push(restartRow(mode, shell))
    } finally {
      await recording.stop()
      await shell.stop()
      await x.stop()
    }
    const detectMax = Math.max(...detect)
    const backMax = Math.max(...back)
    rows.push(
      { section: 'recovery', name: `renderer ${mode.name} → detected, median (${detect.length} rounds)`, value: percentile(detect, 50), unit: 'ms', target: null, ok: null },
      { section: 'recovery', name: `renderer ${mode.name} → detected, max`, value: detectMax, unit: 'ms', target: `≤ ${DETECT_TARGET_MS} ms`, ok: detectMax <= DETECT_TARGET_MS },
      { section: 'recovery', name: `renderer ${mode.name}: detected → screen moving again, median`, value: percentile(back, 50), unit: 'ms', target: null, ok: null },
      { section: 'recovery', name: `renderer ${mode.name}: detected → screen moving again, max`, value: backMax, unit: 'ms', target: `≤ ${BACK_TARGET_MS} ms`, ok: backMax <= BACK_TARGET_MS }
    )
  }
  return rows
}

/** A reload that did not bring the screen back fell through to a Chromium restart: worth a row of its own. */
function restartRow(mode: Mode, shell: BrowserShell): BenchRow {
  const restarts = shell.count((r) => r.message === 'chromium started') - 1
  return { section: 'recovery', name: `renderer ${mode.name}: Chromium restarts needed`, value: restarts, unit: '', target: '0', ok: false }
}
