import { describe, expect, it } from 'vitest'
import type { Program, ShowPayload } from '../../contract/screen'
import { sameProgram, useScreenStore } from '../../renderer/src/store'

const program: Program = { version: 'v1', items: [{ id: 't', kind: 'text', body: 'a', durationMs: 1 }] }
const ticker: Program = { version: 'v1/ticker', items: [{ id: 'k', kind: 'ticker', text: 'Chữ chạy', speed: 2, durationMs: 1 }] }
const board = { name: 'Xã', timeZone: 'Asia/Ho_Chi_Minh' }
const payload = (main: Program, emergency: ShowPayload['emergency'] = null): ShowPayload => ({
  board,
  displayOn: true,
  zones: [
    { zone: { id: 'main', role: 'main', x: 0, y: 0, width: 1, height: 0.8 }, program: main },
    { zone: { id: 'ticker', role: 'ticker', x: 0, y: 0.8, width: 1, height: 0.2 }, program: ticker }
  ],
  emergency,
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
    useScreenStore.getState().show(payload(program, { id: 'e1', title: 'Bão số 3', body: '', issuedAt: '2026-11-21T00:00:00Z' }))
    expect(useScreenStore.getState().emergency?.id).toBe('e1')
    useScreenStore.getState().show(payload(program))
    expect(useScreenStore.getState().emergency).toBeNull()
    expect(mainProgram()).toBe(first)
  })

  it('compares programs by version and items', () => {
    expect(sameProgram(null, null)).toBe(true)
    expect(sameProgram(program, null)).toBe(false)
    expect(sameProgram(program, { ...program, items: [] })).toBe(false)
  })
})
