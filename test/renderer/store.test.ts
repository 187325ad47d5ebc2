import { describe, expect, it } from 'vitest'
import type { Program, ScreenEmergency, ShowPayload, StatusPayload } from '../../contract/screen'
import { firstSyncDownload, sameProgram, useScreenStore } from '../../renderer/src/store'

const program: Program = { version: 'v1', items: [{ id: 't', kind: 'text', body: 'a', durationMs: 1 }] }
const ticker: Program = { version: 'v1/ticker', items: [{ id: 'k', kind: 'ticker', text: 'Chữ chạy', speed: 2, durationMs: 1 }] }
const board = { name: 'Xã', timeZone: 'Asia/Ho_Chi_Minh' }
const payload = (main: Program): ShowPayload => ({
  board,
  displayOn: true,
  zones: [
    { zone: { id: 'main', role: 'main', x: 0, y: 0, width: 1, height: 0.8 }, program: main },
    { zone: { id: 'ticker', role: 'ticker', x: 0, y: 0.8, width: 1, height: 0.2 }, program: ticker }
  ],
  volume: 1,
  pairing: null
})
const mainProgram = () => useScreenStore.getState().zones[0]!.program
const tickerProgram = () => useScreenStore.getState().zones[1]!.program

describe('screen store', () => {
  it('keeps the same program objects when the host repeats itself (a reconnect must not restart rotations)', () => {
    useScreenStore.getState().show(payload(program))
    const [first, firstTicker] = [mainProgram(), tickerProgram()]
    useScreenStore.getState().show(structuredClone(payload(program)))
    expect(mainProgram()).toBe(first)
    expect(tickerProgram()).toBe(firstTicker)
    useScreenStore.getState().show(payload({ ...program, version: 'v2' }))
    expect(mainProgram()).not.toBe(first)
    expect(tickerProgram()).toBe(firstTicker) // the other zone keeps its rotation
    expect(useScreenStore.getState().received).toBe(true)
  })

  it('an emergency coming and going does not restart the zones', () => {
    useScreenStore.getState().show(payload(program))
    const first = mainProgram()
    const notice: ScreenEmergency = { id: 'e1', title: 'Bão số 3', body: '', issuedAt: '2026-11-21T00:00:00Z' }
    useScreenStore.getState().setEmergency(notice)
    useScreenStore.getState().show(payload(program))
    expect(useScreenStore.getState().emergency?.id).toBe('e1')
    // The same notice again (sent before every show) keeps its object: the overlay does not start over.
    useScreenStore.getState().setEmergency(structuredClone(notice))
    expect(useScreenStore.getState().emergency).toBe(notice)
    useScreenStore.getState().setEmergency(null)
    expect(useScreenStore.getState().emergency).toBeNull()
    expect(mainProgram()).toBe(first)
  })

  it('compares programs by version and items', () => {
    expect(sameProgram(null, null)).toBe(true)
    expect(sameProgram(program, null)).toBe(false)
    expect(sameProgram(program, { ...program, items: [] })).toBe(false)
  })
})

const status = (download: StatusPayload['download']): StatusPayload => ({
  deviceId: 'phu-an-01',
  serverUrl: 'https://nguon.example.gov.vn',
  network: 'connected',
  sync: { state: 'syncing', lastSuccessAt: null, activeVersion: null, lastError: null },
  download,
  cache: { usedBytes: 0, quotaBytes: null, quarantined: 0 },
  disk: null,
  versions: { app: '0.1.0', os: 'linux', runtime: 'node 20' },
  lastPlayed: null,
  uptime: { appSec: 5, todayPercent: null },
  sentAt: '2026-11-21T00:00:00Z'
})
const empty: ShowPayload = { ...payload(program), zones: [{ zone: { id: 'main', role: 'main', x: 0, y: 0, width: 1, height: 1 }, program: null }] }

describe('status slice', () => {
  it('holds the latest status; the volume comes with show', () => {
    useScreenStore.getState().setStatus(status(null))
    expect(useScreenStore.getState().status?.deviceId).toBe('phu-an-01')
    useScreenStore.getState().show({ ...payload(program), volume: 0.3 })
    expect(useScreenStore.getState().volume).toBe(0.3)
  })

  it('a volume change keeps the programs (the playing video must not restart)', () => {
    useScreenStore.getState().show({ ...payload(program), volume: 1 })
    const first = mainProgram()
    useScreenStore.getState().show({ ...payload(program), volume: 0.5 })
    expect(mainProgram()).toBe(first)
  })

  it('shows first-sync progress only while the board has nothing at all to play', () => {
    const download = { bytesDone: 1, bytesTotal: 3, itemsDone: 0, itemsTotal: 1 }
    useScreenStore.getState().setStatus(status(download))
    useScreenStore.getState().show(empty)
    expect(firstSyncDownload(useScreenStore.getState())).toEqual(download)
    useScreenStore.getState().show(payload(program)) // content to play: an update downloading is no first sync
    expect(firstSyncDownload(useScreenStore.getState())).toBeNull()
    useScreenStore.getState().show(empty)
    useScreenStore.getState().setEmergency({ id: 'e', title: 'Bão', body: '', issuedAt: 'x' })
    expect(firstSyncDownload(useScreenStore.getState())).toBeNull()
    useScreenStore.getState().setEmergency(null)
    useScreenStore.getState().show({ ...empty, pairing: { code: '1', approveUrl: 'x', expiresAt: 'y' } })
    expect(firstSyncDownload(useScreenStore.getState())).toBeNull()
    useScreenStore.getState().show(empty)
    useScreenStore.getState().setStatus(status(null))
    expect(firstSyncDownload(useScreenStore.getState())).toBeNull()
  })

  it('tracks the item on screen per zone and leaves the state alone when it repeats', () => {
    const { setNowPlaying } = useScreenStore.getState()
    setNowPlaying('main', 'a')
    const before = useScreenStore.getState()
    setNowPlaying('main', 'a')
    expect(useScreenStore.getState()).toBe(before)
    setNowPlaying('ticker', 'k')
    expect(useScreenStore.getState().nowPlaying).toEqual({ main: 'a', ticker: 'k' })
    setNowPlaying('main', null)
    expect(useScreenStore.getState().nowPlaying).toEqual({ ticker: 'k' })
  })
})
