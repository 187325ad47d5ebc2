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

  it('drops the wall clock at start as a witness once the server is heard (it may have been ahead)', () => {
    const t = clocks(REAL + DAY)
    expect(t.clock.passedMs()).toBe(REAL + DAY)
    t.clock.noteServerTime(REAL)
    expect(t.clock.passedMs()).toBe(REAL)
    expect(t.clock.nowMs()).toBe(REAL)
  })

  it('boots in 1970: signed times seen are lower bounds until the server answers', () => {
    const t = clocks(0)
    t.clock.notePassed(REAL)
    t.pass(2_000)
    expect(t.clock.passedMs()).toBe(REAL + 2_000)
    expect(t.clock.nowMs()).toBe(2_000) // the schedule still has only the wall clock to go on
  })
})
