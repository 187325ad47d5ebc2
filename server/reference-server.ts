// The reference source server: the open implementation of the player's protocol v1 (manifest, assets,
// reports, socket.io push) used by tests, demos, benchmarks and vendors. State lives in memory, or, given a
// database, in memory backed by it (server/store/: committed before acknowledged, loaded at start).
import { IssuingClock } from './issuing-clock'
import { AsyncLocalStorage } from 'node:async_hooks'
import { randomBytes } from 'node:crypto'
import { createServer as createHttpServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http'
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https'
import type { AddressInfo, Socket } from 'node:net'
import { z } from 'zod'
import { PROTOCOL_VERSION, pushEvents, type Command } from '../main/core/protocol/api'
import { describeIssues, Emergency, Id } from '../main/core/protocol/manifest'
import { adminRefusal, type AdminApiPolicy } from './admin-gate'
import { DeviceToken, handleAdmin, type AdminOperations, type DeviceSummary } from './admin-routes'
import { preparePublication, readContentFolder, type PublishOptions } from './content'
import { emergencyClearDocument, manifestChangedPayload, sealFor, signerFrom, type Signer } from './documents'
import { handleDeviceApi, type DeviceApiContext } from './http-routes'
import { DeviceExistsError, pairingToken, Pairings } from './pairing'
import { PairingLimiter, type PairingRateLimits } from './pairing-limits'
import { DEFAULT_STORAGE_LIMITS, type StorageLimits } from './device-records'
import type { Heartbeat } from '../main/core/protocol/heartbeat'
import type { PlayRecord } from '../main/core/protocol/plays'
import { dailyCounts, dailyCountsCsv } from './play-stats'
import { sendError, sendJson } from './http-util'
import { isConsolePath, serveConsole } from './console-static'
import { ServerLog, type LogEntry, type LogSink } from './log'
import { PushHub } from './push'
import type { RawPush, ServerSeams } from './seams'
import { durableRecorder, memoryRecorder, type Recorder, type StoreLocation } from './store/recorder'
import { loadPairings, loadSealed, loadState } from './store/load'
import { SealedManifests } from './store/sealed'
import { ServerState, tokenHash, type AckRecord, type ProblemRecord, type ReportRecord, type UploadRecord, type UptimeDayRecord, type ServerStats } from './state'

export type { ServerStats, AckRecord, ProblemRecord, ReportRecord, UploadRecord, UptimeDayRecord, LogEntry, LogSink, PublishOptions, StorageLimits, PairingRateLimits }
export { DeviceExistsError }

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
   * `rekey` says to replace that board (its token then stops working).
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

const DEFAULT_MANIFEST_TTL_SEC = 7 * 24 * 3600
const DEFAULT_EMERGENCY_TTL_SEC = 3600

function newToken(): string {
  return randomBytes(18).toString('base64url')
}

function checked<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value)
  if (!result.success) throw new Error(`${what}: ${describeIssues(result.error)}`)
  return result.data
}

class ReferenceServerImpl implements ReferenceServer, AdminOperations {
  private readonly pairings: Pairings
  url = ''
  readonly adminToken: string
  readonly publicKeyPem: string | null
  readonly signingKeyId: string | null
  private readonly state: ServerState
  private readonly record: Recorder & { close?(): Promise<void> }
  private readonly sealed: SealedManifests
  /** The commits each HTTP request's changes are waiting for. */
  private readonly requestChanges = new AsyncLocalStorage<Promise<void>[]>()
  private readonly log: ServerLog
  private readonly now: () => number
  private readonly issuing: IssuingClock
  private readonly signer: Signer | null
  private readonly push: PushHub
  private readonly apiContext: DeviceApiContext
  private readonly host: string
  private port: number
  private server: HttpServer | HttpsServer | null = null
  /** Every TCP connection, upgraded websockets included, so stop() really drops them all. */
  private readonly connections = new Set<Socket>()
  private closed = false

