// Picks the transport: the Electron preload's API when present, else the browser shell's WebSocket.
import { PRELOAD_GLOBAL, type PreloadApi } from '../../../contract/screen'
import type { Bridge } from './bridge'
import { createIpcBridge } from './ipc-bridge'
import { createWebSocketBridge } from './ws-bridge'

export function selectBridge(): Bridge | null {
  const api = (window as unknown as Record<string, PreloadApi | undefined>)[PRELOAD_GLOBAL]
  if (api) return createIpcBridge(api)
  // The browser shell serves this page over loopback HTTP. Its session is an HttpOnly cookie that this
  // script never sees: the socket's upgrade request carries it, as every request of the page does.
  if (location.protocol !== 'http:' || !location.host) return null
  return createWebSocketBridge(`ws://${location.host}/bridge`)
}
