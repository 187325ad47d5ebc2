// The core's one liveness watchdog: a real PlayerHost and in-memory screens, time on the test's own clock.
import { describe, expect, it } from 'vitest'
import { LivenessWatchdog, type LivenessEvent } from '../../../main/core/liveness'
import { memoryLogger } from '../../../main/core/log'
import { PlayerHost } from '../../../main/core/player-host'
import { MemoryScreenLink } from '../../helpers/memory-link'

function setup() {
  let now = 1_000
  const host = new PlayerHost({ name: 'Bảng tin', timeZone: 'Asia/Ho_Chi_Minh' }, memoryLogger())
  const liveness = new LivenessWatchdog(host, { now: () => now })
  const events: string[] = []
  liveness.on((event: LivenessEvent) => events.push(event.kind))
  return { host, liveness, events, advance: (ms: number) => (now += ms) }
}

describe('LivenessWatchdog', () => {
  it('pings every screen once a round with one sequence, and tells of screens coming, ready and going', () => {
    const { host, liveness, events } = setup()
    const a = new MemoryScreenLink()
    const b = new MemoryScreenLink()
    host.attach(a)
    host.attach(b)
    a.fromScreen('ready', { userAgent: 'a' })
    liveness.tick()
    liveness.tick()
    const seqs = (link: MemoryScreenLink) => link.received.filter((m) => m.verb === 'ping').map((m) => (m.payload as { seq: number }).seq)
    expect(seqs(a)).toEqual([1, 2])
    expect(seqs(b)).toEqual([1, 2])
    b.close()
    expect(events).toEqual(['attached', 'attached', 'ready', 'round', 'round', 'closed'])
    expect(liveness.health(b)).toBeNull()
  })

  it('counts rounds left unanswered and how long; any message from the screen answers', () => {
    const { host, liveness, advance } = setup()
    const link = new MemoryScreenLink()
    host.attach(link)
    expect(liveness.health(link)).toEqual({ ready: false, missed: 0, unansweredForMs: null, silentForMs: null })
    liveness.tick()
    advance(5_000)
    liveness.tick()
    advance(5_000)
    liveness.tick()
    expect(liveness.health(link)).toEqual({ ready: false, missed: 2, unansweredForMs: 10_000, silentForMs: null })
    link.fromScreen('played', { itemId: 'tin', programVersion: 'v1', startedAt: 1, endedAt: 2 })
    advance(1_000)
    expect(liveness.health(link)).toEqual({ ready: false, missed: 0, unansweredForMs: null, silentForMs: 1_000 })
    expect(liveness.lastPong).toBeNull()
  })

  it('keeps the latest pong and its frame counter for the uptime ledger and the heartbeat', () => {
    const { host, liveness, advance } = setup()
    const link = new MemoryScreenLink()
    host.attach(link)
    liveness.tick()
    link.fromScreen('pong', { seq: 1, frames: 240 })
    expect(liveness.lastPong).toEqual({ at: 1_000, frames: 240 })
    advance(14_999)
    expect(liveness.answering(15_000)).toBe(true)
    advance(1)
    expect(liveness.answering(15_000)).toBe(false)
  })

  it('pings on its cadence until stopped', async () => {
    const host = new PlayerHost({ name: 'Bảng tin', timeZone: 'Asia/Ho_Chi_Minh' }, memoryLogger())
    const liveness = new LivenessWatchdog(host, { everyMs: 5 })
    let rounds = 0
    liveness.on((event) => event.kind === 'round' && rounds++)
    const stop = liveness.start()
    await expect.poll(() => rounds, { timeout: 20_000 }).toBeGreaterThanOrEqual(2)
    stop()
    const after = rounds
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(rounds).toBe(after)
  })
})
