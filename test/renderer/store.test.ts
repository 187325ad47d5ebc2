import { describe, expect, it } from 'vitest'
import type { Program } from '../../contract/screen'
import { sameProgram, useScreenStore } from '../../renderer/src/store'

const program: Program = { version: 'v1', items: [{ id: 't', kind: 'text', body: 'a', durationMs: 1 }] }
const board = { name: 'Xã', timeZone: 'Asia/Ho_Chi_Minh' }

describe('screen store', () => {
  it('keeps the same program object when the host repeats itself (a reconnect must not restart the rotation)', () => {
    useScreenStore.getState().show({ board, program })
    const first = useScreenStore.getState().program
    useScreenStore.getState().show({ board, program: structuredClone(program) })
    expect(useScreenStore.getState().program).toBe(first)
    useScreenStore.getState().show({ board, program: { ...program, version: 'v2' } })
    expect(useScreenStore.getState().program).not.toBe(first)
    expect(useScreenStore.getState().received).toBe(true)
  })

  it('compares programs by version and items', () => {
    expect(sameProgram(null, null)).toBe(true)
    expect(sameProgram(program, null)).toBe(false)
    expect(sameProgram(program, { ...program, items: [] })).toBe(false)
  })
})
