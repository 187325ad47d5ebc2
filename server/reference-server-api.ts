// The reference server's public face: its options and the ReferenceServer interface tests, e2e fixtures,
// benchmarks and the product program against (implemented in reference-server.ts).
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Command } from '../main/core/protocol/api'
import type { Emergency } from '../main/core/protocol/manifest'
import type { Heartbeat } from '../main/core/protocol/heartbeat'
import type { PlayRecord } from '../main/core/protocol/plays'
import type { DeviceSummary } from './admin-routes'
import type { PublishOptions } from './content'
import type { StorageLimits } from './device-records'
import type { LogEntry, LogSink } from './log'
import type { PairingRateLimits } from './pairing-limits'
import type { StoreLocation } from './store/recorder'
import type { AckRecord, ProblemRecord, ReportRecord, ServerStats, UploadRecord, UptimeDayRecord } from './state'
import type { AdminApiPolicy } from './admin-gate'

export interface ReferenceServerOptions {
  /** Default 0: a random free port (kept across stop()/start()). */
  port?: number
  /** Default 127.0.0.1. Use 0.0.0.0 only to try a real board on a lab network. */
  host?: string
  /** Null or absent: manifests and emergencies are served unsigned (bare JSON documents). */
  signingKey?: { keyId: string; privateKeyPem: string } | null
  /** expiresAt = now + ttl on every served manifest (default 7 days). */
  manifestTtlSec?: number
  /** PEM key and certificate: serve HTTPS (and wss) instead of HTTP. */
  tls?: { key: string; cert: string }
  /** Protects the admin HTTP API; default random. */
  adminToken?: string
  /** Who may reach the admin API, and who hears of its changes (default: anyone with the token; see admin-gate.ts). */
  adminApi?: AdminApiPolicy
  /** Receives the log as JSON lines (the CLI passes stderr); absent means quiet, as tests want. */
  logger?: LogSink
  /** The server's clock in ms (default Date.now): stamps, expiries and the Date header, for clock-skew tests. */
  now?: () => number
  /** Per-device bounds on what devices send back (default DEFAULT_STORAGE_LIMITS); tests lower them. */
  storageLimits?: Partial<StorageLimits>
  /** How fast addresses may ask for pairing codes (default DEFAULT_PAIRING_LIMITS). */
  pairingLimits?: PairingRateLimits
  /** The console API (server/api/ createConsoleApi): consulted for paths under /console/api/; true when it answered. */
  consoleApi?: (req: IncomingMessage, res: ServerResponse, pathname: string) => Promise<boolean>
  /**
   * The database and data dir that make the device side durable (the product). Absent: everything is in
   * memory, as tests and demos want. Present: the working set is loaded from it at start, and every change
   * is committed before it is acknowledged or seen by a board (await durable() after the synchronous methods).
   */
  database?: StoreLocation
  /** The built web console's folder (out/console): served under /console/ (server/console-static.ts). */
  consoleStatic?: string
}

export interface ReferenceServer {
  /** e.g. http://127.0.0.1:PORT; the same after stop()/start(). */
  readonly url: string
  readonly adminToken: string
  /** The SPKI PEM public key boards must trust, or null when serving unsigned. */
  readonly publicKeyPem: string | null
  /** The id of the key it signs with (what boards list in trustedKeys), or null when serving unsigned. */
  readonly signingKeyId: string | null
  /** Pre-provisions a device (pairing comes later); a new token for a known device replaces the old one and drops its sockets. */
  addDevice(deviceId: string, token?: string): { deviceId: string; token: string }
  removeDevice(deviceId: string): boolean
  /**
   * Approves the pairing code a board shows: provisions the device and hands the board its token. Null
   * when no board shows the code. Throws DeviceExistsError when the device id is already paired, unless
   * `rekey` says to replace that board (its token then stops working). Throws PairingTakenError when
   * another approval of the code is committing or was made (one board, one token).
   */
  approvePairing(code: string, deviceId: string, boardName?: string, opts?: { rekey?: boolean }): { deviceId: string; token: string | null } | null
  /** Codes boards are showing now, waiting for an operator. */
  pendingPairings(): { code: string; expiresAt: string }[]
  /** Every device the server knows (paired or provisioned), whether connected, when last seen. */
  deviceSummaries(): DeviceSummary[]
  /** Proof of play received, deduplicated by id. */
  playRecords(deviceId?: string): (PlayRecord & { deviceId: string })[]
  /** The newest heartbeat of a device, or null. */
  latestHeartbeat(deviceId: string): Heartbeat | null
  /** Uptime days a device reported (the latest report of each day wins). */
  uptimeDays(deviceId: string): UptimeDayRecord[]
  /** Screenshots and log bundles devices uploaded, by `deviceId/uploadId` (one each, however often retried). */
  readonly uploads: ReadonlyMap<string, UploadRecord>
  /** Daily plays per item as CSV (the yearly effectiveness report). */
  playsCsv(deviceId: string | null, timeZone: string): string
  /**
   * Publishes a manifest (without expiresAt/issuedAt: stamped when served) plus the files it needs,
   * to some devices or all. Files: sha256 → bytes or an absolute path. Asset urls are rewritten to
   * paths.asset(sha). Pushes manifest:changed to the affected connected devices. Returns the version.
   */
  publish(manifest: object, files: Map<string, Buffer | string>, opts?: PublishOptions): string
  /** Publishes a folder holding manifest.json + files named by the assets' relative urls (like assets/demo). */
  publishFolder(folder: string, opts?: { deviceIds?: string[] }): Promise<string>
  /**
   * Pushes emergency:start and lists it in the devices' manifests until it expires or is cleared. `pushTo`
   * pushes to those devices only (a re-send to boards that have not shown it), still listing it for all of `deviceIds`.
   */
  emergency(input: { title: string; body?: string; ttlSec?: number; id?: string }, opts?: { deviceIds?: string[]; pushTo?: string[] }): Emergency
  clearEmergency(id: string, opts?: { deviceIds?: string[] }): void
  /** Pushes a remote command (signed when the server signs); the result comes back as an ack of kind 'command'. */
  command(kind: string, args?: Record<string, string | number | boolean>, opts?: { deviceIds?: string[]; ttlSec?: number; expiresAt?: string }): Command
  readonly stats: ServerStats
  /**
   * Resolves when every change made so far is committed (with a database; at once without) and applied:
   * with a database the synchronous methods above queue their change, and it shows only after this.
   */
  durable(): Promise<void>
  /** What devices sent, newest last, bounded per device (StorageLimits) and to the newest 10 000 of each. */
  readonly acks: AckRecord[]
  readonly problems: ProblemRecord[]
  readonly reports: ReportRecord[]
  connectedDevices(): string[]
  recentLog(): LogEntry[]
  /** Stops accepting and drops every connection, keeping state, so start() can resume on the same port. */
  stop(): Promise<void>
  start(): Promise<void>
  close(): Promise<void>
}
