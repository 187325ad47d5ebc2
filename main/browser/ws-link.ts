// The browser shell's transport: one WebSocket on 127.0.0.1 per screen, carrying contract verbs as JSON.
import type { WebSocket } from 'ws'
import { parseScreenMessage, type HostPayload, type HostVerb, type ScreenMessage } from '../../contract/screen'
import type { Logger } from '../core/log'
import type { ScreenLink } from '../core/screen-link'

/** Frames larger than this are not contract messages; dropping them bounds what a page can make us parse. */
const MAX_FRAME_BYTES = 64 * 1024

export class WebSocketScreenLink implements ScreenLink {
  constructor(
    private readonly socket: WebSocket,
    private readonly log: Logger
  ) {}

  send<V extends HostVerb>(verb: V, payload: HostPayload<V>): void {
    if (this.socket.readyState !== this.socket.OPEN) return
    this.socket.send(JSON.stringify({ verb, payload }))
  }

  onMessage(handler: (message: ScreenMessage) => void): void {
    this.socket.on('message', (data, isBinary) => {
      const text = isBinary ? '' : data.toString()
      if (text.length === 0 || text.length > MAX_FRAME_BYTES) {
        this.log.warn('dropped screen frame', { bytes: text.length, binary: isBinary })
        return
      }
      let frame: { verb?: unknown; payload?: unknown }
      try {
        frame = JSON.parse(text) as typeof frame
      } catch {
        this.log.warn('dropped screen frame: not JSON')
        return
      }
      const message = parseScreenMessage(frame?.verb, frame?.payload)
      if (message) handler(message)
      else this.log.warn('dropped screen frame: not a contract message', { verb: String(frame?.verb).slice(0, 50) })
    })
  }

  onClose(handler: () => void): void {
    this.socket.once('close', handler)
  }
}
