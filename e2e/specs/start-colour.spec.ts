// Headful (Xvfb + openbox): the real screen is recorded from before Chromium starts until the notice
// shows; no frame may be white, and everything before the page draws is the stage colour (or the bare
// black X screen before Chromium's window appears).
import { writeFile } from 'node:fs/promises'
import { textOnlyManifest } from '../fixtures/content'
import type { RecordedFrame } from '../fixtures/x-display'
import { expect, test } from '../fixtures/test'

const WIDTH = 1280
const HEIGHT = 720
/** Recorded at a quarter of the size in each direction: enough to see a flash, small enough to grab fast. */
const REC_W = 320
const REC_H = 180

interface FrameLook {
  /** Pixels with every channel ≥ 200. */
  white: number
  /** The stage's dark blue (#0b2545 → #13315c gradient). */
  stage: number
  black: number
  /** Bright text pixels in the middle of the screen (the page drawn; not a title bar along the top). */
  bright: number
}

function lookAt(frame: RecordedFrame): FrameLook {
  const count = { white: 0, stage: 0, black: 0, bright: 0 }
  const pixels = REC_W * REC_H
  for (let i = 0; i < frame.rgb.length; i += 3) {
    const [r, g, b] = [frame.rgb[i]!, frame.rgb[i + 1]!, frame.rgb[i + 2]!]
    const row = Math.floor(i / 3 / REC_W)
    if (r >= 200 && g >= 200 && b >= 200) count.white++
    if (r + g + b > 600 && row > REC_H * 0.15 && row < REC_H * 0.85) count.bright++
    if (r + g + b < 15) count.black++
    else if (b > r && b > g && b >= 50 && b <= 110 && r <= 35 && g <= 65) count.stage++
  }
  return { white: count.white / pixels, stage: count.stage / pixels, black: count.black / pixels, bright: count.bright / pixels }
}

/** The page has drawn: text on the stage (the fallback slide's clock first, or the notice). */
const pageDrawn = (look: FrameLook): boolean => look.bright > 0.01 && look.stage > 0.5
/** The notice itself: its large title and body are more text than the fallback slide's clock. */
const noticeShown = (look: FrameLook): boolean => look.bright > 0.03 && look.stage > 0.5

test('Chromium starts on the stage colour: no white frame from its start until the notice shows', async ({ rig }, testInfo) => {
  const x = await rig.xDisplay(WIDTH, HEIGHT)
  const recording = x.record(REC_W, REC_H)
  rig.defer('stop recording the screen', () => recording.stop())
  const content = await rig.content(textOnlyManifest('Thông báo', 'Màn hình khởi động trên nền xanh của sân khấu, không chớp trắng.'))
  // The screen as it was before Chromium: recorded, so the start is seen from its first frame.
  await expect.poll(() => recording.frames.length, { timeout: 20_000 }).toBeGreaterThan(0)
  const shell = await rig.shell({ chromium: 'window', args: ['--content', content], env: { DISPLAY: x.display } })
  await shell.waitForLog((r) => r.message === 'chromium started')
  await shell.waitForLog((r) => r.message === 'screen ready', 30_000)
  await expect.poll(() => recording.frames.some((f) => noticeShown(lookAt(f))), { timeout: 30_000 }).toBe(true)
  await recording.stop()

  const looks = recording.frames.map(lookAt)
  const shownAt = looks.findIndex(pageDrawn)
  // Every distinct frame, from the bare screen to the notice, for people to look at.
  for (const [i, frame] of recording.frames.entries()) {
    const png = testInfo.outputPath(`frame-${String(i).padStart(2, '0')}.png`)
    await recording.save(frame, png)
    await testInfo.attach(`frame-${i}`, { path: png, contentType: 'image/png' })
  }
  const summary = looks.map((l, i) => `${i}: white ${(l.white * 100).toFixed(1)}% stage ${(l.stage * 100).toFixed(1)}% black ${(l.black * 100).toFixed(1)}%`)
  const report = testInfo.outputPath('frames.txt')
  await writeFile(report, `${recording.grabbed} frames grabbed, ${looks.length} distinct, the page drawn from frame ${shownAt}\n${summary.join('\n')}\n`)
  await testInfo.attach('frames.txt', { path: report, contentType: 'text/plain' })

  // No white frame at all (the notice's own white text is a few per cent of a frame).
  expect(looks.filter((l) => l.white > 0.25).length, summary.join('\n')).toBe(0)
  // Chromium's window was seen before the page drew, and it started on the stage colour.
  const firstWindow = looks.findIndex((l) => l.black < 0.9)
  expect(firstWindow, summary.join('\n')).toBeGreaterThanOrEqual(0)
  expect(firstWindow).toBeLessThanOrEqual(shownAt)
  expect(looks[firstWindow]!.stage, summary.join('\n')).toBeGreaterThan(0.5)
  // Until the page drew: stage or the bare black screen, all but a sliver (a window manager's title
  // bar may show for a frame while the window goes full screen).
  for (const [i, look] of looks.slice(0, shownAt).entries()) {
    expect(1 - look.stage - look.black, `frame ${i}: ${summary[i]}`).toBeLessThan(0.05)
  }
})
