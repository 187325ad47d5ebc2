// What a shell (Electron or the browser shell) can do for the core beyond showing the screen: take a
// real screenshot, restart the player, list its log files. Each is optional: a command that needs a
// missing one is refused with the reason.

export interface CaptureOptions {
  /** Downscale to at most this width (keeping the aspect ratio); never upscale. */
  maxWidth: number
  /** JPEG quality 1–100. */
  quality: number
}

/** Both shells refuse nonsense options before touching the screen. */
export function checkCaptureOptions(options: CaptureOptions): void {
  if (!Number.isInteger(options.maxWidth) || options.maxWidth < 1) throw new Error(`capture: maxWidth must be a positive integer, not ${options.maxWidth}`)
  if (!Number.isInteger(options.quality) || options.quality < 1 || options.quality > 100) {
    throw new Error(`capture: quality must be an integer from 1 to 100, not ${options.quality}`)
  }
}

export interface ScreenCapture {
  jpeg: Buffer
  /** Size of the JPEG in pixels (after downscaling). */
  width: number
  height: number
}

export interface ShellControls {
  /** Real pixels of what the screen shows now (browser shell: CDP; Electron: webContents.capturePage). */
  capture?(options: CaptureOptions): Promise<ScreenCapture>
  /** Restarts the whole player (a new process); called after the command's acknowledgement went out. */
  restart?(): void
  /** The shell's log files, oldest first, for the upload-logs command. */
  logFiles?(): Promise<string[]>
}
