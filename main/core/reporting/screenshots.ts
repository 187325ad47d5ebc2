// Screenshots for the source system: real pixels from the shell, taken every so often and on command,
// queued in the outbox (bounded, survives restarts) and uploaded when the link allows.
import { randomUUID } from 'node:crypto'
import type { Logger } from '../log'
import type { ShellControls } from '../shell-controls'
import type { UploadOutbox } from './upload-outbox'

export interface ScreenshotOptions {
  shell: ShellControls
  outbox: Pick<UploadOutbox, 'add'>
  maxWidth: number
  /** 0: only on command. */
  intervalMs: number
  quality?: number
  log: Logger
  /** Called after one was queued (the uploader looks at once). */
  onQueued?: () => void
}

export interface TakenScreenshot {
  id: string
  width: number
  height: number
  bytes: number
}

export class Screenshots {
  private timer: NodeJS.Timeout | null = null
  private taking: Promise<TakenScreenshot> | null = null

  constructor(private readonly options: ScreenshotOptions) {}

  get available(): boolean {
    return this.options.shell.capture !== undefined
  }

  start(): void {
    if (this.options.intervalMs <= 0 || !this.available || this.timer) return
    this.timer = setInterval(() => {
      this.take().catch((error: Error) => this.options.log.warn('periodic screenshot failed', { reason: error.message }))
    }, this.options.intervalMs)
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer)
    this.timer = null
  }

  /** Captures now and queues it; one capture at a time (a second request shares the first). */
  take(commandId?: string): Promise<TakenScreenshot> {
    if (!this.taking) {
      this.taking = this.capture(commandId).finally(() => {
        this.taking = null
      })
    }
    return this.taking
  }

  private async capture(commandId: string | undefined): Promise<TakenScreenshot> {
    const capture = this.options.shell.capture
    if (!capture) throw new Error('this shell cannot capture its screen')
    const takenAt = new Date().toISOString()
    const shot = await capture({ maxWidth: this.options.maxWidth, quality: this.options.quality ?? 70 })
    if (shot.jpeg.length === 0) throw new Error('the capture came back empty')
    const id = `shot-${randomUUID()}`
    await this.options.outbox.add(
      { kind: 'screenshot', id, takenAt, contentType: 'image/jpeg', width: shot.width, height: shot.height, ...(commandId ? { commandId } : {}) },
      shot.jpeg
    )
    this.options.log.info('screenshot queued', { id, width: shot.width, height: shot.height, bytes: shot.jpeg.length })
    this.options.onQueued?.()
    return { id, width: shot.width, height: shot.height, bytes: shot.jpeg.length }
  }
}
