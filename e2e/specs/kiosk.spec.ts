// Headful: the browser shell launches the system Chromium in kiosk mode on a real X screen (Xvfb +
// openbox); a capture of the real screen shows the player filling it, with no browser chrome.
import { textOnlyManifest } from '../fixtures/content'
import { expect, test } from '../fixtures/test'

const WIDTH = 1280
const HEIGHT = 720

/** The stage's background is a dark blue gradient (#0b2545 → #13315c); browser chrome is grey or white. */
function isStageBlue(r: number, g: number, b: number): boolean {
  return b > r && b > g && b >= 50 && b <= 110 && r <= 35 && g <= 65
}

test('kiosk window fills the real screen with the player and no browser chrome', async ({ rig }, testInfo) => {
  const x = await rig.xDisplay(WIDTH, HEIGHT)
  const content = await rig.content(textOnlyManifest('Thông báo thử nghiệm', 'Màn hình kiosk hiển thị toàn bộ nội dung, không có thanh công cụ của trình duyệt.'))
  const shell = await rig.shell({ chromium: 'window', args: ['--content', content], env: { DISPLAY: x.display } })
  await shell.waitForLog((r) => r.message === 'chromium started')
  await shell.waitForLog((r) => r.message === 'content loaded')
  await shell.waitForLog((r) => r.message === 'screen ready', 30_000)
  // Let the first frame with the bundled font settle before capturing the real screen.
  await new Promise((r) => setTimeout(r, 2500))
  const png = testInfo.outputPath('kiosk-screen.png')
  const rgb = await x.capture(png)
  await testInfo.attach('kiosk-screen', { path: png, contentType: 'image/png' })
  expect(rgb.length).toBe(WIDTH * HEIGHT * 3)

  const pixel = (px: number, py: number): [number, number, number] => {
    const i = (py * WIDTH + px) * 3
    return [rgb[i]!, rgb[i + 1]!, rgb[i + 2]!]
  }
  // Every pixel of a 16-pixel frame around the screen edge is the stage: no title bar, no tab strip,
  // no infobar, no window border, no desktop showing around a smaller window.
  const notStage: string[] = []
  for (let py = 0; py < HEIGHT; py++) {
    for (let px = 0; px < WIDTH; px++) {
      const onEdge = py < 16 || py >= HEIGHT - 16 || px < 16 || px >= WIDTH - 16
      if (onEdge && !isStageBlue(...pixel(px, py))) notStage.push(`(${px},${py})=${pixel(px, py).join(',')}`)
    }
  }
  expect(notStage.slice(0, 10), `${notStage.length} edge pixels are not the stage`).toEqual([])
  // And the text is drawn: bright pixels in the middle of the screen.
  let bright = 0
  for (let py = HEIGHT / 4; py < (HEIGHT * 3) / 4; py++) {
    for (let px = WIDTH / 8; px < (WIDTH * 7) / 8; px++) {
      const [r, g, b] = pixel(px, py)
      if (r + g + b > 600) bright++
    }
  }
  expect(bright).toBeGreaterThan(2000)
})
