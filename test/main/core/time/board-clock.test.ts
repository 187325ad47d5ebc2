// The board clock with a wall clock and a monotonic clock the test moves: time passing moves both, a step
// moves only the wall clock.
import { describe, expect, it } from 'vitest'
import { BoardClock, CLOCK_TOLERANCE_MS } from '../../../../main/core/time/board-clock'

const REAL = Date.UTC(2026, 10, 30, 1, 0, 0)
const DAY = 86_400_000

function clocks(wallStart: number) {
  let wall = wallStart
  let mono = 5_000
  return {
    clock: new BoardClock({ wall: () => wall, mono: () => mono }),
    pass(ms: number) {
      wall += ms
      mono += ms
    },
    stepWallTo(ms: number) {
      wall = ms
    }
  }
}

describe('BoardClock', () => {
  it('follows a wall clock that agrees with the server, within the tolerance', () => {
    const t = clocks(REAL)
    t.clock.noteServerTime(REAL + CLOCK_TOLERANCE_MS - 1)
    expect(t.clock.nowMs()).toBe(REAL)
    expect(t.clock.correctionMs()).toBe(0)
  })

  it('a plausible wall clock that ticks between reads still gets a correction of exactly 0 (proof of play keeps the screen\'s stamps)', () => {
    // Seen in CI: one play record 1 ms early, because the correction read the wall clock twice across a tick.
    let wall = REAL
    const clock = new BoardClock({ wall: () => wall++, mono: () => 5_000 })
    clock.noteServerTime(REAL)
    for (let i = 0; i < 5; i++) expect(clock.correctionMs()).toBe(0)
    expect(clock.fromWall(REAL + 1_000)).toBe(REAL + 1_000)
  })

  it('after hearing the server, a 1970 wall clock and any later step of it change nothing', () => {
    const t = clocks(Date.UTC(1970, 0, 1))
    t.clock.noteServerTime(REAL)
    expect(t.clock.nowMs()).toBe(REAL)
    t.pass(60_000)
    expect(t.clock.nowMs()).toBe(REAL + 60_000)
    t.stepWallTo(REAL + 60_000 + DAY)
    expect(t.clock.nowMs()).toBe(REAL + 60_000)
    expect(t.clock.fromWall(REAL + 60_000 + DAY - 500)).toBe(REAL + 60_000 - 500)
    // Once the wall clock is right again, it is followed again.
    t.stepWallTo(REAL + 60_000)
    expect(t.clock.correctionMs()).toBe(0)
  })

  it('the certainly-passed time moves with the monotonic clock, never with a wall-clock step', () => {
    const t = clocks(REAL)
    expect(t.clock.passedMs()).toBe(REAL)
    t.stepWallTo(REAL + DAY)
    t.pass(1_000)
    expect(t.clock.passedMs()).toBe(REAL + 1_000)
    // A signed issue time later than that raises it; an earlier one does not lower it.
    t.clock.notePassed(REAL + 10_000)
    t.clock.notePassed(REAL)
    expect(t.clock.passedMs()).toBe(REAL + 10_000)
  })

  it('drops the wall clock at start as a witness once the server is heard (it may have been ahead); the Date header is no witness', () => {
    const t = clocks(REAL + DAY)
    expect(t.clock.passedMs()).toBe(REAL + DAY)
    t.clock.noteServerTime(REAL)
    expect(t.clock.passedMs()).toBe(-Infinity)
    // A wall clock ahead of a Date that no signed time contradicts is corrected.
    expect(t.clock.nowMs()).toBe(REAL)
  })

  it('boots in 1970: signed times seen are lower bounds, and the schedule uses them until the server answers', () => {
    const t = clocks(0)
    t.clock.notePassed(REAL)
    t.pass(2_000)
    expect(t.clock.passedMs()).toBe(REAL + 2_000)
    expect(t.clock.nowMs()).toBe(REAL + 2_000)
  })

  it('a Date header 36 h ahead of a plausible wall clock is a hint only: neither now() nor passed() follows it', () => {
    const t = clocks(REAL)
    t.clock.notePassed(REAL - 1_000)
    t.clock.noteServerTime(REAL + 36 * 3_600_000)
    expect(t.clock.nowMs()).toBe(REAL)
    expect(t.clock.passedMs()).toBe(REAL - 1_000)
  })

  it('a Date header behind signed times is not believed, even for a 1970 wall clock', () => {
    const t = clocks(0)
    t.clock.notePassed(REAL)
    t.clock.noteServerTime(REAL - DAY)
    expect(t.clock.nowMs()).toBe(REAL)
    t.clock.noteServerTime(REAL + 60_000)
    expect(t.clock.nowMs()).toBe(REAL + 60_000)
  })
})
