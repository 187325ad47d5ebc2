// Drains a durable queue (the proof-of-play journal, the screenshot and log outbox) to the source
// system, with backoff and jitter on failure. The transport is injected (`send`), so HTTP stays in the
// adapter and tests can use any server.
import type { Logger } from '../log'
import type { PlayBatch } from '../protocol/plays'
import { askedWaitMs } from '../sync/source-adapter'

/** A durable queue: the oldest batch (null when empty), and forgetting one once the server has it. */
export interface UploadQueue<B extends { batchId: string }> {
  nextBatch(size: number): Promise<B | null>
  acknowledge(batchId: string): Promise<unknown>
}

export interface UploaderOptions<B extends { batchId: string } = PlayBatch> {
  journal: UploadQueue<B>
  /** Resolves once the server has stored the batch (a 2xx answer); anything else rejects. */
  send(batch: B, signal: AbortSignal): Promise<void>
  /** What is being uploaded, for the log ("proof-of-play", "screenshot"). */
  what?: string
  /**
   * True for an error that retrying cannot fix (the server refuses this very batch): the batch is
   * dropped (and `onDropped` told) so it cannot block everything queued behind it. Default: none.
   */
  isPermanent?: (error: unknown) => boolean
  onDropped?: (batch: B, error: unknown) => void
  batchSize?: number
  /** How long to wait when the journal is empty, unless `kick()` comes first. */
  idleMs?: number
  retryBaseMs?: number
  retryMaxMs?: number
  random?: () => number
  log?: Logger
}

export interface Uploader {
  /** Something was appended: look again now instead of at the end of the idle wait. */
  kick(): void
  stop(): Promise<void>
}

/** Reports and uploads: retried after min(max, first × 2^(attempt−1)), the upper half of it at random; a 2xx resets it. */
export const UPLOAD_RETRY = { firstMs: 2_000, maxMs: 10 * 60_000 } as const

/** Delay before retry `attempt` (1-based): exponential, capped, with "equal jitter" so a hundred boards do not retry in step. */
export function retryDelayMs(attempt: number, baseMs: number, maxMs: number, random: () => number): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(attempt - 1, 30))
  return ceiling / 2 + (ceiling / 2) * random()
}

export function startUploader<B extends { batchId: string } = PlayBatch>(options: UploaderOptions<B>): Uploader {
  const batchSize = options.batchSize ?? 200
  const idleMs = options.idleMs ?? 30_000
  const baseMs = options.retryBaseMs ?? UPLOAD_RETRY.firstMs
  const maxMs = options.retryMaxMs ?? UPLOAD_RETRY.maxMs
  const random = options.random ?? Math.random
  const abort = new AbortController()
  let failures = 0
  let wake: (() => void) | null = null
  let kicked = false

  const pause = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer)
        abort.signal.removeEventListener('abort', done)
        wake = null
        resolve()
      }
      const timer = setTimeout(done, ms)
      abort.signal.addEventListener('abort', done)
      wake = done
    })

  const loop = async (): Promise<void> => {
    while (!abort.signal.aborted) {
      kicked = false
      let batch: B | null = null
      try {
        batch = await options.journal.nextBatch(batchSize)
        if (!batch) {
          if (!kicked) await pause(idleMs)
          continue
        }
        await options.send(batch, abort.signal)
        await options.journal.acknowledge(batch.batchId)
        failures = 0
      } catch (error) {
        if (abort.signal.aborted) break
        if (batch && options.isPermanent?.(error)) {
          options.log?.error(`${options.what ?? 'proof-of-play'} upload refused by the server; dropped`, { batchId: batch.batchId, reason: String(error) })
          options.onDropped?.(batch, error)
          await options.journal.acknowledge(batch.batchId).catch(() => {})
          continue
        }
        failures++
        const delay = Math.max(retryDelayMs(failures, baseMs, maxMs, random), askedWaitMs(error))
        options.log?.warn(`${options.what ?? 'proof-of-play'} upload failed; will retry`, { failures, delayMs: Math.round(delay), reason: String(error) })
        // A kick must not cut a backoff short: the server is the thing that is unwell.
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, delay)
          abort.signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true })
        })
      }
    }
  }
  const running = loop()

  return {
    kick() {
      kicked = true
      wake?.()
    },
    async stop() {
      abort.abort()
      await running
    }
  }
}
