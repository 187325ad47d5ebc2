import { describe, expect, it } from 'vitest'
import type { Program } from '../../../contract/screen'
import { memoryLogger } from '../../../main/core/log'
import { PlayerHost } from '../../../main/core/player-host'
import { MemoryScreenLink } from '../../helpers/memory-link'

const board = { name: 'Xã Phú An', timeZone: 'Asia/Ho_Chi_Minh' }
const program: Program = { version: 'v1', items: [{ id: 't', kind: 'text', body: 'Xin chào', durationMs: 1000 }] }

describe('PlayerHost', () => {
  it('answers a ready screen with what to show, and later changes to every screen', () => {
    const host = new PlayerHost(board, memoryLogger())
    const a = new MemoryScreenLink()
    const b = new MemoryScreenLink()
    host.attach(a)
    host.attach(b)
    expect(a.received).toEqual([])
    a.fromScreen('ready', { userAgent: 'test' })
    expect(a.received).toEqual([{ verb: 'show', payload: { board, program: null } }])
    host.setProgram(program)
    expect(a.received.at(-1)).toEqual({ verb: 'show', payload: { board, program } })
    expect(b.received.at(-1)).toEqual({ verb: 'show', payload: { board, program } })
  })

  it('forgets a screen that went away', () => {
    const host = new PlayerHost(board, memoryLogger())
    const link = new MemoryScreenLink()
    host.attach(link)
    link.close()
    host.setProgram(program)
    expect(host.screenCount).toBe(0)
    expect(link.received).toEqual([])
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
