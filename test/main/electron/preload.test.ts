// The preload bridge: exactly the verb-named API, sends on the verb's channel, and hands listeners the
// payload only, never the IPC event (whose `sender` is ipcRenderer itself).
import { EventEmitter } from 'node:events'
import { beforeAll, describe, expect, it, vi } from 'vitest'

const fake = await vi.hoisted(async () => (await import('./fake-electron')).createFakeElectron())
vi.mock('electron', () => fake.module)

import { hostChannel, hostVerbs, listenerName, PRELOAD_GLOBAL, screenChannel, screenVerbs, type PreloadApi } from '../../../contract/screen'
import { buildPreloadApi, type PreloadIpc } from '../../../main/electron/preload'

let api: PreloadApi

beforeAll(() => {
  // Importing the preload (above) is what exposed it; the test reads what the page would see.
  api = fake.exposed[PRELOAD_GLOBAL] as PreloadApi
})

describe('the exposed API', () => {
  it('is exposed under the contract global and has exactly one function per verb', () => {
    expect(Object.keys(fake.exposed)).toEqual([PRELOAD_GLOBAL])
    const expected = [...screenVerbs, ...hostVerbs.map(listenerName)].sort()
    expect(Object.keys(api).sort()).toEqual(expected)
    for (const [name, value] of Object.entries(api)) expect(typeof value, name).toBe('function')
  })

  it('exposes nothing of ipcRenderer and cannot be extended by the page', () => {
    const values = Object.values(api) as unknown[]
    expect(values).not.toContain(fake.ipcRenderer)
    for (const name of ['send', 'on', 'invoke', 'ipcRenderer', 'removeListener']) expect(Object.hasOwn(api, name), name).toBe(false)
    expect(Object.isFrozen(api)).toBe(true)
  })

  it('sends a screen verb on its own channel with the payload as given', () => {
    const payload = { itemId: 'clip', programVersion: 'demo-1', startedAt: 1, endedAt: 2 }
    api.played(payload)
    api.pong({ seq: 3 })
    expect(fake.ipcRenderer.sent).toEqual([
      { channel: screenChannel('played'), payload },
      { channel: screenChannel('pong'), payload: { seq: 3 } }
    ])
  })

  it('gives a host-verb listener only the payload, and unsubscribes cleanly', () => {
    const calls: unknown[][] = []
    const unsubscribe = api.onPing((...args: unknown[]) => calls.push(args))
    const event = { sender: fake.ipcRenderer, senderId: 0, ports: [] }
    fake.ipcRenderer.emit(hostChannel('ping'), event, { seq: 9 })
    expect(calls).toEqual([[{ seq: 9 }]])

    unsubscribe()
    expect(fake.ipcRenderer.listenerCount(hostChannel('ping'))).toBe(0)
    fake.ipcRenderer.emit(hostChannel('ping'), event, { seq: 10 })
    expect(calls).toHaveLength(1)
  })

  it('refuses a listener that is not a function instead of registering it', () => {
    expect(() => (api.onShow as (h: unknown) => void)('not a function')).toThrow(TypeError)
    expect(fake.ipcRenderer.listenerCount(hostChannel('show'))).toBe(0)
  })
})

describe('buildPreloadApi', () => {
  it('keeps subscriptions independent: unsubscribing one leaves the other', () => {
    const ipc = Object.assign(new EventEmitter(), { send: vi.fn() }) as unknown as PreloadIpc & EventEmitter
    const built = buildPreloadApi(ipc)
    const first = vi.fn()
    const second = vi.fn()
    const offFirst = built.onShow(first)
    built.onShow(second)
    offFirst()
    const show = { board: { name: 'B', timeZone: 'Asia/Ho_Chi_Minh' }, program: null }
    ipc.emit(hostChannel('show'), {}, show)
    expect(first).not.toHaveBeenCalled()
    expect(second).toHaveBeenCalledWith(show)
  })
})
