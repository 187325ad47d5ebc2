// How the core talks to one screen, whatever carries the messages (Electron IPC or the browser shell's WebSocket).
import type { HostVerb, HostPayload, ScreenMessage } from '../../contract/screen'

export interface ScreenLink {
  /** Sends a verb to the screen. Must not throw if the screen has gone; the link just drops the message. */
  send<V extends HostVerb>(verb: V, payload: HostPayload<V>): void
  /** Registers the handler for validated messages from the screen (the link validates with the contract). */
  onMessage(handler: (message: ScreenMessage) => void): void
  /** Registers the handler called once when the screen goes away (window closed, socket dropped). */
  onClose(handler: () => void): void
}
