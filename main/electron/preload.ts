// The sandboxed preload: exposes the narrow, verb-named screen API on window.bangtin. The page never
// sees ipcRenderer, channel names or IPC event objects, only verbs and validated-shape payloads.
import { contextBridge, ipcRenderer, type IpcRenderer, type IpcRendererEvent } from 'electron'
import {
  hostChannel,
  hostVerbs,
  listenerName,
  PRELOAD_GLOBAL,
  screenChannel,
  screenVerbs,
  type PreloadApi
} from '../../contract/screen'

export type PreloadIpc = Pick<IpcRenderer, 'send' | 'on' | 'removeListener'>

export function buildPreloadApi(ipc: PreloadIpc): PreloadApi {
  const api: Record<string, unknown> = {}
  for (const verb of screenVerbs) {
    const channel = screenChannel(verb)
    api[verb] = (payload: unknown): void => {
      ipc.send(channel, payload)
    }
  }
  for (const verb of hostVerbs) {
    const channel = hostChannel(verb)
    api[listenerName(verb)] = (handler: unknown): (() => void) => {
      if (typeof handler !== 'function') throw new TypeError(`${listenerName(verb)} needs a function`)
      // Only the payload crosses: the event would hand the page `sender`, i.e. ipcRenderer itself.
      const listener = (_event: IpcRendererEvent, payload: unknown): void => {
        handler(payload)
      }
      ipc.on(channel, listener)
      return () => {
        ipc.removeListener(channel, listener)
      }
    }
  }
  return Object.freeze(api) as PreloadApi
}

contextBridge.exposeInMainWorld(PRELOAD_GLOBAL, buildPreloadApi(ipcRenderer))
