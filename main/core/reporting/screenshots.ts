// Screenshots for the source system: real pixels from the shell, taken every so often and on command,
// queued in the outbox (bounded, survives restarts) and uploaded when the link allows.
import { randomUUID } from 'node:crypto'
import type { Logger } from '../log'
import type { ShellControls } from '../shell-controls'
import type { UploadMeta } from '../protocol/api'

export interface ScreenshotOptions {
  shell: ShellControls
  /** Keeps the file for upload (the reporter's outbox) and wakes the uploader. */
  queue(meta: UploadMeta, bytes: Buffer): Promise<void>
  maxWidth: number
  /** 0: only on command. */
  intervalMs: number
  quality?: number
  log: Logger
  /** False while the display is off: periodic shots then would only be black frames filling the outbox. */
  displayOn?: () => boolean
  /** Board time for takenAt (corrected from the server's clock); default the system clock. */
  now?: () => Date
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
  private takingFor: string | undefined

  constructor(private readonly options: ScreenshotOptions) {}

  get available(): boolean {
    return this.options.shell.capture !== undefined
  }

  start(): void {
    if (this.options.intervalMs <= 0 || !this.available || this.timer) return
    this.timer = setInterval(() => {
      if (this.options.displayOn?.() === false) return
      this.take().catch((error: Error) => this.options.log.warn('periodic screenshot failed', { reason: error.message }))
    }, this.options.intervalMs)
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer)
    this.timer = null
  }

  /**
   * Captures now and queues it. One capture at a time: a request during a capture for the same command
   * (or two periodic ones) shares it; a command arriving during another capture gets its own shot after.
   */
  take(commandId?: string): Promise<TakenScreenshot> {
    if (this.taking && this.takingFor === commandId) return this.taking
    const previous = this.taking?.catch(() => undefined) ?? Promise.resolve()
    const taking = previous
      .then(() => this.capture(commandId))
      .finally(() => {
        if (this.taking === taking) this.taking = null
      })
    this.taking = taking
    this.takingFor = commandId
    return taking
  }

  private async capture(commandId: string | undefined): Promise<TakenScreenshot> {
    const capture = this.options.shell.capture
    if (!capture) throw new Error('this shell cannot capture its screen')
    const takenAt = (this.options.now?.() ?? new Date()).toISOString()
    const shot = await capture({ maxWidth: this.options.maxWidth, quality: this.options.quality ?? 70 })
    if (shot.jpeg.length === 0) throw new Error('the capture came back empty')
    const id = `shot-${randomUUID()}`
    await this.options.queue(
      { kind: 'screenshot', id, takenAt, contentType: 'image/jpeg', width: shot.width, height: shot.height, ...(commandId ? { commandId } : {}) },
      shot.jpeg
    )
    this.options.log.info('screenshot queued', { id, width: shot.width, height: shot.height, bytes: shot.jpeg.length })
    return { id, width: shot.width, height: shot.height, bytes: shot.jpeg.length }
  }
}
