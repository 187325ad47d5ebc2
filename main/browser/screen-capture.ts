// A real-pixel screenshot of the page showing the screen, taken over CDP: the JPEG Chromium composited,
// downscaled by Chromium itself so no image library is needed here.
import { z } from 'zod'
import { checkCaptureOptions, type CaptureOptions, type ScreenCapture } from '../core/shell-controls'

/** The one call the capture needs from a CDP client (CdpPipe has it; tests may pass another). */
export interface CdpSender {
  send(method: string, params?: Record<string, unknown>, sessionId?: string, timeoutMs?: number): Promise<unknown>
}

const targetsSchema = z.object({
  targetInfos: z.array(z.object({ targetId: z.string(), type: z.string(), url: z.string() }))
})
const attachSchema = z.object({ sessionId: z.string() })
const viewportSchema = z.object({ clientWidth: z.number().positive(), clientHeight: z.number().positive() })
const metricsSchema = z.object({
  /** CSS pixels: what the clip is measured in. */
  cssLayoutViewport: viewportSchema,
  /** Device pixels: what the JPEG is made of (twice the CSS size on a 2× display). */
  layoutViewport: viewportSchema
})
const screenshotSchema = z.object({ data: z.string().min(1) })

/** Encoding a full-HD frame takes tens of milliseconds; a busy low-end box gets ample room. */
const SCREENSHOT_TIMEOUT_MS = 15_000

export const originOf = (url: string): string | null => {
  try {
    return new URL(url).origin
  } catch {
    return null
  }
}

/** The page target showing the screen: the first page on the screen's origin (whatever its path and query). */
export async function findScreenTarget(cdp: CdpSender, screenUrl: string): Promise<string> {
  const origin = originOf(screenUrl)
  const { targetInfos } = targetsSchema.parse(await cdp.send('Target.getTargets'))
  const page = targetInfos.find((t) => t.type === 'page' && originOf(t.url) === origin)
  if (!page) throw new Error(`no page showing the screen (${origin}) in Chromium yet`)
  return page.targetId
}

/** Width and height from a JPEG's start-of-frame header: the truth about what Chromium produced. */
export function jpegSize(jpeg: Buffer): { width: number; height: number } | null {
  if (jpeg.length < 4 || jpeg[0] !== 0xff || jpeg[1] !== 0xd8) return null
  let at = 2
  while (at + 9 <= jpeg.length) {
    if (jpeg[at] !== 0xff) return null
    const marker = jpeg[at + 1]!
    // SOF0–SOF15, except DHT (C4), JPG (C8) and DAC (CC), which share the range.
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { height: jpeg.readUInt16BE(at + 5), width: jpeg.readUInt16BE(at + 7) }
    }
    at += 2 + jpeg.readUInt16BE(at + 2)
  }
  return null
}

/** Attaches to the screen's page, takes one JPEG of its viewport at most maxWidth wide, and detaches. */
export async function captureScreen(cdp: CdpSender, screenUrl: string, options: CaptureOptions): Promise<ScreenCapture> {
  checkCaptureOptions(options)
  const targetId = await findScreenTarget(cdp, screenUrl)
  // A fresh session per capture: nothing to go stale when the page reloads or Chromium restarts.
  const { sessionId } = attachSchema.parse(await cdp.send('Target.attachToTarget', { targetId, flatten: true }))
  try {
    const metrics = metricsSchema.parse(await cdp.send('Page.getLayoutMetrics', {}, sessionId))
    const { clientWidth: width, clientHeight: height } = metrics.cssLayoutViewport
    // clip.scale multiplies device pixels, so the width to fit is the device one; never above 1.
    const scale = Math.min(1, options.maxWidth / metrics.layoutViewport.clientWidth)
    const shot = screenshotSchema.parse(
      await cdp.send(
        'Page.captureScreenshot',
        { format: 'jpeg', quality: options.quality, clip: { x: 0, y: 0, width, height, scale }, captureBeyondViewport: false },
        sessionId,
        SCREENSHOT_TIMEOUT_MS
      )
    )
    const jpeg = Buffer.from(shot.data, 'base64')
    const size = jpegSize(jpeg)
    if (!size) throw new Error('Chromium returned a screenshot that is not a JPEG')
    return { jpeg, ...size }
  } finally {
    await cdp.send('Target.detachFromTarget', { sessionId }).catch(() => undefined)
  }
}
