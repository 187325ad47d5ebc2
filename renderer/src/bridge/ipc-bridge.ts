// The bridge over the Electron preload's verb-named API (window.bangtin).
import { hostToScreen, listenerName, type HostVerb, type PreloadApi } from '../../../contract/screen'
import type { Bridge, ConnectionState } from './bridge'

export function createIpcBridge(api: PreloadApi): Bridge {
  let connectionHandler: (state: ConnectionState) => void = () => {}
  return {
    transport: 'electron-ipc',
    send(verb, payload) {
      ;(api[verb] as (p: typeof payload) => void)(payload)
    },
    on(verb, handler) {
      const subscribe = api[listenerName(verb)] as (h: (payload: unknown) => void) => () => void
      // The host is trusted, but validating costs little and keeps one code path for both transports.
      return subscribe((payload) => {
        const parsed = hostToScreen[verb as HostVerb].safeParse(payload)
        if (parsed.success) handler(parsed.data as never)
        else console.warn('dropped malformed host message', verb)
      })
    },
    onConnection(handler) {
      connectionHandler = handler
    },
    start() {
      connectionHandler('connected')
      api.ready({ userAgent: navigator.userAgent })
    }
  }
}
