// Recovery without a person: renderer crash → new window, hang → reload, GPU crash → relaunch, the ping
// watchdog, display choice and following, memory ceiling and nightly restart outside display hours.
import { beforeEach, describe, expect, it, vi } from 'vitest'

const fake = await vi.hoisted(async () => (await import('./fake-electron')).createFakeElectron())
vi.mock('electron', () => fake.module)

import type { BrowserWindow } from 'electron'
import type { HostPayload, HostVerb, ScreenMessage } from '../../../contract/screen'
import { memoryLogger } from '../../../main/core/log'
import type { ScreenLink } from '../../../main/core/screen-link'
import { pickDisplays } from '../../../main/electron/displays'
import { KioskScreens } from '../../../main/electron/kiosk'
import { housekeepingVerdict, totalMemoryMb, watchGpu, watchWindow } from '../../../main/electron/recovery'
import { PingWatchdog } from '../../../main/electron/watchdog'
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

describe('PingWatchdog', () => {
  class Link implements ScreenLink {
    sent: { verb: string; payload: unknown }[] = []
    handler: ((m: ScreenMessage) => void) | null = null
    send<V extends HostVerb>(verb: V, payload: HostPayload<V>): void {
      this.sent.push({ verb, payload })
    }
    onMessage(handler: (m: ScreenMessage) => void): void {
      this.handler = handler
    }
    onClose(): void {}
  }

  it('pings, accepts the matching pong, passes every message on, and declares silence dead', () => {
    const link = new Link()
    const dead: string[] = []
    const seen: string[] = []
    let now = 0
    const dog = new PingWatchdog(link, { missLimit: 3, onDead: (r) => dead.push(r), onScreenMessage: (m) => seen.push(m.verb), now: () => now })
    const host: ScreenMessage[] = []
    dog.onMessage((m) => host.push(m))
    link.handler!({ verb: 'ready', payload: { userAgent: 'x' } })
    dog.tick()
    expect(link.sent).toEqual([{ verb: 'ping', payload: { seq: 1 } }])
    now = 5
    link.handler!({ verb: 'pong', payload: { seq: 1 } })
    expect(dog.healthy(10)).toBe(true)
    expect(host.map((m) => m.verb)).toEqual(['ready', 'pong'])
    expect(seen).toEqual(['ready', 'pong'])
    dog.tick()
    link.handler!({ verb: 'pong', payload: { seq: 99 } }) // a stale or forged sequence does not count
    dog.tick()
    dog.tick()
    expect(dead).toEqual([])
    dog.tick()
    expect(dead).toEqual(['no pong for 3 pings'])
    expect(dog.healthy(1e9)).toBe(false)
  })

  it('gives a screen that never says ready three times as long', () => {
    const link = new Link()
    const dead: string[] = []
    const dog = new PingWatchdog(link, { missLimit: 2, onDead: (r) => dead.push(r) })
    for (let i = 0; i < 6; i++) dog.tick()
    expect(dead).toEqual([])
    dog.tick()
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
