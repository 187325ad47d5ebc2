// True uptime: hung renderers, frozen frames, display-off time, restarts and wall-clock jumps.
import { join } from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { emptyUptimeState, observeUptime, UptimeLedger, uptimeReport, type UptimeObservation, type UptimeState } from '../../../../main/core/reporting/uptime-ledger'
import { useTempDirs } from '../../../helpers/temp-dir'

const ZONE = { timeZone: 'Asia/Ho_Chi_Minh', pongBoundMs: 10_000 }
/** 2024-05-10 09:00 in Hà Nội. */
const NINE_AM = Date.parse('2024-05-10T02:00:00Z')
const DAY = '2024-05-10'

/** Observations every 5 s for `seconds`, from a shape function of the step. */
function run(state: UptimeState, seconds: number, shape: (step: number) => Partial<UptimeObservation>, start = { at: NINE_AM, mono: 1_000 }): UptimeState {
  let s = state
  for (let step = 0; step * 5 <= seconds; step++) {
    const mono = start.mono + step * 5_000
    s = observeUptime(s, { at: start.at + step * 5_000, mono, shouldPlay: true, pongAt: mono - 1_000, frameCounter: step * 300, ...shape(step) }, ZONE)
  }
  return s
}

describe('uptime ledger', () => {
  const tempDir = useTempDirs()

  it('counts time up when the renderer answers and frames advance', () => {
    const report = uptimeReport(run(emptyUptimeState(), 60, () => ({})), DAY)
    expect(report).toEqual({ date: DAY, upSeconds: 60, downSeconds: 0, expectedSeconds: 60, percent: 100 })
  })

  it('counts a hung renderer (no recent pong) as down', () => {
    const state = run(emptyUptimeState(), 60, (step) => (step >= 6 ? { pongAt: 1_000 + 25_000 } : {}))
    // The pong at 26 s stays fresh until 36 s, so steps 6 and 7 are still up.
    expect(uptimeReport(state, DAY)).toMatchObject({ upSeconds: 35, downSeconds: 25, expectedSeconds: 60 })
  })

  it('counts frozen frames as down even though pings are answered', () => {
    const state = run(emptyUptimeState(), 60, (step) => ({ frameCounter: step < 4 ? step * 300 : 900 }))
    expect(uptimeReport(state, DAY)).toMatchObject({ upSeconds: 15, downSeconds: 45, percent: 25 })
  })

  it('counts a renderer that never reported frames as down', () => {
    const state = run(emptyUptimeState(), 30, () => ({ frameCounter: undefined }))
    expect(uptimeReport(state, DAY)).toMatchObject({ upSeconds: 0, downSeconds: 30 })
  })

  it('leaves display-off time out of both up and expected', () => {
    const state = run(emptyUptimeState(), 60, (step) => ({ shouldPlay: step < 6, pongAt: undefined, frameCounter: 0 }))
    // Only the six intervals after an observation with shouldPlay=true count, all down (no pong).
    expect(uptimeReport(state, DAY)).toMatchObject({ upSeconds: 0, downSeconds: 30, expectedSeconds: 30 })
    const off = run(emptyUptimeState(), 60, () => ({ shouldPlay: false }))
    expect(uptimeReport(off, DAY)).toEqual({ date: DAY, upSeconds: 0, downSeconds: 0, expectedSeconds: 0, percent: null })
  })

  it('splits time at local midnight in the board zone', () => {
    const beforeMidnight = Date.parse('2024-05-10T16:59:30Z') // 23:59:30 in Hà Nội
    const state = run(emptyUptimeState(), 60, () => ({}), { at: beforeMidnight, mono: 0 })
    expect(uptimeReport(state, '2024-05-10').upSeconds).toBe(30)
    expect(uptimeReport(state, '2024-05-11').upSeconds).toBe(30)
  })

  it('persists across restarts and counts the restart gap as down when play was expected', async () => {
    const file = join(await tempDir(), 'uptime.json')
    const first = new UptimeLedger(file, { ...ZONE, saveEveryMs: 0 })
    await first.load()
    for (let step = 0; step <= 12; step++) await first.observe({ at: NINE_AM + step * 5_000, mono: 1_000 + step * 5_000, shouldPlay: true, pongAt: 500 + step * 5_000, frameCounter: step })
    // The process dies; a new one (its monotonic clock starts again near zero) comes back 10 minutes later.
    const second = new UptimeLedger(file, ZONE)
    await second.load()
    const back = NINE_AM + 60_000 + 600_000
    await second.observe({ at: back, mono: 200, shouldPlay: true, pongAt: 100, frameCounter: 0 })
    await second.observe({ at: back + 5_000, mono: 5_200, shouldPlay: true, pongAt: 5_100, frameCounter: 40 })
    await second.flush()
    expect(second.report(DAY)).toMatchObject({ upSeconds: 65, downSeconds: 600 })
    const third = new UptimeLedger(file, ZONE)
    await third.load()
    expect(third.reports()).toEqual([second.report(DAY)])
  })

  it('does not count a restart gap while the display was meant to be off', async () => {
    const file = join(await tempDir(), 'uptime.json')
    const first = new UptimeLedger(file, ZONE)
    await first.load()
    await first.observe({ at: NINE_AM, mono: 0, shouldPlay: false })
    await first.flush()
    const second = new UptimeLedger(file, ZONE)
    await second.load()
    await second.observe({ at: NINE_AM + 3_600_000, mono: 0, shouldPlay: true, pongAt: 0, frameCounter: 1 })
    expect(second.report(DAY).expectedSeconds).toBe(0)
  })

  it('takes durations from the monotonic clock whatever the wall clock does', () => {
    let state = emptyUptimeState()
    const walls = [NINE_AM, NINE_AM + 5_000, NINE_AM - 86_400_000, 0, NINE_AM + 365 * 86_400_000, NINE_AM + 10_000]
    walls.forEach((at, step) => {
      state = observeUptime(state, { at, mono: step * 5_000, shouldPlay: true, pongAt: step * 5_000, frameCounter: step }, ZONE)
    })
    const total = Object.values(state.days).reduce((sum, d) => sum + d.upMs + d.downMs, 0) + state.clockUnset.upMs + state.clockUnset.downMs
    expect(total).toBe(25_000)
    // The 1970 reading has no day of its own: its time is kept aside, not filed under 1970-01-01.
    expect(Object.keys(state.days).some((d) => d.startsWith('1970'))).toBe(false)
    expect(state.clockUnset.upMs).toBe(5_000)
  })

  it('never credits negative time or more than elapsed, for any clocks and restart gap (property)', () => {
    const step = fc.record({
      wallJump: fc.oneof(fc.constant(0), fc.integer({ min: -400 * 86_400_000, max: 400 * 86_400_000 })),
      monoStep: fc.integer({ min: -1_000, max: 600_000 }),
      shouldPlay: fc.boolean(),
      pongLag: fc.option(fc.integer({ min: -5_000, max: 60_000 })),
      frame: fc.option(fc.integer({ min: 0, max: 3 })),
      restart: fc.boolean()
    })
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
        let state = emptyUptimeState()
        let at = NINE_AM
        let mono = 0
        let budget = 0
        for (const s of steps) {
          at += s.wallJump + 5_000
          mono += s.monoStep
          if (s.restart) {
            state = { ...state, session: null }
            budget += 7 * 86_400_000
          } else budget += Math.max(0, s.monoStep)
          state = observeUptime(state, { at, mono, shouldPlay: s.shouldPlay, pongAt: s.pongLag === null ? undefined : mono - s.pongLag, frameCounter: s.frame ?? undefined }, ZONE)
        }
        const values = [...Object.values(state.days), state.clockUnset].flatMap((d) => [d.upMs, d.downMs])
        expect(values.every((v) => v >= 0 && Number.isFinite(v))).toBe(true)
        expect(values.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(budget)
      }),
      { numRuns: 300 }
    )
  })
})
