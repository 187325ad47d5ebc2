// The reference server's log: the shared JSON-line logger (lib/log.ts) in the server's record shape
// ({ at, level, event, ...fields }), to an optional sink (the CLI's stderr), with the last few hundred
// records kept for a failing test to print. Bounded in size and rate.
import { JsonLineLog, type LogLevel, type LogSink } from '../lib/log'

export type { Logger, LogSink } from '../lib/log'

export interface LogEntry {
  at: string
  level: LogLevel
  event: string
  [field: string]: unknown
}

const RECENT_ENTRIES = 500
const MAX_LINE_CHARS = 4000
/** A misbehaving fleet (thousands of simulated boards) must not turn stderr into the bottleneck. */
const MAX_LINES_PER_SEC = 100

export class ServerLog extends JsonLineLog {
  constructor(sink: LogSink | null, now: () => number = Date.now) {
    super({
      sink,
      now,
      head: (level, event, at) => ({ at: at.toISOString(), level, event }),
      keepRecent: RECENT_ENTRIES,
      maxLinesPerSec: MAX_LINES_PER_SEC,
      maxLineChars: MAX_LINE_CHARS
    })
  }

  override recent(): LogEntry[] {
    return super.recent() as LogEntry[]
  }
}
