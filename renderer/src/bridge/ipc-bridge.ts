// The bridge over the Electron preload's verb-named API (window.bangtin).
import { checkHostMessage, listenerName, type PreloadApi } from '../../../contract/screen'
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
        const checked = checkHostMessage(verb, payload)
        if (checked.ok) return handler(checked.message.payload as never)
        // Never silent: the host hears what was refused and why, and reports it.
        console.warn('refused host message', verb, checked.reason)
        api.rejected({ verb: checked.verb, reason: checked.reason })
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
