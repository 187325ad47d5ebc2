// The logger interface the core writes to; shells plug in their own sink (console, electron-log, a file).
export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void
  warn(message: string, fields?: Record<string, unknown>): void
  error(message: string, fields?: Record<string, unknown>): void
}

/** One JSON line per record on stderr: readable by people and by log shippers alike. */
export function consoleLogger(scope: string): Logger {
  const write = (level: string, message: string, fields?: Record<string, unknown>): void => {
    const record = { t: new Date().toISOString(), level, scope, message, ...fields }
    process.stderr.write(JSON.stringify(record) + '\n')
  }
  return {
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f)
  }
}

/** A logger that keeps records in memory (for tests and for the status overlay's recent errors). */
export function memoryLogger(): Logger & { records: { level: string; message: string; fields?: Record<string, unknown> }[] } {
  const records: { level: string; message: string; fields?: Record<string, unknown> }[] = []
  return {
    records,
    info: (message, fields) => records.push({ level: 'info', message, fields }),
    warn: (message, fields) => records.push({ level: 'warn', message, fields }),
    error: (message, fields) => records.push({ level: 'error', message, fields })
  }
}

/** Writes every record to each logger (the console for supervisors, a bounded file for uploads). */
export function teeLogger(...loggers: Logger[]): Logger {
  return {
    info: (m, f) => loggers.forEach((l) => l.info(m, f)),
    warn: (m, f) => loggers.forEach((l) => l.warn(m, f)),
    error: (m, f) => loggers.forEach((l) => l.error(m, f))
  }
}
