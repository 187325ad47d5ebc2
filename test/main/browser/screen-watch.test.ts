// The screen watch's decisions, driven through a real PlayerHost and the core's liveness watchdog (its pings
// and answers are what the watch reads) with in-memory screen links; time is the test's own clock (shared by
// the watchdog and the watch), so no outcome depends on the machine's speed.
import { afterEach, describe, expect, it } from 'vitest'
import { ScreenWatch } from '../../../main/browser/screen-watch'
import { LivenessWatchdog } from '../../../main/core/liveness'
import { memoryLogger } from '../../../main/core/log'
import { PlayerHost } from '../../../main/core/player-host'
import { MemoryScreenLink } from '../../helpers/memory-link'

const BOUNDS = { answerWithinMs: 4_000, readyWithinMs: 30_000, absentForMs: 8_000, checkEveryMs: 2 }

describe('ScreenWatch', () => {
  const watches: ScreenWatch[] = []
  afterEach(() => watches.splice(0).forEach((w) => w.stop()))

  function setup(reload: (kill: boolean) => Promise<void> = async () => {}) {
    let clock = 1_000_000
    const log = memoryLogger()
    const reloads: boolean[] = []
    const restarts: string[] = []
    const watch = new ScreenWatch({
      ...BOUNDS,
      reload: (kill) => (reloads.push(kill), reload(kill)),
      restart: (reason) => void restarts.push(reason),
      log,
      now: () => clock
    })
    watches.push(watch)
    const host = new PlayerHost({ name: 'Bảng tin', timeZone: 'Asia/Ho_Chi_Minh' }, log)
    const liveness = new LivenessWatchdog(host, { now: () => clock })
    watch.follow(liveness)
    /** A screen connecting: the host gets its link, as the screen server hands it over. */
    const connect = (): MemoryScreenLink => {
      const link = new MemoryScreenLink()
      host.attach(link)
      link.fromScreen('ready', { userAgent: 'test' })
      return link
    }
    /** One round of the watchdog's pings (its timer is not started: the test decides when). */
    const ping = () => liveness.tick()
    const advance = (ms: number) => (clock += ms)
    /** Lets the watch's own timer look at least twice at the current time. */
    const settle = () => new Promise((resolve) => setTimeout(resolve, BOUNDS.checkEveryMs * 10))
    return { watch, host, log, reloads, restarts, connect, advance, settle, ping }
  }

  it('a ping unanswered past the bound ends the renderer and reloads; the next ready is logged as the screen back', async () => {
    const { watch, log, reloads, connect, advance, settle, ping } = setup()
    watch.chromiumStarted()
    const screen = connect()
    ping()
    screen.fromScreen('pong', { seq: 1, frames: 10 })
    ping()
    advance(BOUNDS.answerWithinMs)
    await settle()
    expect(reloads).toEqual([]) // not yet past the bound
    advance(1)
    await expect.poll(() => reloads).toEqual([true])
    expect(log.records.find((r) => r.message === 'screen renderer not answering; reloading it')?.level).toBe('error')
    // The stopped page's socket may linger; its silence no longer counts once written off.
    ping()
    advance(60_000)
    connect()
    expect(log.records.find((r) => r.message === 'screen back')?.fields).toEqual({ after: 'screen renderer not answering', afterMs: 60_000 })
    await settle()
    expect(reloads).toEqual([true])
    expect(watch.incidents).toBe(1)
  })

  it('a screen answering every ping is left alone, however long it runs', async () => {
    const { watch, reloads, restarts, connect, advance, settle, ping } = setup()
    watch.chromiumStarted()
    const screen = connect()
    for (let seq = 1; seq <= 20; seq++) {
      ping()
      advance(3_000)
      await settle() // the watch looks while the ping is out, 3 s old
      screen.fromScreen('pong', { seq, frames: seq })
      advance(2_000)
    }
    await settle()
    expect(reloads).toEqual([])
    expect(restarts).toEqual([])
  })

  it('a renderer reported gone is reloaded without ending processes, once per incident', async () => {
    const { watch, reloads, connect, log } = setup()
    watch.chromiumStarted()
    connect()
    watch.rendererGone({ status: 'killed', errorCode: 9 })
    watch.rendererGone({ status: 'killed', errorCode: 9 })
    expect(reloads).toEqual([false])
    expect(log.records.find((r) => r.message === 'screen renderer gone; reloading it')?.fields).toMatchObject({ status: 'killed', killRenderers: false })
  })

  it('restarts Chromium when the reload fails, or when it does not bring the screen back', async () => {
    const failing = setup(async () => {
      throw new Error('no page showing the screen')
    })
    failing.watch.chromiumStarted()
    failing.connect()
    failing.watch.rendererGone({ status: 'crashed', errorCode: 1 })
    await expect.poll(() => failing.restarts).toEqual(['reload failed: no page showing the screen'])

    const silent = setup()
    silent.watch.chromiumStarted()
    silent.connect()
    silent.watch.rendererGone({ status: 'crashed', errorCode: 1 })
    silent.advance(10_001)
    await expect.poll(() => silent.restarts).toEqual(['screen not back after a reload (screen renderer gone)'])
    // After the restart the incident stays open until the new Chromium's screen is ready.
    silent.watch.chromiumStarted()
    silent.advance(2_000)
    silent.connect()
    expect(silent.log.records.find((r) => r.message === 'screen back')?.fields).toEqual({ after: 'screen renderer gone', afterMs: 12_001 })
  })

  it('reloads a screen that never became ready after Chromium started, or that stayed disconnected', async () => {
    const never = setup()
    never.watch.chromiumStarted()
    never.advance(BOUNDS.readyWithinMs + 1)
    await expect.poll(() => never.reloads).toEqual([false])

    const gone = setup()
    gone.watch.chromiumStarted()
    const screen = gone.connect()
    screen.close()
    gone.advance(BOUNDS.absentForMs - 1)
    await gone.settle()
    expect(gone.reloads).toEqual([])
    gone.advance(2)
    await expect.poll(() => gone.reloads).toEqual([false])
  })

  it('does nothing while Chromium is down (its supervisor restarts it)', async () => {
    const { watch, reloads, restarts, connect, advance, settle, ping } = setup()
    watch.chromiumStarted()
    connect()
    watch.chromiumStopped()
    ping()
    advance(120_000)
    watch.rendererGone({ status: 'crashed', errorCode: 1 })
    await settle()
    expect(reloads).toEqual([])
    expect(restarts).toEqual([])
  })

  it('any message from the screen answers the pings before it', async () => {
    const { watch, reloads, connect, advance, settle, ping } = setup()
    watch.chromiumStarted()
    const screen = connect()
    for (let round = 0; round < 5; round++) {
      ping()
      advance(BOUNDS.answerWithinMs - 1)
      screen.fromScreen('played', { itemId: 'tin', programVersion: 'v1', startedAt: 1, endedAt: 2 })
      advance(BOUNDS.answerWithinMs)
      await settle()
    }
    expect(reloads).toEqual([])
  })
})
