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
    expect(a.received).toEqual([{ verb: 'show', payload: { board, ...EMPTY_VIEW, pairing: null } }])
    host.show(view)
    expect(a.received.at(-1)).toEqual({ verb: 'show', payload: { board, ...view, pairing: null } })
    expect(b.received.at(-1)).toEqual({ verb: 'show', payload: { board, ...view, pairing: null } })
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
    host.events = { onEmergencyShown: (id, at) => shown.push([id, at]) }
    const link = new MemoryScreenLink()
    host.attach(link)
    link.fromScreen('emergencyShown', { id: 'bao-so-3', at: 1700000000000 })
    link.fromScreen('emergencyShown', { id: '', at: 1 })
    expect(shown).toEqual([['bao-so-3', 1700000000000]])
  })

  it('keeps played and failed reports, bounded', () => {
    const log = memoryLogger()
    const host = new PlayerHost(board, log)
    const link = new MemoryScreenLink()
    host.attach(link)
    for (let i = 0; i < 1200; i++) {
      link.fromScreen('played', { itemId: `i${i}`, programVersion: 'v1', startedAt: i, endedAt: i + 1 })
    }
    link.fromScreen('itemFailed', { itemId: 'v', programVersion: 'v1', reason: 'decode error' })
    link.fromScreen('played', { itemId: 'bad', programVersion: 'v1', startedAt: 'yesterday' })
    expect(host.played).toHaveLength(1000)
    expect(host.played.at(-1)?.itemId).toBe('i1199')
    expect(host.failures).toMatchObject([{ itemId: 'v', reason: 'decode error' }])
    expect(log.records.some((r) => r.level === 'warn' && r.message === 'item failed on screen')).toBe(true)
  })
})