  constructor(
    private readonly options: ReferenceServerOptions,
    seams: ServerSeams
  ) {
    this.now = options.now ?? Date.now
    this.issuing = new IssuingClock(this.now)
    this.state = new ServerState({ ...DEFAULT_STORAGE_LIMITS, ...options.storageLimits })
    this.record = options.database ? durableRecorder(this.state, options.database) : memoryRecorder(this.state)
    this.pairings = new Pairings(new PairingLimiter(options.pairingLimits), {
      started: (pairing) => this.stored('pairing', pairing.code, this.record.pairingStarted(pairing)),
      removed: (pairingHash) => this.record.pairingRemoved(pairingHash)
    })
    this.log = new ServerLog(options.logger ?? null, this.now)
    this.adminToken = options.adminToken ?? newToken()
    this.signer = options.signingKey ? signerFrom(options.signingKey) : null
    this.publicKeyPem = this.signer?.publicKeyPem ?? null
    this.signingKeyId = this.signer?.keyId ?? null
    this.host = options.host ?? '127.0.0.1'
    this.port = options.port ?? 0
    this.push = new PushHub(this.state, this.log, this.now, this.record)
    this.sealed = new SealedManifests(this.signer, options.manifestTtlSec ?? DEFAULT_MANIFEST_TTL_SEC, (row) => this.record.keepSealed(row))
    this.apiContext = {
      state: this.state,
      record: this.record,
      signer: this.signer,
      sealed: this.sealed,
      durable: () => this.durable(),
      now: this.now,
      issuing: this.issuing,
      log: this.log,
      seams,
      pairings: this.pairings,
      baseUrl: () => this.url
    }
  }

  get stats(): ServerStats {
    return this.state.stats
  }
  get acks(): AckRecord[] {
    return this.state.acks.items
  }
  get problems(): ProblemRecord[] {
    return this.state.problems.items
  }
  get reports(): ReportRecord[] {
    return this.state.reports.items
  }
  /** Screenshots and log bundles, by `deviceId/uploadId`. */
  get uploads(): ReadonlyMap<string, UploadRecord> {
    return this.state.uploads
  }

  /** Rebuilds the working set from the database (once, before the first start). */
  async load(): Promise<void> {
    if (!this.options.database) return
    await loadState(this.options.database.db, this.options.database.dataDir, this.state, this.now())
    const sealed = await loadSealed(this.options.database.db)
    this.sealed.restore(sealed)
    // A clock set back while the server was down must not issue documents older than those boards hold.
    for (const row of sealed) this.issuing.seed(row.sealedAt)
    this.pairings.restore(await loadPairings(this.options.database.db, this.now()), this.now())
  }

  /**
   * Inside an HTTP request: the changes this request made (so one failed commit fails only the request that
   * made it). Elsewhere: everything made so far.
   */
  async durable(): Promise<void> {
    const mine = this.requestChanges.getStore()
    if (mine) await Promise.all(mine)
    else await this.record.durable()
  }

