import { describe, expect, it } from 'vitest'
import type { Program } from '../../../contract/screen'
import { memoryLogger } from '../../../main/core/log'
import { EMPTY_VIEW, PlayerHost, type ScreenView } from '../../../main/core/player-host'
import { MemoryScreenLink } from '../../helpers/memory-link'

const board = { name: 'Xã Phú An', timeZone: 'Asia/Ho_Chi_Minh' }
const program: Program = { version: 'v1', items: [{ id: 't', kind: 'text', body: 'Xin chào', durationMs: 1000 }] }
const view: ScreenView = { ...EMPTY_VIEW, zones: [{ ...EMPTY_VIEW.zones[0]!, program }] }

describe('PlayerHost', () => {
  it('answers a ready screen with what to show, and later changes to every screen', () => {
    const host = new PlayerHost(board, memoryLogger())
    const a = new MemoryScreenLink()
    const b = new MemoryScreenLink()
    host.attach(a)
    host.attach(b)
    expect(a.received).toEqual([])
    a.fromScreen('ready', { userAgent: 'test' })
    const { emergency: _none, ...shown } = view
    const { emergency: _empty, ...empty } = EMPTY_VIEW
    // The emergency travels on its own, first: no programme can hold it back.
    expect(a.received).toEqual([
      { verb: 'emergency', payload: { emergency: null } },
      { verb: 'show', payload: { board, ...empty, pairing: null, volume: 1 } }
    ])
    host.show(view)
    expect(a.received.at(-1)).toEqual({ verb: 'show', payload: { board, ...shown, pairing: null, volume: 1 } })
    expect(b.received.at(-1)).toEqual({ verb: 'show', payload: { board, ...shown, pairing: null, volume: 1 } })
  })

  it('sends master volume with what to show, status to every screen (and to late ones), reload on request', () => {
    const host = new PlayerHost(board, memoryLogger())
    const a = new MemoryScreenLink()
    host.attach(a)
    a.fromScreen('ready', { userAgent: 'test' })
    host.setVolume(0.25)
    expect(a.received.at(-1)).toMatchObject({ verb: 'show', payload: { volume: 0.25 } })
    expect(() => host.setVolume(1.5)).toThrow(RangeError)
    expect(() => host.setVolume(Number.NaN)).toThrow(RangeError)
    expect(host.masterVolume).toBe(0.25)
    const status = {
      deviceId: 'd1',
      serverUrl: null,
      network: 'standalone' as const,
      sync: { state: 'standalone', lastSuccessAt: null, activeVersion: null, lastError: null },
      download: null,
      cache: { usedBytes: 1, quotaBytes: null, quarantined: 0 },
      disk: null,
      versions: { app: '1.0.0', os: 'linux', runtime: 'node' },
      lastPlayed: null,
      uptime: { appSec: 3, todayPercent: null },
      sentAt: new Date(0).toISOString()
    }
    host.setStatus(status)
    expect(a.received.at(-1)).toEqual({ verb: 'status', payload: status })
    const late = new MemoryScreenLink()
    host.attach(late)
    late.fromScreen('ready', { userAgent: 'late' })
    expect(late.received.map((m) => m.verb)).toEqual(['emergency', 'show', 'status'])
    expect(host.reload('command r1')).toBe(2)
    expect(a.received.at(-1)).toEqual({ verb: 'reload', payload: { reason: 'command r1' } })
  })

  it('forgets a screen that went away', () => {
    const host = new PlayerHost(board, memoryLogger())
    const link = new MemoryScreenLink()
    host.attach(link)
    link.close()
    host.show(view)
    expect(host.screenCount).toBe(0)
    expect(link.received).toEqual([])
  })

  it('tells its listener when an emergency was first painted', () => {
    const host = new PlayerHost(board, memoryLogger())
    const shown: [string, number][] = []
    host.onEmergencyShown(({ id, at }) => shown.push([id, at]))
    const link = new MemoryScreenLink()
    host.attach(link)
    link.fromScreen('emergencyShown', { id: 'bao-so-3', at: 1700000000000 })
    link.fromScreen('emergencyShown', { id: '', at: 1 })
    expect(shown).toEqual([['bao-so-3', 1700000000000]])
  })

  it('serves every subscriber whatever the order they subscribed in, and stops when one unsubscribes', () => {
    const log = memoryLogger()
    const host = new PlayerHost(board, log)
    const seen: string[] = []
    const first = host.onPlayed((event) => seen.push(`first ${event.itemId}`))
    host.onPlayed(() => {
      throw new Error('a listener with a bug')
    })
    host.onPlayed((event) => seen.push(`third ${event.itemId}`))
    const link = new MemoryScreenLink()
    host.attach(link)
    link.fromScreen('played', { itemId: 'a', programVersion: 'v1', startedAt: 1, endedAt: 2 })
    first()
    first() // a second undo does nothing more
    link.fromScreen('played', { itemId: 'b', programVersion: 'v1', startedAt: 3, endedAt: 4 })
    expect(seen).toEqual(['first a', 'third a', 'third b'])
    expect(log.records.filter((r) => r.message === 'screen event listener failed')).toHaveLength(2)
  })

  it('keeps played reports, bounded, and tells of failed ones', () => {
    const log = memoryLogger()
    const host = new PlayerHost(board, log)
    const failures: { itemId: string; reason: string }[] = []
    host.onItemFailed((failure) => failures.push(failure))
    const link = new MemoryScreenLink()
    host.attach(link)
    for (let i = 0; i < 1200; i++) {
      link.fromScreen('played', { itemId: `i${i}`, programVersion: 'v1', startedAt: i, endedAt: i + 1 })
    }
    link.fromScreen('itemFailed', { itemId: 'v', programVersion: 'v1', reason: 'decode error' })
    link.fromScreen('played', { itemId: 'bad', programVersion: 'v1', startedAt: 'yesterday' })
    expect(host.played).toHaveLength(1000)
    expect(host.played.at(-1)?.itemId).toBe('i1199')
    expect(failures).toMatchObject([{ itemId: 'v', reason: 'decode error' }])
    expect(log.records.some((r) => r.level === 'warn' && r.message === 'item failed on screen')).toBe(true)
  })
})
