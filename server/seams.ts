// Where a test extension (server/testing/) plugs into the server's request path. The product server
// passes none: each seam is optional and its absence is the plain behaviour.
import type { IncomingMessage, ServerResponse } from 'node:http'

/** Writes `length` body bytes from `chunks` (headers already sent), reporting each slice written. */
export type AssetBodyWriter = (res: ServerResponse, chunks: AsyncIterable<Buffer>, length: number, sha: string, onSent: (bytes: number) => void) => Promise<void>

export interface ServerSeams {
  /** Before every device API request: true when the seam has answered the request, or holds it open. */
  interceptDeviceApi?(req: IncomingMessage, res: ServerResponse): boolean
  /** A body to serve instead of the device's manifest, or null for the real one. */
  manifestBody?(): string | null
  /** Sends asset bodies instead of the plain writer. */
  sendAssetBody?: AssetBodyWriter
}

/** The server's raw push: any event, any payload, to some devices or all. */
export type RawPush = (event: string, payload: unknown, deviceIds?: readonly string[]) => void
