// The shared JSON-line logger that the player and the reference server both write through: record
// shape, Errors, and its bounds (tail, lines a second, line length), on a controlled clock.
import { describe, expect, it } from 'vitest'
import { JsonLineLog, teeLogger, memoryLogger, type JsonLineLogOptions } from '../../lib/log'

function logTo(lines: string[], clock: { t: number }, options: Partial<JsonLineLogOptions> = {}): JsonLineLog {
  return new JsonLineLog({
    sink: (line) => lines.push(line),
    now: () => clock.t,
    head: (level, message, at) => ({ at: at.toISOString(), level, event: message }),
    ...options
  })
}

describe('JsonLineLog', () => {
  it('writes one JSON line a record: the head first, never overridden by a field; an Error as its message', () => {
    const lines: string[] = []
    const log = logTo(lines, { t: Date.parse('2026-03-01T00:00:00Z') })
    log.warn('tải chậm', { level: 'forged', event: 'forged', error: new Error('kết nối bị ngắt'), bytes: 12 })
    expect(lines).toHaveLength(1)
    expect(lines[0]!.startsWith('{"at":"2026-03-01T00:00:00.000Z","level":"warn","event":"tải chậm"')).toBe(true)
    expect(JSON.parse(lines[0]!)).toEqual({ at: '2026-03-01T00:00:00.000Z', level: 'warn', event: 'tải chậm', error: 'kết nối bị ngắt', bytes: 12 })
  })

  it('still logs a record whose fields cannot be serialised', () => {
    const lines: string[] = []
    const cyclic: Record<string, unknown> = {}
    cyclic.self = cyclic
    logTo(lines, { t: 0 }).error('lỗi', { cyclic })
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 'error', event: 'lỗi', fields: '[unserialisable]' })
  })

  it('keeps only the newest records in its tail, even with no sink', () => {
    const log = logTo([], { t: 0 }, { sink: null, keepRecent: 3 })
    for (let n = 0; n < 10; n++) log.info('dòng', { n })
    expect(log.recent().map((r) => r.n)).toEqual([7, 8, 9])
  })

  it('lets through at most N lines a second and then says how many it held back', () => {
    const lines: string[] = []
    const clock = { t: 1_000_000 }
    const log = logTo(lines, clock, { maxLinesPerSec: 5, keepRecent: 100 })
    for (let n = 0; n < 12; n++) log.info('ồn', { n })
    expect(lines).toHaveLength(5)
    clock.t += 1000
    log.info('sau')
    expect(lines.slice(5).map((l) => JSON.parse(l) as { event: string; count?: number })).toEqual([
      { at: new Date(clock.t).toISOString(), level: 'warn', event: 'log-suppressed', count: 7 },
      { at: new Date(clock.t).toISOString(), level: 'info', event: 'sau' }
    ])
    // The tail is not rate-bound: a failing test sees everything.
    expect(log.recent()).toHaveLength(13)
  })

  it('cuts a line over the length bound to its head and a truncated copy', () => {
    const lines: string[] = []
    logTo(lines, { t: 0 }, { maxLineChars: 1000 }).info('lớn', { blob: 'x'.repeat(5000) })
    expect(lines[0]!.length).toBeLessThanOrEqual(1000)
    const record = JSON.parse(lines[0]!) as { event: string; truncated: string }
    expect(record.event).toBe('lớn')
    expect(record.truncated.startsWith('{"at":')).toBe(true)
  })
})

describe('teeLogger', () => {
  it('passes every record to each logger', () => {
    const a = memoryLogger()
    const b = memoryLogger()
    teeLogger(a, b).error('hỏng', { n: 1 })
    expect(a.records).toEqual([{ level: 'error', message: 'hỏng', fields: { n: 1 } }])
    expect(b.records).toEqual(a.records)
  })
})
