// Structured logging shared by every Node process of the project (the player's core and shells, the
// reference server): the Logger interface, and JSON lines with an in-memory tail and size/rate bounds.
// Knows nothing of boards or servers: each caller chooses the names of its records' leading fields.

export type LogLevel = 'info' | 'warn' | 'error'
export type LogFields = Record<string, unknown>

export interface Logger {
  info(message: string, fields?: LogFields): void
  warn(message: string, fields?: LogFields): void
  error(message: string, fields?: LogFields): void
}

/** Where JSON lines go, one call per line (without the newline). */
export type LogSink = (line: string) => void

/** A record's leading fields (when, how bad, what), named as the caller's format wants. */
export type LogHead = (level: LogLevel, message: string, at: Date) => LogFields

export interface JsonLineLogOptions {
  /** Null: write nothing, only keep the tail (tests that want quiet). */
  sink: LogSink | null
  head: LogHead
  now?: () => number
  /** How many records `recent()` keeps, oldest dropped first (default 0: none). */
  keepRecent?: number
  /** Lines a second the sink gets at most; the rest are counted and reported in the next second (default: no bound). */
  maxLinesPerSec?: number
  /** A longer line is replaced by the record's head and a truncated copy of it (default: no bound). */
  maxLineChars?: number
}

/** JSON of a log record: an Error is written as its message (JSON.stringify would write {}). */
function stringify(record: LogFields): string {
  return JSON.stringify(record, (_key, value: unknown) => (value instanceof Error ? value.message : value))
}

export class JsonLineLog implements Logger {
  private readonly recentRecords: LogFields[] = []
  private readonly now: () => number
  private windowStart = 0
  private linesInWindow = 0
  private suppressed = 0

  constructor(private readonly options: JsonLineLogOptions) {
    this.now = options.now ?? Date.now
  }

  info(message: string, fields?: LogFields): void {
    this.write('info', message, fields)
  }

  warn(message: string, fields?: LogFields): void {
    this.write('warn', message, fields)
  }

  error(message: string, fields?: LogFields): void {
    this.write('error', message, fields)
  }

  /** The last `keepRecent` records, oldest first. */
  recent(): LogFields[] {
    return [...this.recentRecords]
  }

  private write(level: LogLevel, message: string, fields: LogFields = {}): void {
    const t = this.now()
    const head = this.options.head(level, message, new Date(t))
    // The head first for people reading the stream, and never overridden by a field of the same name.
    const record: LogFields = Object.assign({}, head, fields, head)
    const keep = this.options.keepRecent ?? 0
    if (keep > 0) {
      this.recentRecords.push(record)
      if (this.recentRecords.length > keep) this.recentRecords.shift()
    }
    if (!this.options.sink || !this.admit(t)) return
    this.emit(head, record)
  }

  /** Whether the rate bound lets one more line out now; at a new second, first reports what it held back. */
  private admit(t: number): boolean {
    const max = this.options.maxLinesPerSec
    if (max === undefined) return true
    if (t - this.windowStart >= 1000) {
      if (this.suppressed > 0) {
        const head = this.options.head('warn', 'log-suppressed', new Date(t))
        this.emit(head, { ...head, count: this.suppressed })
      }
      this.windowStart = t
      this.linesInWindow = 0
      this.suppressed = 0
    }
    if (this.linesInWindow >= max) {
      this.suppressed++
      return false
    }
    this.linesInWindow++
    return true
  }

  private emit(head: LogFields, record: LogFields): void {
    let line: string
    try {
      line = stringify(record)
    } catch {
      // A cycle or a BigInt in the fields: the record still says what happened.
      line = stringify({ ...head, fields: '[unserialisable]' })
    }
    const max = this.options.maxLineChars
    if (max !== undefined && line.length > max) line = stringify({ ...head, truncated: line.slice(0, Math.max(0, max - 200)) })
    this.options.sink?.(line)
  }
}

/** Writes every record to each logger (e.g. the console for supervisors and a bounded file for uploads). */
export function teeLogger(...loggers: Logger[]): Logger {
  return {
    info: (m, f) => loggers.forEach((l) => l.info(m, f)),
    warn: (m, f) => loggers.forEach((l) => l.warn(m, f)),
    error: (m, f) => loggers.forEach((l) => l.error(m, f))
  }
}

/** A logger that keeps records in memory (tests; the status overlay's recent errors). */
export function memoryLogger(): Logger & { records: { level: LogLevel; message: string; fields?: LogFields }[] } {
  const records: { level: LogLevel; message: string; fields?: LogFields }[] = []
  return {
    records,
    info: (message, fields) => records.push({ level: 'info', message, fields }),
    warn: (message, fields) => records.push({ level: 'warn', message, fields }),
    error: (message, fields) => records.push({ level: 'error', message, fields })
  }
}
