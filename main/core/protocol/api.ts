// Protocol v1 between a board and the source system: HTTP paths, the socket.io namespace and events, and
// what goes over them. The paths and event names are used by sync/v1-adapter.ts, pairing/pairing-client.ts and the reference server.
import { z } from 'zod'
import { Heartbeat } from './heartbeat'
import { Id, IsoDateTime } from './manifest'
import { PlayBatch } from './plays'

export const PROTOCOL_VERSION = 'v1'

export const paths = {
  /** GET, Bearer token; answers a signed manifest with an ETag, or 304 to If-None-Match. */
  manifest: (deviceId: string) => `/api/v1/devices/${encodeURIComponent(deviceId)}/manifest`,
  /** GET, Bearer token; content-addressed bytes with HTTP Range support. */
  asset: (sha256: string) => `/api/v1/assets/${sha256}`,
  /** POST, Bearer token; batched reports (heartbeat, proof of play, errors). */
  reports: (deviceId: string) => `/api/v1/devices/${encodeURIComponent(deviceId)}/reports`,
  /** POST, Bearer token; one file (a screenshot or a log bundle) as the raw body, described by UploadMeta in the query. */
  uploads: (deviceId: string) => `/api/v1/devices/${encodeURIComponent(deviceId)}/uploads`,
  /** POST, no auth: an unpaired board asks for a pairing code to show on screen. */
  pairings: () => '/api/v1/pairings',
  /** GET, no auth but the secret pairing id: waiting, or approved with the board's credentials. */
  pairing: (pairingId: string) => `/api/v1/pairings/${encodeURIComponent(pairingId)}`
} as const

/** socket.io namespace a board connects to, with PushAuth as the handshake's `auth`. */
export const PUSH_NAMESPACE = '/device'

/** The push handshake's `auth`: the board's id and its bearer token, which must belong together. */
export const PushAuth = z.object({
  deviceId: z.string().min(1).max(200),
  token: z.string().min(1).max(500),
  /** 2: push signed documents v2 (addressed, ordered, expiring: protocol/addressed.ts); absent: protocol v1. */
  protocol: z.number().int().min(1).max(2).optional()
})
export type PushAuth = z.infer<typeof PushAuth>

/** Events the server pushes. Each carries an expiry: a message delivered late (after a reconnect) and past it is ignored. */
export const pushEvents = {
  /** The board's manifest changed: fetch it now (the fetch itself is authenticated and signature-checked). */
  manifestChanged: 'manifest:changed',
  /** A signed Emergency envelope. */
  emergencyStart: 'emergency:start',
  /** A signed EmergencyClear envelope. */
  emergencyClear: 'emergency:clear',
  /** A signed Command envelope; the board answers with an ack of kind 'command' carrying the result. */
  command: 'command'
} as const

/** Events the board sends. */
export const deviceEvents = {
  /** Acknowledges a push message: what, its id, and when it took effect (e.g. first shown). */
  ack: 'ack',
  /** Reports a refused or failed thing (bad manifest, bad signature, quarantined asset). */
  problem: 'problem'
} as const

export const ManifestChanged = z.object({ version: z.string().min(1).max(200), expiresAt: IsoDateTime })
export const EmergencyClear = z.object({
  id: Id,
  clearedAt: IsoDateTime,
  /** The clear message is ignored when delivered after this (a late push). */
  expiresAt: IsoDateTime,
  /** The cleared emergency's own expiry: boards keep it cleared until then, whatever replays meanwhile. */
  until: IsoDateTime.optional()
})
export type EmergencyClear = z.infer<typeof EmergencyClear>

export const Ack = z.object({
  kind: z.enum(['manifest', 'emergency-start', 'emergency-clear', 'command']),
  id: z.string().min(1).max(200),
  at: IsoDateTime,
  /** For commands: whether it was carried out, and what happened or why it was refused. */
  ok: z.boolean().optional(),
  detail: z.string().max(2000).optional()
})

// Commands (the envelope and every kind a board knows) live in command-kinds.ts.
export { Command, COMMAND_KINDS, type CommandResult } from './command-kinds'
export type Ack = z.infer<typeof Ack>

