// Protocol v1: HTTP paths, socket.io namespace and events, and the error format between a board and
// the source system. The v1 adapter and the reference server both use these names; nothing else does.
import { z } from 'zod'
import { Id, IsoDateTime } from './manifest'

export const PROTOCOL_VERSION = 'v1'

export const paths = {
  /** GET, Bearer token; answers a signed manifest with an ETag, or 304 to If-None-Match. */
  manifest: (deviceId: string) => `/api/v1/devices/${encodeURIComponent(deviceId)}/manifest`,
  /** GET, Bearer token; content-addressed bytes with HTTP Range support. */
  asset: (sha256: string) => `/api/v1/assets/${sha256}`,
  /** POST, Bearer token; batched reports (heartbeat, proof of play, errors). */
  reports: (deviceId: string) => `/api/v1/devices/${encodeURIComponent(deviceId)}/reports`
} as const

/** socket.io namespace a board connects to, with `auth: { deviceId, token }`. */
export const PUSH_NAMESPACE = '/device'

/** Events the server pushes. Each carries an expiry: a message delivered late (after a reconnect) and past it is ignored. */
export const pushEvents = {
  /** The board's manifest changed: fetch it now (the fetch itself is authenticated and signature-checked). */
  manifestChanged: 'manifest:changed',
  /** A signed Emergency envelope. */
  emergencyStart: 'emergency:start',
  /** A signed EmergencyClear envelope. */
  emergencyClear: 'emergency:clear'
} as const

/** Events the board sends. */
export const deviceEvents = {
  /** Acknowledges a push message: what, its id, and when it took effect (e.g. first shown). */
  ack: 'ack',
  /** Reports a refused or failed thing (bad manifest, bad signature, quarantined asset). */
  problem: 'problem'
} as const

export const ManifestChanged = z.object({ version: z.string().min(1).max(200), expiresAt: IsoDateTime })
export const EmergencyClear = z.object({ id: Id, clearedAt: IsoDateTime, expiresAt: IsoDateTime })
export type EmergencyClear = z.infer<typeof EmergencyClear>

export const Ack = z.object({
  kind: z.enum(['manifest', 'emergency-start', 'emergency-clear']),
  id: z.string().min(1).max(200),
  at: IsoDateTime
})
export type Ack = z.infer<typeof Ack>

export const Problem = z.object({
  kind: z.enum(['manifest-invalid', 'signature-refused', 'asset-quarantined', 'download-failed', 'quota-exceeded', 'push-refused', 'clock-skew']),
  detail: z.string().max(2000),
  at: IsoDateTime,
  ref: z.string().max(200).optional()
})
export type Problem = z.infer<typeof Problem>

/** Every non-2xx JSON answer of the server. */
export const ApiError = z.object({ error: z.object({ code: z.string().max(100), message: z.string().max(2000) }) })
export type ApiError = z.infer<typeof ApiError>
