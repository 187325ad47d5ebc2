// An in-memory ScreenLink: a real implementation of the interface (no transport), for host tests.
import { parseScreenMessage, type HostMessage, type HostPayload, type HostVerb, type ScreenMessage } from '../../contract/screen'
import type { ScreenLink } from '../../main/core/screen-link'

export class MemoryScreenLink implements ScreenLink {
  readonly received: HostMessage[] = []
  private handler: (message: ScreenMessage) => void = () => {}
  private closeHandler: () => void = () => {}

  send<V extends HostVerb>(verb: V, payload: HostPayload<V>): void {
    this.received.push({ verb, payload } as HostMessage)
  }
  onMessage(handler: (message: ScreenMessage) => void): void {
    this.handler = handler
  }
  onClose(handler: () => void): void {
    this.closeHandler = handler
  }
  /** What the screen would send; validated exactly as a transport does. */
  fromScreen(verb: string, payload: unknown): void {
    const message = parseScreenMessage(verb, payload)
    if (message) this.handler(message)
  }
  close(): void {
    this.closeHandler()
  }
}
