// The bridge over the browser shell's loopback WebSocket; reconnects by itself if the host restarts.
import { checkHostMessage } from '../../../contract/screen'
import type { Bridge, ConnectionState } from './bridge'

const RECONNECT_DELAYS_MS = [250, 500, 1000, 2000, 5000]

export function createWebSocketBridge(url: string): Bridge {
  const handlers = new Map<string, Set<(payload: never) => void>>()
  let connectionHandler: (state: ConnectionState) => void = () => {}
  let socket: WebSocket | null = null
  let attempts = 0

  const reject = (verb: string, reason: string): void => {
    console.warn('refused host message', verb, reason)
    if (socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ verb: 'rejected', payload: { verb, reason } }))
  }

  const connect = (): void => {
    connectionHandler('connecting')
    socket = new WebSocket(url)
    socket.onopen = () => {
      attempts = 0
      connectionHandler('connected')
      socket?.send(JSON.stringify({ verb: 'ready', payload: { userAgent: navigator.userAgent } }))
    }
    socket.onmessage = (event: MessageEvent) => {
      let frame: { verb?: unknown; payload?: unknown }
      try {
        frame = JSON.parse(String(event.data)) as typeof frame
      } catch {
        return reject('(unreadable)', 'not JSON')
      }
      const checked = checkHostMessage(frame?.verb, frame?.payload)
      // Never silent: a refused message is reported to the host (which reports it on), and the screen keeps what it has.
      if (!checked.ok) return reject(checked.verb, checked.reason)
      const { message } = checked
      handlers.get(message.verb)?.forEach((handler) => handler(message.payload as never))
    }
    socket.onclose = () => {
      connectionHandler('disconnected')
      const delay = RECONNECT_DELAYS_MS[Math.min(attempts, RECONNECT_DELAYS_MS.length - 1)]
      attempts += 1
      // The screen keeps playing what it has while the host is away.
      setTimeout(connect, delay)
    }
  }

  return {
    transport: 'websocket',
    send(verb, payload) {
      if (socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ verb, payload }))
    },
    on(verb, handler) {
      const set = handlers.get(verb) ?? new Set()
      set.add(handler as (payload: never) => void)
      handlers.set(verb, set)
      return () => set.delete(handler as (payload: never) => void)
    },
    onConnection(handler) {
      connectionHandler = handler
    },
    start: connect
  }
}
