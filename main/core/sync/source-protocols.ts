// The source systems a board can talk to, by the name its config gives (`sourceProtocol`): how to reach
// one as a known board (its adapter) and how an unknown board pairs with it. Only v1 so far; a vendor's
// protocol is one more entry here, and nothing above the source session changes.
import type { SourceProtocolName } from '../config'
import type { Logger } from '../log'
import { pairBoard, type PairingDisplay } from '../pairing/pairing-client'
import type { SourceAdapter } from './source-adapter'
import { V1Adapter } from './v1-adapter'

export interface SourceEndpoint {
  serverUrl: string
  allowInsecureHttp: boolean
  /** Extra CA certificates (PEM) for a provincial PKI. */
  ca?: string
  log: Logger
  /** Board time (epoch ms), for the expiry of pushed nudges. */
  now: () => number
}

export interface BoardCredentials {
  deviceId: string
  token: string
}

export interface Paired extends BoardCredentials {
  boardName?: string
  /** The province key pinned when the board was paired on screen. */
  provinceKey?: { keyId: string; publicKey: string }
}

export interface SourceProtocol {
  /** Talks to the source system as this board. */
  connect(endpoint: SourceEndpoint, credentials: BoardCredentials): SourceAdapter
  /** Pairs an unknown board: shows codes (null once paired) until an operator approves one. */
  pair(endpoint: SourceEndpoint, options: { signal: AbortSignal; onCode(display: PairingDisplay | null): void }): Promise<Paired>
}

export const SOURCE_PROTOCOLS: Record<SourceProtocolName, SourceProtocol> = {
  v1: {
    connect: (endpoint, credentials) =>
      new V1Adapter({ serverUrl: endpoint.serverUrl, allowInsecureHttp: endpoint.allowInsecureHttp, ca: endpoint.ca, now: endpoint.now, ...credentials }),
    pair: (endpoint, options) =>
      pairBoard({ serverUrl: endpoint.serverUrl, allowInsecureHttp: endpoint.allowInsecureHttp, ca: endpoint.ca, log: endpoint.log, ...options })
  }
}
