import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import {
  hostChannel,
  listenerName,
  parseHostMessage,
  parseScreenMessage,
  screenChannel,
  hostVerbs,
  screenVerbs
} from '../../contract/screen'

describe('screen contract', () => {
  it('accepts well-formed screen messages', () => {
    expect(parseScreenMessage('pong', { seq: 3 })).toEqual({ verb: 'pong', payload: { seq: 3 } })
    expect(
      parseScreenMessage('played', { itemId: 'a', programVersion: 'v1', startedAt: 1, endedAt: 2 })?.verb
    ).toBe('played')
  })

  it.each([
    ['unknown verb', 'shutdown', {}],
    ['prototype key as verb', '__proto__', {}],
    ['inherited key as verb', 'toString', {}],
    ['missing payload field', 'pong', {}],
    ['wrong type', 'pong', { seq: 'x' }],
    ['negative number', 'pong', { seq: -1 }],
    ['non-string verb', 42, { seq: 1 }],
    ['oversized reason', 'itemFailed', { itemId: 'a', programVersion: 'v', reason: 'x'.repeat(5000) }]
  ])('rejects %s', (_name, verb, payload) => {
    expect(parseScreenMessage(verb, payload)).toBeNull()
  })

  it('never throws on arbitrary input, in either direction', () => {
    fc.assert(
      fc.property(fc.anything(), fc.anything(), (verb, payload) => {
        parseScreenMessage(verb, payload)
        parseHostMessage(verb, payload)
      })
    )
  })

  it('drops a show message whose program is malformed', () => {
    const board = { name: 'Xã Phú An', timeZone: 'Asia/Ho_Chi_Minh' }
    const zone = { id: 'main', role: 'main', x: 0, y: 0, width: 1, height: 1 }
    const show = (program: unknown) => ({ board, displayOn: true, zones: [{ zone, program }], emergency: null, pairing: null })
    expect(parseHostMessage('show', show(null))).not.toBeNull()
    expect(parseHostMessage('show', show({ version: 'v', items: [{ id: 'x', kind: 'html' }] }))).toBeNull()
    expect(parseHostMessage('show', { ...show(null), zones: [] })).toBeNull()
    expect(parseHostMessage('show', { ...show(null), zones: [{ zone: { ...zone, width: 2 }, program: null }] })).toBeNull()
  })

  it('names one channel per verb and direction, and listener methods after verbs', () => {
    const channels = [...hostVerbs.map(hostChannel), ...screenVerbs.map(screenChannel)]
    expect(new Set(channels).size).toBe(channels.length)
    expect(listenerName('show')).toBe('onShow')
  })
})
