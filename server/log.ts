// Structured log of the reference server: JSON lines to an optional sink (the CLI's stderr), plus the
// last few hundred entries in memory so a failing test can print them. Bounded in size and rate.

export type LogLevel = 'info' | 'warn' | 'error'

export interface LogEntry {
  at: string
  level: LogLevel
  event: string
  [field: string]: unknown
}

export interface Logger {
  info(event: string, fields?: Record<string, unknown>): void
  warn(event: string, fields?: Record<string, unknown>): void
  error(event: string, fields?: Record<string, unknown>): void
}

/** Where JSON lines go; absent means quiet (tests). */
export type LogSink = (line: string) => void

const RECENT_ENTRIES = 500
const MAX_LINE_CHARS = 4000
/** A misbehaving fleet (thousands of simulated boards) must not turn stderr into the bottleneck. */
const MAX_LINES_PER_SEC = 100

export class ServerLog implements Logger {
  private readonly recentEntries: LogEntry[] = []
  private windowStart = 0
  private linesInWindow = 0
  private suppressed = 0

  constructor(
    private readonly sink: LogSink | null,
    private readonly now: () => number = Date.now
  ) {}

  info(event: string, fields: Record<string, unknown> = {}): void {
    this.write('info', event, fields)
  }

  warn(event: string, fields: Record<string, unknown> = {}): void {
    this.write('warn', event, fields)
  }

  error(event: string, fields: Record<string, unknown> = {}): void {
    this.write('error', event, fields)
  }

  /** The last entries, oldest first. */
  recent(): LogEntry[] {
    return [...this.recentEntries]
  }

  private write(level: LogLevel, event: string, fields: Record<string, unknown>): void {
    const head = { at: new Date(this.now()).toISOString(), level, event }
    // at/level/event first for people reading the stream, and never overridden by a field.
    const entry: LogEntry = Object.assign({}, head, fields, head)
    this.recentEntries.push(entry)
    if (this.recentEntries.length > RECENT_ENTRIES) this.recentEntries.shift()
    if (!this.sink) return
    const t = this.now()
    if (t - this.windowStart >= 1000) {
      if (this.suppressed > 0) this.emit({ at: new Date(t).toISOString(), level: 'warn', event: 'log-suppressed', count: this.suppressed })
      this.windowStart = t
      this.linesInWindow = 0
      this.suppressed = 0
    }
    if (this.linesInWindow >= MAX_LINES_PER_SEC) {
      this.suppressed++
      return
    }
    this.linesInWindow++
    this.emit(entry)
  }

  private emit(entry: LogEntry): void {
    let line = JSON.stringify(entry, (_key, value: unknown) => (value instanceof Error ? value.message : value))
    if (line.length > MAX_LINE_CHARS) {
      line = JSON.stringify({ at: entry.at, level: entry.level, event: entry.event, truncated: line.slice(0, MAX_LINE_CHARS - 200) })
    }
    this.sink?.(line)
  }
}
