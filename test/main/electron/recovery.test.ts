// Recovery without a person: renderer crash → new window, hang → reload, GPU crash → relaunch, a window
// whose screen the core's watchdog finds silent, display choice and following, memory ceiling and nightly restart outside display hours.
import { beforeEach, describe, expect, it, vi } from 'vitest'

const fake = await vi.hoisted(async () => (await import('./fake-electron')).createFakeElectron())
vi.mock('electron', () => fake.module)

import type { BrowserWindow } from 'electron'
import { LivenessWatchdog } from '../../../main/core/liveness'
import { memoryLogger } from '../../../main/core/log'
import { PlayerHost } from '../../../main/core/player-host'
import { pickDisplays } from '../../../main/electron/displays'
import { KioskScreens } from '../../../main/electron/kiosk'
import { housekeepingVerdict, totalMemoryMb, watchGpu, watchWindow } from '../../../main/electron/recovery'
import { WindowWatch } from '../../../main/electron/watchdog'
import { MemoryScreenLink } from '../../helpers/memory-link'
import { createKioskWindow } from '../../../main/electron/window'
import type { FakeBrowserWindow } from './fake-electron'

beforeEach(() => {
  fake.reset()
  fake.becomeReady()
})

const asFake = (win: BrowserWindow): FakeBrowserWindow => win as unknown as FakeBrowserWindow

describe('watchWindow', () => {
  function setup() {
    const win = createKioskWindow('/p.js')
    const recreated: string[] = []
    const timers: { fn: () => void; ms: number; cancelled: boolean }[] = []
    watchWindow(win, {
      unresponsiveReloadMs: 30_000,
      recreate: (reason) => recreated.push(reason),
      log: memoryLogger(),
      setTimer: (fn, ms) => {
        const timer = { fn, ms, cancelled: false }
        timers.push(timer)
        return { cancel: () => (timer.cancelled = true) }
      }
    })
    return { win: asFake(win), recreated, timers }
  }

  it('recreates the window when the renderer crashes or is killed, not when it exits cleanly', () => {
    const { win, recreated } = setup()
    win.webContents.emit('render-process-gone', {}, { reason: 'clean-exit', exitCode: 0 })
    expect(recreated).toEqual([])
    win.webContents.emit('render-process-gone', {}, { reason: 'crashed', exitCode: 139 })
    win.webContents.emit('render-process-gone', {}, { reason: 'oom', exitCode: 0 })
    expect(recreated).toEqual(['render-process-gone: crashed', 'render-process-gone: oom'])
  })

  it('reloads a renderer unresponsive beyond the bound, but not one that recovers', () => {
    const { win, timers } = setup()
    win.emit('unresponsive')
    win.emit('unresponsive')
    expect(timers).toHaveLength(1)
    expect(timers[0]!.ms).toBe(30_000)
    win.emit('responsive')
    expect(timers[0]!.cancelled).toBe(true)
    win.emit('unresponsive')
    timers[1]!.fn()
    expect(win.webContents.reloads).toBe(1)
  })
})

describe('watchGpu', () => {
  it('relaunches when the GPU process crashes; ignores other children and clean exits', () => {
    watchGpu(fake.app as never, memoryLogger())
    fake.app.emit('child-process-gone', {}, { type: 'Utility', reason: 'crashed', exitCode: 1 })
    fake.app.emit('child-process-gone', {}, { type: 'GPU', reason: 'clean-exit', exitCode: 0 })
    expect(fake.app.relaunchCalls).toBe(0)
    fake.app.emit('child-process-gone', {}, { type: 'GPU', reason: 'crashed', exitCode: 1 })
    expect(fake.app.relaunchCalls).toBe(1)
    expect(fake.app.exitCalls).toBe(1)
  })
})

describe('WindowWatch (reading the core liveness watchdog)', () => {
  function setup(deadAfterMs: number) {
    let now = 0
    const host = new PlayerHost({ name: 'Bảng tin', timeZone: 'Asia/Ho_Chi_Minh' }, memoryLogger())
    const liveness = new LivenessWatchdog(host, { now: () => now })
    const link = new MemoryScreenLink()
    host.attach(link)
    const dead: string[] = []
    const watch = new WindowWatch(link, liveness, { deadAfterMs, onDead: (r) => dead.push(r) })
    /** One period: the watchdog pings, time passes, the window watch looks. */
    const period = (ms: number) => {
      liveness.tick()
      now += ms
      watch.check()
    }
    return { link, watch, dead, period, advance: (ms: number) => (now += ms) }
  }

  it('a screen answering the core pings is healthy; one silent past the bound is declared dead, once', () => {
    const { link, watch, dead, period } = setup(30_000)
    link.fromScreen('ready', { userAgent: 'x' })
    period(5_000)
    expect(link.received.filter((m) => m.verb === 'ping')).toHaveLength(1)
    link.fromScreen('pong', { seq: 1 })
    expect(watch.healthy(10_000)).toBe(true)
    period(10_000)
    period(10_000)
    expect(dead).toEqual([])
    period(10_000)
    expect(dead).toEqual(['no answer for 30 s (2 pings)'])
    period(10_000)
    expect(dead).toHaveLength(1)
    expect(watch.healthy(1e9)).toBe(false)
  })

  it('gives a screen that never says ready three times as long', () => {
    const { dead, period } = setup(20_000)
    for (let i = 0; i < 5; i++) period(10_000)
    expect(dead).toEqual([])
    period(10_000)
    expect(dead[0]).toMatch(/never became ready/)
  })
})

