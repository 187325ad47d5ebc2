// Picks the transport: the Electron preload's API when present, else the browser shell's WebSocket.
import { PRELOAD_GLOBAL, type PreloadApi } from '../../../contract/screen'
import type { Bridge } from './bridge'
import { createIpcBridge } from './ipc-bridge'
import { createWebSocketBridge } from './ws-bridge'

export function selectBridge(): Bridge | null {
  const api = (window as unknown as Record<string, PreloadApi | undefined>)[PRELOAD_GLOBAL]
  if (api) return createIpcBridge(api)
  // The browser shell hands its session token in the URL fragment, which never leaves this page.
  const token = new URLSearchParams(location.hash.slice(1)).get('token')
  if (!token || !location.host) return null
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/bridge?token=${encodeURIComponent(token)}`
  return createWebSocketBridge(url)
}
