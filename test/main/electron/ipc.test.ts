// The Electron screen link: only the window's main frame is heard, payloads are checked against the
// contract, and the link delivers to a real PlayerHost and cleans up when the window closes.
import type { BrowserWindow } from 'electron'
import { beforeEach, describe, expect, it, vi } from 'vitest'

const fake = await vi.hoisted(async () => (await import('./fake-electron')).createFakeElectron())
vi.mock('electron', () => fake.module)

import { hostChannel, screenChannel, screenVerbs, type ScreenMessage } from '../../../contract/screen'
import { memoryLogger } from '../../../main/core/log'
import { EMPTY_VIEW, PlayerHost } from '../../../main/core/player-host'
import { ElectronScreenLink } from '../../../main/electron/ipc'
import { FakeFrame, FakeWebContents } from './fake-electron'

type Win = InstanceType<typeof fake.module.BrowserWindow>

beforeEach(() => {
  fake.reset()
  fake.becomeReady()
})

function newWindow(): Win {
  return new fake.module.BrowserWindow({})
}

/** An IPC event as Electron builds it for a message from `sender`'s `frame`. */
function ipcEvent(sender: FakeWebContents, frame: FakeFrame | null): { sender: FakeWebContents; senderFrame: FakeFrame | null } {
  return { sender, senderFrame: frame }
}

function linkFor(win: Win) {
  const log = memoryLogger()
  const link = new ElectronScreenLink(win as unknown as BrowserWindow, log)
  const received: ScreenMessage[] = []
  link.onMessage((message) => received.push(message))
  return { link, log, received }
}

const played = { itemId: 'clip', programVersion: 'demo-1', startedAt: 1000, endedAt: 9000 }

