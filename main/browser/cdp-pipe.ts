// A Chrome DevTools Protocol client over --remote-debugging-pipe: JSON messages, each ended by a NUL
// byte, written to the child's fd 3 and read from its fd 4. No TCP port is opened for anyone to find.
import type { Readable, Writable } from 'node:stream'
import { z } from 'zod'
import type { Logger } from '../core/log'

/** What Chromium sends: an answer to one of our calls, or an event (passed to the listeners, if any). */
const responseSchema = z.object({
  id: z.number().int(),
  result: z.unknown().optional(),
  error: z.object({ code: z.number(), message: z.string() }).optional(),
  sessionId: z.string().optional()
})
const eventSchema = z.object({ method: z.string(), params: z.unknown().optional(), sessionId: z.string().optional() })

const DEFAULT_TIMEOUT_MS = 10_000
/** A message never ended by a NUL is cut off here rather than growing without bound (a 4K PNG is ~20 MB). */
const MAX_MESSAGE_BYTES = 64 * 1024 * 1024

interface Pending {
  method: string
  resolve: (result: unknown) => void
  reject: (error: Error) => void
  timer: NodeJS.Timeout
}

export interface CdpPipeOptions {
  /** How long a call may wait for its answer. */
  timeoutMs?: number
  /** Longest message accepted (tests lower it). */
  maxMessageBytes?: number
  log?: Logger
}

/** An event from the browser (e.g. `Target.targetCrashed`), with the session it came on, if any. */
export type CdpEventListener = (method: string, params: unknown, sessionId: string | undefined) => void

export class CdpPipe {
  private nextId = 1
  private readonly pending = new Map<number, Pending>()
  private chunks: Buffer[] = []
  private buffered = 0
  private closedReason: string | null = null
  private readonly timeoutMs: number
  private readonly maxMessageBytes: number
  private readonly log: Logger | undefined
  private readonly listeners = new Set<CdpEventListener>()

  /** `toChild` is the child's fd 3 (it reads commands there), `fromChild` its fd 4. */
  constructor(
    private readonly toChild: Writable,
    fromChild: Readable,
    options: CdpPipeOptions = {}
  ) {
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS
    this.maxMessageBytes = options.maxMessageBytes ?? MAX_MESSAGE_BYTES
    this.log = options.log
    fromChild.on('data', (chunk: Buffer) => this.receive(chunk))
    // An 'error' on either stream without a listener would crash the whole shell; a dead pipe is
    // only a closed connection.
    fromChild.on('error', (error: Error) => this.close(`pipe read failed: ${error.message}`))
    fromChild.on('end', () => this.close('pipe closed by the browser'))
    fromChild.on('close', () => this.close('pipe closed by the browser'))
    toChild.on('error', (error: Error) => this.close(`pipe write failed: ${error.message}`))
    toChild.on('close', () => this.close('pipe closed'))
  }

  get closed(): boolean {
    return this.closedReason !== null
  }

  /** Why the connection closed (null while open). */
  get closeReason(): string | null {
    return this.closedReason
  }

  /** Calls `method` (on the page attached as `sessionId`, if given) and resolves with its result. */
  send(method: string, params: Record<string, unknown> = {}, sessionId?: string, timeoutMs = this.timeoutMs): Promise<unknown> {
    if (this.closedReason !== null) return Promise.reject(new Error(`CDP ${method}: ${this.closedReason}`))
    const id = this.nextId++
    return new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id)
        reject(new Error(`CDP ${method}: no answer within ${timeoutMs} ms`))
      }, timeoutMs)
      this.pending.set(id, { method, resolve, reject, timer })
      const message = JSON.stringify(sessionId === undefined ? { id, method, params } : { id, method, params, sessionId })
      this.toChild.write(message + '\0')
    })
  }

  /** Calls `listener` for every event until the returned function is called. */
  onEvent(listener: CdpEventListener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /**
   * Rejects every call still waiting; the pipe cannot be used afterwards. The streams stay open:
   * Chromium quits when its end of the pipe closes, and that is the supervisor's call, not ours.
   */
  close(reason = 'pipe closed'): void {
    if (this.closedReason !== null) return
    this.closedReason = reason
    this.chunks = []
    this.buffered = 0
    for (const [id, call] of this.pending) {
      clearTimeout(call.timer)
      this.pending.delete(id)
      call.reject(new Error(`CDP ${call.method}: ${reason}`))
    }
  }

  private receive(chunk: Buffer): void {
    if (this.closedReason !== null) return
    // Split on NUL bytes in the raw bytes: a UTF-8 character may straddle two chunks.
    let start = 0
    let end = chunk.indexOf(0, start)
    while (end !== -1) {
      const tail = chunk.subarray(start, end)
      const message = this.chunks.length > 0 ? Buffer.concat([...this.chunks, tail]) : tail
      this.chunks = []
      this.buffered = 0
      this.dispatch(message.toString('utf8'))
      start = end + 1
      end = chunk.indexOf(0, start)
    }
    if (start < chunk.length) {
      this.chunks.push(chunk.subarray(start))
      this.buffered += chunk.length - start
      if (this.buffered > this.maxMessageBytes) {
        this.log?.error('CDP message too large; dropping the connection', { bytes: this.buffered })
        this.close('message too large')
      }
    }
  }

  private dispatch(text: string): void {
    let json: unknown
    try {
      json = JSON.parse(text)
    } catch {
      // One bad message is not a reason to lose the browser: the call it answered times out.
      this.log?.warn('CDP message is not JSON; ignored', { start: text.slice(0, 80) })
      return
    }
    const response = responseSchema.safeParse(json)
    if (response.success) {
      const call = this.pending.get(response.data.id)
      if (!call) return // answered after its timeout
      this.pending.delete(response.data.id)
      clearTimeout(call.timer)
      if (response.data.error) call.reject(new Error(`CDP ${call.method} failed: ${response.data.error.message} (${response.data.error.code})`))
      else call.resolve(response.data.result ?? {})
      return
    }
    const event = eventSchema.safeParse(json)
    if (!event.success) return void this.log?.warn('CDP message of unknown shape; ignored', { start: text.slice(0, 80) })
    for (const listener of this.listeners) {
      try {
        listener(event.data.method, event.data.params, event.data.sessionId)
      } catch (error) {
        // A listener's bug must not stop the answers after it from being read.
        this.log?.error('CDP event listener failed', { method: event.data.method, reason: (error as Error).message })
      }
    }
  }
}