describe('displays', () => {
  const d = (id: number, x: number, width: number, height: number) => ({ id, bounds: { x, y: 0, width, height } })

  it('picks configured displays by id, else the largest', () => {
    const displays = [d(1, 0, 1366, 768), d(2, 1366, 3840, 2160), d(3, 5206, 1920, 1080)]
    expect(pickDisplays(displays, { ids: [], all: false }).map((x) => x.id)).toEqual([2])
    expect(pickDisplays(displays, { ids: [3], all: false }).map((x) => x.id)).toEqual([3])
    expect(pickDisplays(displays, { ids: [9], all: false }).map((x) => x.id)).toEqual([2])
    expect(pickDisplays(displays, { ids: [], all: true }).map((x) => x.id)).toEqual([1, 2, 3])
    expect(pickDisplays([], { ids: [1], all: false })).toEqual([])
  })

  it('follows display add/remove: moves the window, opens new ones first, never closes the last', () => {
    const opened: FakeBrowserWindow[] = []
    const screens = new KioskScreens({
      displays: () => fake.screen.getAllDisplays(),
      wanted: { ids: [2], all: false },
      open: (bounds) => {
        const win = createKioskWindow('/p.js', bounds)
        opened.push(asFake(win))
        return win
      },
      log: memoryLogger()
    })
    screens.reconcile()
    expect(opened).toHaveLength(1)
    expect(opened[0]!.bounds).toEqual({ x: 0, y: 0, width: 1920, height: 1080 })
    // The configured panel is switched on later: the same window moves onto it.
    fake.displays.push(d(2, 1920, 3840, 2160))
    screens.reconcile()
    expect(opened).toHaveLength(1)
    expect(opened[0]!.bounds).toEqual({ x: 1920, y: 0, width: 3840, height: 2160 })
    expect(opened[0]!.kiosk).toBe(true)
    // Every display unplugged: keep the window rather than quit.
    fake.displays.splice(0)
    screens.reconcile()
    expect(opened[0]!.destroyed).toBe(false)
    // Recreate after a crash: a new window on the same display, then the old one closes.
    fake.displays.push(d(2, 1920, 3840, 2160))
    screens.recreate(opened[0] as unknown as BrowserWindow, 'crashed')
    expect(opened).toHaveLength(2)
    expect(opened[0]!.destroyed).toBe(true)
    expect(opened[1]!.bounds.x).toBe(1920)
  })
})

describe('housekeeping', () => {
  const base = {
    memoryCeilingMb: 1000,
    nightlyRestartAt: '03:00',
    timeZone: 'Asia/Ho_Chi_Minh',
    startedAt: 0,
    now: () => new Date('2026-03-01T20:00:30Z') // 03:00 local
  }

  it('sums process memory in MB', () => {
    expect(totalMemoryMb([{ memory: { workingSetSize: 512 * 1024 } }, { memory: { workingSetSize: 512 * 1024 } }] as never)).toBe(1024)
  })

  it('restarts above the memory ceiling on two samples, waiting for display-off unless far above', () => {
    const on = { ...base, nightlyRestartAt: undefined, displayOn: () => true }
    expect(housekeepingVerdict(on, 1200, false)).toMatchObject({ restart: false, over: true })
    expect(housekeepingVerdict(on, 1200, true).restart).toBe(false)
    expect(housekeepingVerdict(on, 1600, true).restart).toBe(true)
    expect(housekeepingVerdict({ ...on, displayOn: () => false }, 1200, true).restart).toBe(true)
  })

  it('restarts nightly only at the set minute with the display off, and not right after starting', () => {
    expect(housekeepingVerdict({ ...base, displayOn: () => false }, 100, false)).toMatchObject({ restart: true })
    expect(housekeepingVerdict({ ...base, displayOn: () => true }, 100, false).restart).toBe(false)
    expect(housekeepingVerdict({ ...base, displayOn: () => false, startedAt: Date.parse('2026-03-01T20:00:00Z') }, 100, false).restart).toBe(false)
  })
})
