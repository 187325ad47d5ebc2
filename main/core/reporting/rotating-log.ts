// A Logger that writes JSON lines to size-rotated files with a hard bound on file count and bytes,
// however long the board stays offline; `files()` lists them for "upload logs" on command.
import { closeSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, statSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import type { Logger } from '../log'

export interface RotatingLogOptions {
  dir: string
  /** Files are `<name>.log` (newest), `<name>.1.log`, … `<name>.<maxFiles-1>.log` (oldest). */
  name?: string
  maxFileBytes?: number
  maxFiles?: number
  scope?: string
  /** Buffered lines are written after this long, or sooner when the buffer is large. */
  flushAfterMs?: number
  now?: () => Date
}

/** A single record is cut to this, so one huge message cannot take a whole file. */
const MAX_LINE_BYTES = 16 * 1024
const FLUSH_AT_BYTES = 64 * 1024

export class RotatingLog implements Logger {
  private readonly name: string
  private readonly maxFileBytes: number
  private readonly maxFiles: number
  private fd: number | null = null
  private size = 0
  private buffer: string[] = []
  private bufferBytes = 0
  private timer: NodeJS.Timeout | null = null

  constructor(private readonly options: RotatingLogOptions) {
    this.name = options.name ?? 'player'
    this.maxFileBytes = options.maxFileBytes ?? 2 * 1024 * 1024
    this.maxFiles = options.maxFiles ?? 5
    if (this.maxFiles < 1 || this.maxFileBytes < MAX_LINE_BYTES) throw new RangeError('a log needs at least one file that holds a whole line')
    mkdirSync(options.dir, { recursive: true })
    // Files left over from a larger maxFiles setting would break the bound.
    for (const file of readdirSync(options.dir)) {
      const match = new RegExp(`^${this.name}\\.(\\d+)\\.log$`).exec(file)
      if (match && Number(match[1]) >= this.maxFiles) rmSync(join(options.dir, file), { force: true })
    }
  }

  info(message: string, fields?: Record<string, unknown>): void {
    this.write('info', message, fields)
  }
  warn(message: string, fields?: Record<string, unknown>): void {
    this.write('warn', message, fields)
  }
  error(message: string, fields?: Record<string, unknown>): void {
    this.write('error', message, fields)
  }

  /** Log files, oldest first, after writing what is buffered. */
  files(): string[] {
    this.flush()
    const paths: string[] = []
    for (let index = this.maxFiles - 1; index >= 0; index--) {
      const path = this.pathOf(index)
      try {
        statSync(path)
        paths.push(path)
      } catch {
        // not written yet
      }
    }
    return paths
  }

  /** Lines that could not be written at all (the disk full, the folder gone and not re-creatable). */
  lostLines = 0

  /**
   * Writes buffered lines now (synchronously, so it also works from an exit or crash handler). Never
   * throws: a log that cannot be written must not take the player down with it.
   */
  flush(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    const lines = this.buffer
    this.buffer = []
    this.bufferBytes = 0
    try {
      this.writeLines(lines)
    } catch {
      // The folder may have been removed under us: start a fresh file once, else give the lines up.
      this.dropFd()
      try {
        mkdirSync(this.options.dir, { recursive: true })
        this.writeLines(lines)
      } catch (error) {
        this.dropFd()
        if (this.lostLines === 0) process.stderr.write(`log file not writable (${(error as Error).message}); lines are being lost\n`)
        this.lostLines += lines.length
      }
    }
  }

  private dropFd(): void {
    if (this.fd !== null) {
      try {
        closeSync(this.fd)
      } catch {
        // already unusable
      }
    }
    this.fd = null
    this.size = 0
  }

  private writeLines(lines: string[]): void {
    let chunk = ''
    let chunkBytes = 0
    for (const line of lines) {
      const bytes = Buffer.byteLength(line)
      this.ensureOpen()
      if (this.size + chunkBytes + bytes > this.maxFileBytes) {
        this.writeOut(chunk)
        chunk = ''
        chunkBytes = 0
        if (this.size > 0) this.rotate()
      }
      chunk += line
      chunkBytes += bytes
    }
    this.writeOut(chunk)
  }

  close(): void {
    this.flush()
    if (this.fd !== null) closeSync(this.fd)
    this.fd = null
  }

  private write(level: string, message: string, fields?: Record<string, unknown>): void {
    const record = { t: (this.options.now?.() ?? new Date()).toISOString(), level, scope: this.options.scope, message, ...fields }
    let line: string
    try {
      line = JSON.stringify(record)
    } catch {
      line = JSON.stringify({ t: record.t, level, scope: this.options.scope, message, fields: '[unserialisable]' })
    }
    if (Buffer.byteLength(line) > MAX_LINE_BYTES) {
      line = JSON.stringify({ t: record.t, level, scope: this.options.scope, message: message.slice(0, 2000), truncated: true })
    }
    line += '\n'
    this.buffer.push(line)
    this.bufferBytes += Buffer.byteLength(line)
    if (this.bufferBytes >= FLUSH_AT_BYTES) this.flush()
    else if (!this.timer) {
      this.timer = setTimeout(() => this.flush(), this.options.flushAfterMs ?? 200)
      this.timer.unref()
    }
  }

  private pathOf(index: number): string {
    return join(this.options.dir, index === 0 ? `${this.name}.log` : `${this.name}.${index}.log`)
  }

  private ensureOpen(): void {
    if (this.fd !== null) return
    this.fd = openSync(this.pathOf(0), 'a', 0o600)
    this.size = statSync(this.pathOf(0)).size
  }

  private writeOut(chunk: string): void {
    if (chunk === '') return
    this.ensureOpen()
    const bytes = Buffer.from(chunk)
    let offset = 0
    while (offset < bytes.length) offset += writeSync(this.fd!, bytes, offset)
    this.size += bytes.length
  }

  /** Shifts every file one place older; the oldest falls off, so the count never grows. */
  private rotate(): void {
    if (this.fd !== null) closeSync(this.fd)
    this.fd = null
    rmSync(this.pathOf(this.maxFiles - 1), { force: true })
    for (let index = this.maxFiles - 2; index >= 0; index--) {
      try {
        renameSync(this.pathOf(index), this.pathOf(index + 1))
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
      }
    }
    this.ensureOpen()
  }
}
