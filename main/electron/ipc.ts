// Carries the host⇄screen contract over Electron IPC for one window. Only the window's own main frame
// may speak: a subframe or any other WebContents is dropped, and every payload is checked with the contract.
import { ipcMain, type BrowserWindow, type IpcMain, type IpcMainEvent } from 'electron'
import {
  hostChannel,
  parseScreenMessage,
  screenChannel,
  screenVerbs,
  type HostPayload,
  type HostVerb,
  type ScreenMessage,
  type ScreenVerb
} from '../../contract/screen'
import type { Logger } from '../core/log'
import type { ScreenLink } from '../core/screen-link'

type IpcListener = (event: IpcMainEvent, payload: unknown) => void

export class ElectronScreenLink implements ScreenLink {
  private messageHandler: ((message: ScreenMessage) => void) | null = null
  private readonly closeHandlers: (() => void)[] = []
  private readonly listeners = new Map<string, IpcListener>()
  private closed = false

  constructor(
    private readonly win: BrowserWindow,
    private readonly log: Logger,
    private readonly ipc: Pick<IpcMain, 'on' | 'removeListener'> = ipcMain
  ) {
    for (const verb of screenVerbs) {
      const listener: IpcListener = (event, payload) => this.receive(verb, event, payload)
      this.listeners.set(screenChannel(verb), listener)
      ipc.on(screenChannel(verb), listener)
    }
    win.once('closed', () => this.close())
  }

  send<V extends HostVerb>(verb: V, payload: HostPayload<V>): void {
    if (this.closed || this.win.isDestroyed() || this.win.webContents.isDestroyed()) return
    try {
      this.win.webContents.send(hostChannel(verb), payload)
    } catch (error) {
      // The renderer can vanish between the check and the send; the link's contract is never to throw.
      this.log.warn('send to screen failed', { verb, reason: (error as Error).message })
    }
  }

  onMessage(handler: (message: ScreenMessage) => void): void {
    this.messageHandler = handler
  }

  onClose(handler: () => void): void {
    if (this.closed) handler()
    else this.closeHandlers.push(handler)
  }

  private receive(verb: ScreenVerb, event: IpcMainEvent, payload: unknown): void {
    if (this.closed) return
    if (!this.isOwnMainFrame(event)) {
      this.log.warn('IPC dropped: not from the screen window main frame', {
        verb,
        senderId: event.sender?.id,
        frameUrl: event.senderFrame?.url
      })
      return
    }
    const message = parseScreenMessage(verb, payload)
    if (message === null) {
      this.log.warn('IPC dropped: payload does not match the contract', { verb })
      return
    }
    this.messageHandler?.(message)
  }

  private isOwnMainFrame(event: IpcMainEvent): boolean {
    if (this.win.isDestroyed()) return false
    const contents = this.win.webContents
    // senderFrame is null once the frame has navigated away or gone, so a stale message is dropped too.
    return event.sender === contents && event.senderFrame !== null && event.senderFrame === contents.mainFrame
  }

  private close(): void {
    if (this.closed) return
    this.closed = true
    for (const [channel, listener] of this.listeners) this.ipc.removeListener(channel, listener)
    this.listeners.clear()
    for (const handler of this.closeHandlers.splice(0)) handler()
  }
}