export const Problem = z.object({
  /** `screen-refused`: the screen refused a message, or content did not fit the screen contract and was cut or left out. */
  kind: z.enum(['manifest-invalid', 'signature-refused', 'asset-quarantined', 'download-failed', 'quota-exceeded', 'push-refused', 'clock-skew', 'screen-refused']),
  detail: z.string().max(2000),
  at: IsoDateTime,
  ref: z.string().max(200).optional()
})
export type Problem = z.infer<typeof Problem>

/** The answer to POST pairings: a secret id to poll with, and a short code a person reads off the screen. */
export const PairingStarted = z.object({
  pairingId: z.string().regex(/^[A-Za-z0-9_-]{16,100}$/),
  /** Shown on the board; unambiguous letters and digits (no 0/O, 1/I). */
  code: z.string().regex(/^[A-HJ-NP-Z2-9]{6}$/),
  expiresAt: IsoDateTime,
  /** Where an operator approves the code (shown as a QR code on the board). */
  approveUrl: z.url(),
  pollAfterSec: z.number().int().min(1).max(300),
  /**
   * The key that signs this server's content (absent: it signs nothing). The board shows its fingerprint
   * beside the code, for the installer to compare with the province's printed one, and pins it once approved.
   */
  provinceKey: z.object({ keyId: Id, publicKey: z.string().min(40).max(2000) }).optional()
})
export type PairingStarted = z.infer<typeof PairingStarted>

export const PairingStatus = z.discriminatedUnion('state', [
  z.object({ state: z.literal('waiting'), expiresAt: IsoDateTime }),
  z.object({
    state: z.literal('approved'),
    deviceId: Id,
    token: z.string().min(8).max(500),
    boardName: z.string().min(1).max(200).optional()
  })
])
export type PairingStatus = z.infer<typeof PairingStatus>

/** A board's true uptime on one local day (YYYY-MM-DD in its time zone). */
export const UptimeDay = z.object({
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  upSeconds: z.number().nonnegative(),
  downSeconds: z.number().nonnegative(),
  /** Up plus down: the time the schedule wanted the screen on (display-off time is not in it). */
  expectedSeconds: z.number().nonnegative(),
  /** Up as a share of expected, 0–100; null on a day with nothing expected. */
  percent: z.number().min(0).max(100).nullable()
})
export type UptimeDay = z.infer<typeof UptimeDay>

/**
 * The body of POST reports. Any 2xx answer means "stored"; the board forgets what it sent only then
 * (proof of play is delivered at least once; the server removes duplicates by id).
 */
export const ReportBody = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('plays'), batch: PlayBatch }),
  z.object({ kind: z.literal('heartbeats'), items: z.array(Heartbeat).min(1).max(50) }),
  z.object({ kind: z.literal('uptime'), days: z.array(UptimeDay).min(1).max(31) })
])
export type ReportBody = z.infer<typeof ReportBody>

/** Largest upload body a board sends: a screenshot is far smaller; a log bundle is cut to fit. */
export const MAX_UPLOAD_BYTES = 8 * 1024 * 1024

/**
 * What an upload is, sent as query parameters of POST uploads (the body is the file itself). The id
 * makes it idempotent: a board retries until it gets a 2xx, and the server keeps one copy per id.
 */
export const UploadMeta = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('screenshot'),
    id: Id,
    takenAt: IsoDateTime,
    contentType: z.literal('image/jpeg'),
    width: z.coerce.number().int().min(1).max(16384),
    height: z.coerce.number().int().min(1).max(16384),
    /** The command that asked for it; absent for the periodic ones. */
    commandId: Id.optional()
  }),
  z.strictObject({
    kind: z.literal('logs'),
    id: Id,
    takenAt: IsoDateTime,
    /** The log files concatenated (each after a "==> name <==" line), gzipped. */
    contentType: z.literal('application/gzip'),
    commandId: Id.optional()
  })
])
export type UploadMeta = z.infer<typeof UploadMeta>

/** Every non-2xx JSON answer of the server. */
export const ApiError = z.object({ error: z.object({ code: z.string().max(100), message: z.string().max(2000) }) })
export type ApiError = z.infer<typeof ApiError>
