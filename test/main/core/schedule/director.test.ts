// The director with the real scheduler, a real emergency store on disk, and a controlled clock.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { EmergencyStore } from '../../../../main/core/emergency/emergency-store'
import { memoryLogger } from '../../../../main/core/log'
import { PlayerHost, type ScreenView } from '../../../../main/core/player-host'
import { parseManifest } from '../../../../main/core/protocol/manifest'
import { Director } from '../../../../main/core/schedule/director'
import { BoardClock } from '../../../../main/core/time/board-clock'
import { useTempDirs } from '../../../helpers/temp-dir'

const manifest = parseManifest({
  schema: 'bangtin.manifest/v1',
  version: 'v1',
  displayHours: { on: '06:00', off: '22:00' },
  playlists: [
    { id: 'thuong', name: 'Thường', items: [{ id: 'n', kind: 'text', body: 'Bản tin thường', durationSec: 10 }] },
    {
      id: 'uu-tien',
      name: 'Ưu tiên',
      priority: 'priority',
      schedule: { times: [{ from: '08:00', to: '09:00' }] },
      items: [{ id: 'p', kind: 'text', body: 'Bản tin ưu tiên', durationSec: 10 }]
    }
  ],
  assets: []
})

// 07:59:30 in Hà Nội (UTC+7).
const START = new Date('2026-11-23T00:59:30Z')

describe('Director', () => {
  const tempDir = useTempDirs()
  afterEach(() => vi.useRealTimers())

  async function setup(dir?: string) {
    vi.useFakeTimers({ now: START, toFake: ['setTimeout', 'clearTimeout', 'Date', 'performance'] })
    const log = memoryLogger()
    const host = new PlayerHost({ name: 'Xã', timeZone: 'Asia/Ho_Chi_Minh' }, log)
    const views: ScreenView[] = []
    const show = host.show.bind(host)
    host.show = (view) => {
      views.push(view)
      show(view)
    }
    const stateDir = dir ?? (await tempDir())
    const emergencies = new EmergencyStore(stateDir, log)
    await emergencies.load()
    const display: boolean[] = []
    const director = new Director({
      host,
      emergencies,
      sources: { isReady: () => true, mediaUrl: (s) => s },
      timeZone: 'Asia/Ho_Chi_Minh',
      log,
      onDisplayChange: (on) => display.push(on)
    })
    return { director, views, display, stateDir, log }
  }
  const ids = (view: ScreenView | undefined) => view?.zones[0]?.program?.items.map((i) => i.id)

  it('a clock correction never switches the display off: a 1970 wall clock corrected to 23:00 keeps the screen on', async () => {
    vi.useFakeTimers({ now: START, toFake: ['setTimeout', 'clearTimeout', 'Date', 'performance'] })
    const log = memoryLogger()
    const host = new PlayerHost({ name: 'Xã', timeZone: 'Asia/Ho_Chi_Minh' }, log)
    // 23:00 in Hà Nội, outside the display hours; the wall clock reads 1970.
    const clock = new BoardClock({ wall: () => 300_000 })
    clock.noteServerTime(Date.parse('2026-11-23T16:00:00Z'))
    const display: boolean[] = []
    const emergencies = new EmergencyStore(await tempDir(), log, { clock })
    const director = new Director({
      host,
      emergencies,
      sources: { isReady: () => true, mediaUrl: (s) => s },
      timeZone: 'Asia/Ho_Chi_Minh',
      log,
      now: () => clock.now(),
      clockCorrectionMs: () => clock.correctionMs(),
      onDisplayChange: (on) => display.push(on)
    })
    director.setManifest(manifest)
    expect(display).toEqual([true])
    expect(director.plan?.displayOn).toBe(true)
    expect(log.records.some((r) => r.message.startsWith('display hours not applied'))).toBe(true)
    director.stop()
  })

  it('re-plans exactly at the next boundary: priority content starts at 08:00', async () => {
    const { director, views, display } = await setup()
    director.setManifest(manifest)
    expect(ids(views.at(-1))).toEqual(['n'])
    expect(display).toEqual([true])
    await vi.advanceTimersByTimeAsync(29_000)
    expect(ids(views.at(-1))).toEqual(['n'])
    await vi.advanceTimersByTimeAsync(1_100)
    expect(ids(views.at(-1))).toEqual(['p', 'n'])
    director.stop()
  })

  it('an emergency takes the screen at once, survives a restart, and a replayed one stays cleared', async () => {
    const first = await setup()
    first.director.setManifest(manifest)
    const emergency = { id: 'bao-so-3', issuedAt: START.toISOString(), expiresAt: new Date(START.getTime() + 3_600_000).toISOString(), title: 'Bão số 3', body: 'Sơ tán khỏi vùng trũng' }
    await first.director.startEmergency(emergency)
    expect(first.views.at(-1)?.emergency?.title).toBe('Bão số 3')
    first.director.stop()

    const restarted = await setup(first.stateDir)
    restarted.director.setManifest(null)
    expect(restarted.views.at(-1)?.emergency?.id).toBe('bao-so-3')
    await restarted.director.clearEmergency({ id: 'bao-so-3', clearedAt: START.toISOString(), expiresAt: emergency.expiresAt })
    expect(restarted.views.at(-1)?.emergency).toBeNull()
    await restarted.director.startEmergency(emergency)
    expect(restarted.views.at(-1)?.emergency).toBeNull()
    restarted.director.stop()
  })

  it('an emergency ends by itself at its expiry', async () => {
    const { director, views } = await setup()
    director.setManifest(manifest)
    await director.startEmergency({ id: 'lu', issuedAt: START.toISOString(), expiresAt: new Date(START.getTime() + 10_000).toISOString(), title: 'Lũ', body: '' })
    expect(views.at(-1)?.emergency?.id).toBe('lu')
    await vi.advanceTimersByTimeAsync(10_100)
    expect(views.at(-1)?.emergency).toBeNull()
    director.stop()
  })

  it('turns the display off at the end of display hours and runs the hook once', async () => {
    const { director, views, display } = await setup()
    director.setManifest(manifest)
    // 07:59:30 → 22:00:00 is 14 h 0 min 30 s.
    await vi.advanceTimersByTimeAsync((14 * 3600 + 30) * 1000 + 100)
    expect(views.at(-1)?.displayOn).toBe(false)
    expect(display).toEqual([true, false])
    director.stop()
  })

  it('notices a clock jump and re-plans', async () => {
    const { director, views, log } = await setup()
    director.setManifest(manifest)
    // The wall clock leaps an hour ahead (NTP after a dead RTC) while little real time passes.
    vi.setSystemTime(new Date(START.getTime() + 3_600_000))
    await vi.advanceTimersByTimeAsync(60_100)
    expect(log.records.some((r) => r.message === 'clock jump detected; re-planning')).toBe(true)
    expect(ids(views.at(-1))).toEqual(['n']) // 09:00+ : the priority window is over
    director.stop()
  })
})