  async start(): Promise<void> {
    if (this.closed) throw new Error('the reference server is closed')
    if (this.server) return
    const handler = (req: IncomingMessage, res: ServerResponse) => void this.handle(req, res)
    const { tls } = this.options
    const server = tls ? createHttpsServer({ key: tls.key, cert: tls.cert }, handler) : createHttpServer(handler)
    server.on('connection', (socket: Socket) => {
      this.connections.add(socket)
      socket.once('close', () => this.connections.delete(socket))
    })
    this.push.attach(server)
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject)
        server.listen(this.port, this.host, () => {
          server.off('error', reject)
          resolve()
        })
      })
    } catch (error) {
      this.push.close()
      throw error
    }
    this.port = (server.address() as AddressInfo).port
    const urlHost = this.host === '0.0.0.0' || this.host === '::' ? '127.0.0.1' : this.host.includes(':') ? `[${this.host}]` : this.host
    this.url = `${tls ? 'https' : 'http'}://${urlHost}:${this.port}`
    this.server = server
    this.log.info('started', { url: this.url, signed: this.signer !== null, keyId: this.signer?.keyId ?? null })
  }

  async stop(): Promise<void> {
    const server = this.server
    if (!server) return
    this.server = null
    const closed = new Promise<void>((resolve) => server.close(() => resolve()))
    // Every connection goes, requests a seam holds open among them.
    server.closeAllConnections()
    for (const socket of this.connections) socket.destroy()
    this.connections.clear()
    this.push.close()
    await closed
    this.log.info('stopped', { url: this.url })
  }

  async close(): Promise<void> {
    await this.stop()
    this.closed = true
    await this.record.close?.()
  }

  private handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    return this.requestChanges.run([], () => this.route(req, res))
  }

  /** The admin API within its policy (admin-gate.ts): refused where it may not be reached, changes reported once answered. */
  private async admin(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> {
    const policy = this.options.adminApi ?? { reach: 'any' }
    const refused = adminRefusal(policy, req)
    if (refused) return sendError(res, refused.status, refused.code, refused.message)
    const method = req.method ?? ''
    if (policy.onChange && method !== 'GET' && method !== 'HEAD') {
      const report = policy.onChange
      res.once('finish', () => {
        if (res.statusCode !== 401) report({ method, path: pathname, address: req.socket.remoteAddress ?? '', status: res.statusCode })
      })
    }
    await handleAdmin(this, this.adminToken, req, res, pathname)
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // The board estimates its clock offset from Date, so it follows the server's (possibly skewed) clock.
    res.setHeader('Date', new Date(this.now()).toUTCString())
    let pathname = '/'
    try {
      pathname = new URL(req.url ?? '/', 'http://server.invalid').pathname
      if (pathname.startsWith('/console/api/') && (await this.options.consoleApi?.(req, res, pathname))) return
      if (pathname === '/admin' || pathname.startsWith('/admin/')) await this.admin(req, res, pathname)
      else if (pathname.startsWith('/api/')) await handleDeviceApi(this.apiContext, req, res, pathname)
      else if (this.options.consoleStatic && isConsolePath(pathname)) await serveConsole(this.options.consoleStatic, req, res, pathname)
      else if (pathname === '/') sendJson(res, 200, { server: 'bangtin reference source server', protocol: PROTOCOL_VERSION })
      else sendError(res, 404, 'not-found', `no route ${pathname}`)
    } catch (error) {
      this.log.error('request-failed', { method: req.method, path: pathname, error })
      if (!res.headersSent) sendError(res, 500, 'internal', 'internal error')
      else res.destroy()
    }
  }

  addDevice(deviceId: string, token?: string): { deviceId: string; token: string } {
    checked(Id, deviceId, 'device id')
    const chosen = token === undefined ? newToken() : checked(DeviceToken, token, 'device token')
    return this.provision(deviceId, chosen)
  }

  private provision(deviceId: string, token: string, then?: () => void): { deviceId: string; token: string } {
    const hash = tokenHash(token)
    const holder = this.state.holderOf(hash)
    if (holder !== undefined && holder !== deviceId) throw new Error(`token already belongs to device ${holder}`)
    this.stored('add-device', deviceId, this.record.addDevice(deviceId, token, this.now(), (previous) => {
      // The old token stops working: drop the sockets it opened.
      if (previous !== undefined && previous !== hash) this.push.disconnectDevice(deviceId)
      then?.()
    }))
    this.log.info('device-added', { deviceId })
    return { deviceId, token }
  }

  /** The time for one new signed document (see IssuingClock); says so in the log when the wall clock went back. */
  private issuedNow(): number {
    const behind = this.issuing.behindMs()
    if (behind > 0) this.log.warn('clock-behind-signed', { behindMs: behind })
    return this.issuing.next()
  }

  command(kind: string, args: Record<string, string | number | boolean> = {}, opts: { deviceIds?: string[]; ttlSec?: number; expiresAt?: string } = {}): Command {
    const now = this.issuedNow()
    const command: Command = {
      id: `lenh-${randomBytes(6).toString('hex')}`,
      kind,
      issuedAt: new Date(now).toISOString(),
      expiresAt: opts.expiresAt ?? new Date(now + (opts.ttlSec ?? 300) * 1000).toISOString(),
      args
    }
    const validity = { issuedAt: now, expiresAt: Date.parse(command.expiresAt) }
    this.stored('command', command.id, this.record.command(command, opts.deviceIds, () => {
      this.push.emitSealed(pushEvents.command, (deviceId, protocol) => sealFor('command', command, deviceId, protocol, validity, this.signer), opts.deviceIds)
    }))
    this.log.info('command-sent', { id: command.id, kind })
    return command
  }

  /** A queued change's failure is logged here; whoever acknowledges awaits durable(), which reports it. */
  private stored(op: string, id: string, committed: Promise<void>): void {
    this.requestChanges.getStore()?.push(committed)
    committed.catch((error: unknown) => this.log.error('store-failed', { op, id, error }))
  }

  /** `token` is null for a pairing started before a restart: only the board can compute it then. */
  approvePairing(code: string, deviceId: string, boardName?: string, opts: { rekey?: boolean } = {}): { deviceId: string; token: string | null } | null {
    const pairing = this.pairings.pending(code, this.now())
    if (!pairing) return null
    checked(Id, deviceId, 'device id')
    const rekeyed = this.state.devices.has(deviceId)
    if (rekeyed && opts.rekey !== true) {
      // Whoever shows a code must not take over a board by the operator typing a familiar id.
      this.log.warn('pairing-refused', { code, deviceId, reason: 'device-exists' })
      throw new DeviceExistsError(deviceId)
    }
    const holder = this.state.holderOf(pairing.tokenHash)
    if (holder !== undefined && holder !== deviceId) throw new Error(`token already belongs to device ${holder}`)
    // The board is handed its token only once the device holding its hash is committed, with the approval.
    const approved = { deviceId, ...(boardName ? { boardName } : {}) }
    this.stored('approve-pairing', deviceId, this.record.approvePairing(pairing, approved, this.now(), (previous) => {
      if (previous !== undefined && previous !== pairing.tokenHash) this.push.disconnectDevice(deviceId)
      this.pairings.approve(code, approved, this.now())
    }))
    const credentials = { deviceId, token: pairing.pairingId === undefined ? null : pairingToken(pairing.pairingId) }
    if (rekeyed) this.log.warn('pairing-rekeyed', { code, deviceId, note: 'the old token no longer works' })
    else this.log.info('pairing-approved', { code, deviceId })
    return credentials
  }

  pendingPairings(): { code: string; expiresAt: string }[] {
    return this.pairings.list(this.now())
  }

  /** Proof of play as stored (deduplicated by id). */
  playRecords(deviceId?: string): (PlayRecord & { deviceId: string })[] {
    return this.state.plays.values(deviceId || undefined).map((stored) => stored.play)
  }

  latestHeartbeat(deviceId: string): Heartbeat | null {
    return this.state.heartbeats.get(deviceId)?.heartbeat ?? null
  }

  /** Uptime days a device reported (the latest report of each day wins). */
  uptimeDays(deviceId: string): UptimeDayRecord[] {
    return [...(this.state.uptime.get(deviceId)?.values() ?? [])]
  }

  playsCsv(deviceId: string | null, timeZone: string): string {
    return dailyCountsCsv(dailyCounts(this.playRecords(deviceId ?? undefined), timeZone))
  }

  removeDevice(deviceId: string): boolean {
    this.push.disconnectDevice(deviceId)
    this.sealed.forget(deviceId)
    const known = this.state.devices.has(deviceId)
    this.stored('remove-device', deviceId, this.record.removeDevice(deviceId))
    return known
  }

  deviceSummaries(): DeviceSummary[] {
    const connected = new Set(this.push.connectedDevices())
    return [...this.state.devices.values()].map((device) => ({
      deviceId: device.deviceId,
      connected: connected.has(device.deviceId),
      lastSeen: device.lastSeen === null ? null : new Date(device.lastSeen).toISOString(),
      manifestVersion: this.state.publicationFor(device.deviceId)?.version ?? null
    }))
  }

  publish(manifest: object, files: Map<string, Buffer | string>, opts: PublishOptions = {}): string {
    const now = this.now()
    const { publication, files: sources } = preparePublication(manifest, files, (sha) => this.state.assets.get(sha), opts, now)
    this.stored('publish', publication.version, this.record.publish({ publication, files: sources }, opts.deviceIds, () => {
      this.push.emit(pushEvents.manifestChanged, manifestChangedPayload(publication.version, now), opts.deviceIds)
    }))
    this.log.info('published', { version: publication.version, deviceIds: opts.deviceIds ?? 'all', newFiles: sources.size })
    return publication.version
  }

  async publishFolder(folder: string, opts: { deviceIds?: string[] } = {}): Promise<string> {
    const { manifest, files } = await readContentFolder(folder)
    return this.publish(manifest, files, opts)
  }

  emergency(input: { title: string; body?: string; ttlSec?: number; id?: string }, opts: { deviceIds?: string[]; pushTo?: string[] } = {}): Emergency {
    const now = this.issuedNow()
    const ttlSec = input.ttlSec ?? DEFAULT_EMERGENCY_TTL_SEC
    const emergency = checked(
      Emergency,
      {
        id: input.id ?? `em-${now.toString(36)}-${randomBytes(3).toString('hex')}`,
        issuedAt: new Date(now).toISOString(),
        expiresAt: new Date(now + ttlSec * 1000).toISOString(),
        title: input.title,
        body: input.body ?? ''
      },
      'emergency'
    )
    const targets = opts.deviceIds ? new Set(opts.deviceIds) : 'all'
    const validity = { issuedAt: now, expiresAt: Date.parse(emergency.expiresAt) }
    const pushTo = opts.pushTo ?? opts.deviceIds
    this.stored('emergency', emergency.id, this.record.emergency({ emergency, targets, clearedFor: new Set(), clearedForAll: false }, now, () => {
      this.push.emitSealed(pushEvents.emergencyStart, (deviceId, protocol) => sealFor('emergency', emergency, deviceId, protocol, validity, this.signer), pushTo)
    }))
    this.log.info('emergency', { id: emergency.id, expiresAt: emergency.expiresAt, deviceIds: opts.deviceIds ?? 'all', pushedTo: pushTo ?? 'all' })
    return emergency
  }

  hasEmergency(id: string): boolean {
    return this.state.emergencies.has(id)
  }

  /** Clears for the given devices, or for every device it was sent to; an unknown id is still pushed (a board may hold it from before a restart). */
  clearEmergency(id: string, opts: { deviceIds?: string[] } = {}): void {
    const record = this.state.emergencies.get(id)
    const targets = opts.deviceIds ?? (record && record.targets !== 'all' ? [...record.targets] : undefined)
    const now = this.issuedNow()
    const clear = emergencyClearDocument(id, now, record?.emergency.expiresAt)
    const validity = { issuedAt: now, expiresAt: Date.parse(clear.expiresAt) }
    this.stored('clear', id, this.record.clearEmergency(id, opts.deviceIds, () => {
      this.push.emitSealed(pushEvents.emergencyClear, (deviceId, protocol) => sealFor('emergency-clear', clear, deviceId, protocol, validity, this.signer), targets)
    }))
    this.log.info('emergency-cleared', { id, known: record !== undefined, deviceIds: targets ?? 'all' })
  }

  /** Any event, any payload, unchecked: not in ReferenceServer, reached only through startSeamedServer. */
  pushUnchecked(event: string, payload: unknown, deviceIds?: readonly string[]): void {
    this.push.emit(event, payload, deviceIds)
  }

  connectedDevices(): string[] {
    return this.push.connectedDevices()
  }

  recentLog(): LogEntry[] {
    return this.log.recent()
  }
}

export async function startReferenceServer(options: ReferenceServerOptions = {}): Promise<ReferenceServer> {
  return (await startSeamedServer(options, {})).server
}

/**
 * The server with seams plugged in, and its raw push: for a test extension (server/testing/) to wrap.
 * Not for the product, which has no faults to inject and nothing unchecked to push.
 */
export async function startSeamedServer(options: ReferenceServerOptions, seams: ServerSeams): Promise<{ server: ReferenceServer; pushRaw: RawPush }> {
  const server = new ReferenceServerImpl(options, seams)
  await server.load()
  await server.start()
  return { server, pushRaw: (event, payload, deviceIds) => server.pushUnchecked(event, payload, deviceIds) }
}