describe('ElectronScreenLink', () => {
  it('listens on every screen verb channel', () => {
    linkFor(newWindow())
    for (const verb of screenVerbs) expect(fake.ipcMain.listenerCount(screenChannel(verb)), verb).toBe(1)
  })

  it('delivers a valid message from the window main frame', () => {
    const win = newWindow()
    const { received } = linkFor(win)
    fake.ipcMain.emit(screenChannel('played'), ipcEvent(win.webContents, win.webContents.mainFrame), played)
    expect(received).toEqual([{ verb: 'played', payload: played }])
  })

  it('drops a message from a subframe of the window, and logs it', () => {
    const win = newWindow()
    const { received, log } = linkFor(win)
    const subframe = new FakeFrame('https://ads.example/')
    fake.ipcMain.emit(screenChannel('played'), ipcEvent(win.webContents, subframe), played)
    expect(received).toEqual([])
    expect(log.records).toContainEqual(expect.objectContaining({ level: 'warn', message: expect.stringContaining('IPC dropped') }))
  })

  it('drops a message from another WebContents, even one claiming our main frame', () => {
    const win = newWindow()
    const { received } = linkFor(win)
    const other = new FakeWebContents()
    fake.ipcMain.emit(screenChannel('played'), ipcEvent(other, other.mainFrame), played)
    fake.ipcMain.emit(screenChannel('played'), ipcEvent(other, win.webContents.mainFrame), played)
    expect(received).toEqual([])
  })

  it('drops a message whose frame is already gone (senderFrame null)', () => {
    const win = newWindow()
    const { received } = linkFor(win)
    fake.ipcMain.emit(screenChannel('played'), ipcEvent(win.webContents, null), played)
    expect(received).toEqual([])
  })

  it('drops and logs payloads that do not match the contract', () => {
    const win = newWindow()
    const { received, log } = linkFor(win)
    const main = ipcEvent(win.webContents, win.webContents.mainFrame)
    fake.ipcMain.emit(screenChannel('played'), main, { ...played, startedAt: -1 })
    fake.ipcMain.emit(screenChannel('played'), main, undefined)
    fake.ipcMain.emit(screenChannel('pong'), main, { seq: 'one' })
    fake.ipcMain.emit(screenChannel('ready'), main, { userAgent: 'x'.repeat(5000) })
    expect(received).toEqual([])
    expect(log.records.filter((r) => r.message.includes('does not match the contract'))).toHaveLength(4)
  })

  it('sends a host verb on its channel, and silently drops it once the window is destroyed', () => {
    const win = newWindow()
    const { link } = linkFor(win)
    link.send('ping', { seq: 7 })
    expect(win.webContents.sent).toEqual([{ channel: hostChannel('ping'), payload: { seq: 7 } }])
    win.webContents.destroyed = true
    expect(() => link.send('ping', { seq: 8 })).not.toThrow()
    expect(win.webContents.sent).toHaveLength(1)
  })

  it('does not throw when the renderer goes away between the check and the send', () => {
    const win = newWindow()
    const { link, log } = linkFor(win)
    win.webContents.send = () => {
      throw new Error('Render frame was disposed before WebFrameMain could be accessed')
    }
    expect(() => link.send('ping', { seq: 1 })).not.toThrow()
    expect(log.records).toContainEqual(expect.objectContaining({ message: 'send to screen failed' }))
  })

  it('on window close: fires onClose once, removes its IPC listeners, and ignores late messages', () => {
    const win = newWindow()
    const { link, received } = linkFor(win)
    const closed = vi.fn()
    link.onClose(closed)
    const mainFrame = win.webContents.mainFrame
    win.close()
    expect(closed).toHaveBeenCalledTimes(1)
    for (const verb of screenVerbs) expect(fake.ipcMain.listenerCount(screenChannel(verb)), verb).toBe(0)
    win.emit('closed')
    expect(closed).toHaveBeenCalledTimes(1)
    fake.ipcMain.emit(screenChannel('played'), ipcEvent(win.webContents, mainFrame), played)
    expect(received).toEqual([])
    const late = vi.fn()
    link.onClose(late)
    expect(late).toHaveBeenCalledTimes(1)
  })

  it('keeps two windows apart: each link hears only its own window', () => {
    const a = newWindow()
    const b = newWindow()
    const linkA = linkFor(a)
    const linkB = linkFor(b)
    fake.ipcMain.emit(screenChannel('pong'), ipcEvent(b.webContents, b.webContents.mainFrame), { seq: 2 })
    expect(linkA.received).toEqual([])
    expect(linkB.received).toEqual([{ verb: 'pong', payload: { seq: 2 } }])
  })
})

describe('a window attached to a real PlayerHost', () => {
  it('attaches the window: ready is answered with the emergency and the show, played is recorded, close detaches', () => {
    const win = newWindow()
    const host = new PlayerHost({ name: 'Xã Phú An', timeZone: 'Asia/Ho_Chi_Minh' }, memoryLogger())
    host.attach(new ElectronScreenLink(win as unknown as BrowserWindow, memoryLogger()))
    expect(host.screenCount).toBe(1)

    const main = ipcEvent(win.webContents, win.webContents.mainFrame)
    fake.ipcMain.emit(screenChannel('ready'), main, { userAgent: 'test' })
    const { emergency: _none, ...empty } = EMPTY_VIEW
    expect(win.webContents.sent).toEqual([
      { channel: hostChannel('emergency'), payload: { emergency: null } },
      { channel: hostChannel('show'), payload: { board: { name: 'Xã Phú An', timeZone: 'Asia/Ho_Chi_Minh' }, ...empty, pairing: null, volume: 1 } }
    ])
    fake.ipcMain.emit(screenChannel('played'), main, played)
    expect(host.played).toEqual([played])

    fake.ipcMain.emit(screenChannel('played'), ipcEvent(win.webContents, new FakeFrame('about:blank')), { ...played, itemId: 'forged' })
    expect(host.played).toEqual([played])

    win.close()
    expect(host.screenCount).toBe(0)
  })
})
