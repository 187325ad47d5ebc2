// The screen's Chromium seen over its DevTools pipe: crash reports of the screen's page, screenshots and
// reloads. Loaded only after Chromium has been started (chromium.ts): nothing here is needed sooner.
import type { Readable, Writable } from 'node:stream'
import { z } from 'zod'
import type { Logger } from '../core/log'
import type { CaptureOptions, ScreenCapture } from '../core/shell-controls'
import { CdpPipe } from './cdp-pipe'
import { pageRenderersOf } from './process-tree'
import { captureScreen, findScreenTarget, originOf } from './screen-capture'
import { LAUNCH_REFUSED_PATH } from './screen-session'

/** After its renderer is killed, the browser reports the page crashed within moments; a reload waits for that. */
const CRASH_REPORT_WITHIN_MS = 3_000

const crashSchema = z.object({ targetId: z.string(), status: z.string(), errorCode: z.number().nullish() })
const targetInfoSchema = z.object({ targetInfo: z.object({ targetId: z.string(), type: z.string(), url: z.string() }) })
const attachSchema = z.object({ sessionId: z.string() })
const cookiesSchema = z.object({ cookies: z.array(z.object({ name: z.string(), value: z.string(), domain: z.string() })) })

export interface ScreenDevToolsOptions {
  /** fd 3 of the child (what Chromium reads) and fd 4 (what it writes). */
  input: Writable
  output: Readable
  /** The screen's origin: it tells the screen's page from any other. */
  screenOrigin: string
  log: Logger
  /** The browser reported the screen's renderer gone: crashed, killed, out of memory. */
  screenGone?(detail: { status: string; errorCode: number | null }): void
  /** The screen's page landed on the server's refusal (its launch code was used by someone else). */
  launchRefused?(): void
}

export class ScreenDevTools {
  private readonly cdp: CdpPipe

  constructor(private readonly options: ScreenDevToolsOptions) {
    this.cdp = new CdpPipe(options.input, options.output, { log: options.log })
    this.reportCrashes()
  }

  close(reason: string): void {
    this.cdp.close(reason)
  }

  /** A screenshot of what this Chromium shows. */
  capture(options: CaptureOptions): Promise<ScreenCapture> {
    // Chromium runs but its DevTools pipe is gone (e.g. a runaway message): say so; the next Chromium start gets a new pipe.
    if (this.cdp.closed) return Promise.reject(new Error(`no screen to capture: the DevTools pipe to Chromium is closed (${this.cdp.closeReason})`))
    return captureScreen(this.cdp, this.options.screenOrigin, options)
  }

  /** Whether this Chromium holds `cookie` for the screen's host (the session it was given, not one someone else took). */
  async holdsCookie(cookie: { name: string; value: string }): Promise<boolean> {
    if (this.cdp.closed) return false
    const host = new URL(this.options.screenOrigin).hostname
    const { cookies } = cookiesSchema.parse(await this.cdp.send('Storage.getCookies', {}))
    return cookies.some((held) => held.name === cookie.name && held.value === cookie.value && held.domain === host)
  }

  /**
   * Reloads the screen's page. With `killRenderers`, first ends the page's renderer processes (a hung
   * renderer cannot run a reload; a crashed page can): the browser then reloads it in a fresh one.
   */
  async reload(killRenderers: boolean, browserPid: number): Promise<void> {
    const { cdp, options } = this
    if (cdp.closed) throw new Error('Chromium is not running')
    const targetId = await findScreenTarget(cdp, options.screenOrigin)
    if (killRenderers) {
      const pids = await pageRenderersOf(browserPid)
      if (pids.length === 0) throw new Error('no renderer process of the screen found to end')
      const reported = this.crashReported(targetId)
      for (const pid of pids) {
        try {
          process.kill(pid, 'SIGKILL')
        } catch {
          // already gone
        }
      }
      options.log.warn('ended the screen renderer processes', { pids })
      await reported
    }
    const { sessionId } = attachSchema.parse(await cdp.send('Target.attachToTarget', { targetId, flatten: true }))
    try {
      await cdp.send('Page.reload', {}, sessionId)
      options.log.info('screen reloaded', { killedRenderers: killRenderers })
    } finally {
      await cdp.send('Target.detachFromTarget', { sessionId }).catch(() => undefined)
    }
  }

  /** Asks the browser for target events and passes on a crash of the screen's page, or its refusal. */
  private reportCrashes(): void {
    const { cdp, options } = this
    const screenOrigin = originOf(options.screenOrigin)
    const pages = new Map<string, string>()
    let refused = false
    cdp.onEvent((method, params) => {
      if (method === 'Target.targetCreated' || method === 'Target.targetInfoChanged') {
        const info = targetInfoSchema.safeParse(params)
        if (!info.success || info.data.targetInfo.type !== 'page') return
        const { targetId, url } = info.data.targetInfo
        pages.set(targetId, url)
        // Told once per Chromium: the shell answers with a new session and a new Chromium.
        if (!refused && originOf(url) === screenOrigin && new URL(url).pathname === LAUNCH_REFUSED_PATH) {
          refused = true
          options.launchRefused?.()
        }
      } else if (method === 'Target.targetCrashed') {
        const crash = crashSchema.safeParse(params)
        if (!crash.success) return
        const url = pages.get(crash.data.targetId)
        if (url === undefined || originOf(url) !== screenOrigin) return
        options.log.error('screen renderer gone', { status: crash.data.status, errorCode: crash.data.errorCode ?? null })
        options.screenGone?.({ status: crash.data.status, errorCode: crash.data.errorCode ?? null })
      }
    })
    cdp.send('Target.setDiscoverTargets', { discover: true }).catch((error: Error) => {
      if (!cdp.closed) options.log.warn('no crash reports from Chromium', { reason: error.message })
    })
  }

  /** Resolves once the browser reports `targetId` crashed, or after a bound (then the reload is tried anyway). */
  private crashReported(targetId: string): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer)
        off()
        resolve()
      }
      const timer = setTimeout(done, CRASH_REPORT_WITHIN_MS)
      const off = this.cdp.onEvent((method, params) => {
        if (method === 'Target.targetCrashed' && crashSchema.safeParse(params).data?.targetId === targetId) done()
      })
    })
  }
}
