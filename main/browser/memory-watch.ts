// The browser shell's memory ceiling, like the Electron shell's: Chromium's processes are sampled every
// minute and Chromium is restarted cleanly once they stay above the ceiling (core/memory-ceiling).
import type { Logger } from '../core/log'
import { memoryCeilingVerdict } from '../core/memory-ceiling'

export interface MemoryWatchOptions {
  ceilingMb: number
  everyMs: number
  /** Chromium's memory now (null: not running, or unknown on this system). */
  memoryMb(): Promise<number | null>
  /** Whether the schedule has the display on (null: unknown, counted as on). */
  displayOn(): boolean | null
  restart(reason: string): void
  log: Logger
}

/** Starts sampling; returns the function that stops it. */
export function watchMemory(options: MemoryWatchOptions): () => void {
  let over = false
  let sampling = false
  const sample = async (): Promise<void> => {
    const memoryMb = await options.memoryMb()
    if (memoryMb === null) return
    const verdict = memoryCeilingVerdict(options.ceilingMb, memoryMb, over, options.displayOn())
    if (verdict.over && !over) options.log.warn('chromium memory above the ceiling', { memoryMb: Math.round(memoryMb), ceilingMb: options.ceilingMb })
    over = verdict.over
    if (verdict.restart) {
      // The next Chromium starts small; its samples start afresh.
      over = false
      options.log.error('chromium memory above the ceiling; restarting it', { memoryMb: Math.round(memoryMb), ceilingMb: options.ceilingMb })
      options.restart(verdict.reason)
    }
  }
  const timer = setInterval(() => {
    if (sampling) return
    sampling = true
    sample()
      .catch((error: Error) => options.log.warn('chromium memory not sampled', { reason: error.message }))
      .finally(() => (sampling = false))
  }, options.everyMs)
  timer.unref()
  return () => clearInterval(timer)
}
