// The one interface the screen uses to talk to its host; it cannot tell Electron IPC from the WebSocket.
import type { HostPayload, HostVerb, ScreenPayload, ScreenVerb } from '../../../contract/screen'

export type ConnectionState = 'connecting' | 'connected' | 'disconnected'

export interface Bridge {
  readonly transport: 'electron-ipc' | 'websocket'
  send<V extends ScreenVerb>(verb: V, payload: ScreenPayload<V>): void
  on<V extends HostVerb>(verb: V, handler: (payload: HostPayload<V>) => void): () => void
  onConnection(handler: (state: ConnectionState) => void): void
  /** Connects and announces the screen (`ready`); again after every reconnect. */
  start(): void
}
