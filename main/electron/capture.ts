// Screenshots in the Electron shell: the kiosk window's own composited frame (webContents.capturePage),
// downscaled and JPEG-encoded by Electron's NativeImage, so no image library ships with the player.
import type { BrowserWindow } from 'electron'
import { checkCaptureOptions, type CaptureOptions, type ScreenCapture } from '../core/shell-controls'

/** A capture waits for the compositor; one that never comes (a hung GPU process) must not hang the command. */
const CAPTURE_TIMEOUT_MS = 15_000

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}

/**
 * The shell's capture, reading the window at call time (windows are recreated after crashes). Sizes
 * are the image's own: capturePage gives device pixels, so a 2× display is fitted by its real width.
 */
export function windowCapture(
  currentWindow: () => BrowserWindow | null,
  timeoutMs = CAPTURE_TIMEOUT_MS
): (options: CaptureOptions) => Promise<ScreenCapture> {
  return async (options) => {
    checkCaptureOptions(options)
    const win = currentWindow()
    if (!win || win.isDestroyed() || win.webContents.isDestroyed()) throw new Error('no screen to capture: the kiosk window is not open')
    const image = await withTimeout(win.webContents.capturePage(), timeoutMs, 'capturePage')
    // Empty before the first paint, and for a window that is hidden or minimised.
    if (image.isEmpty()) throw new Error('no screen to capture: the window has no painted frame')
    const scaled = image.getSize().width > options.maxWidth ? image.resize({ width: options.maxWidth, quality: 'good' }) : image
    const { width, height } = scaled.getSize()
    return { jpeg: scaled.toJPEG(options.quality), width, height }
  }
}
