// The reference source server: the open implementation of the player's protocol v1 (manifest, assets,
// reports, socket.io push) used by tests, demos, benchmarks and vendors. State lives in memory, or, given a
// database, in memory backed by it (server/store/: committed before acknowledged, loaded at start).
// Its options and interface are in reference-server-api.ts; what it sends to boards in broadcasts.ts.
import { AsyncLocalStorage } from 'node:async_hooks'
import { randomBytes } from 'node:crypto'
import { createServer as createHttpServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http'
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https'
import type { AddressInfo, Socket } from 'node:net'
import { PROTOCOL_VERSION, type Command } from '../main/core/protocol/api'
import { Id, type Emergency } from '../main/core/protocol/manifest'
import type { Heartbeat } from '../main/core/protocol/heartbeat'
import type { PlayRecord } from '../main/core/protocol/plays'
import { adminRefusal } from './admin-gate'
import { DeviceToken, handleAdmin, type AdminOperations, type DeviceSummary } from './admin-routes'
import { Broadcasts, checked } from './broadcasts'
import type { PublishOptions } from './content'
import { signerFrom, type Signer } from './documents'
import { handleDeviceApi, type DeviceApiContext } from './http-routes'
import { IssuingClock } from './issuing-clock'
import { DeviceExistsError, pairingToken, Pairings, PairingTakenError } from './pairing'
import { PairingLimiter, type PairingRateLimits } from './pairing-limits'
import { DEFAULT_STORAGE_LIMITS, type StorageLimits } from './device-records'
import { dailyCounts, dailyCountsCsv } from './play-stats'
import { sendError, sendJson } from './http-util'
import { isConsolePath, serveConsole } from './console-static'
import { ServerLog, type LogEntry, type LogSink } from './log'
import { PushHub } from './push'
import type { ReferenceServer, ReferenceServerOptions } from './reference-server-api'
import type { RawPush, ServerSeams } from './seams'
import { isOutOfSpace, STORAGE_FULL } from './storage-space'
import { durableRecorder, memoryRecorder, type Recorder } from './store/recorder'
import { loadPairings, loadSealed, loadState } from './store/load'
import { SealedManifests } from './store/sealed'
import { ServerState, tokenHash, type AckRecord, type ProblemRecord, type ReportRecord, type UploadRecord, type UptimeDayRecord, type ServerStats } from './state'

export type { ServerStats, AckRecord, ProblemRecord, ReportRecord, UploadRecord, UptimeDayRecord, LogEntry, LogSink, PublishOptions, StorageLimits, PairingRateLimits }
export type { ReferenceServer, ReferenceServerOptions }
export { DeviceExistsError, PairingTakenError }

const DEFAULT_MANIFEST_TTL_SEC = 7 * 24 * 3600

function newToken(): string {
  return randomBytes(18).toString('base64url')
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
  private readonly broadcasts: Broadcasts
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
    this.broadcasts = new Broadcasts({
      state: this.state,
      record: this.record,
      push: this.push,
      signer: this.signer,
      log: this.log,
      now: this.now,
      issuing: this.issuing,
      stored: (op, id, committed) => this.stored(op, id, committed)
    })
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
      // A full disk or database is named: a board retries later, an operator frees space.
      if (res.headersSent) res.destroy()
      else if (isOutOfSpace(error)) sendError(res, 507, STORAGE_FULL.code, `${STORAGE_FULL.vi} / ${STORAGE_FULL.en}`)
      else sendError(res, 500, 'internal', 'internal error')
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

  /** A queued change's failure is logged here; whoever acknowledges awaits durable(), which reports it. */
  private stored(op: string, id: string, committed: Promise<void>): void {
    this.requestChanges.getStore()?.push(committed)
    committed.catch((error: unknown) => this.log.error('store-failed', { op, id, error }))
  }

  /** `token` is null for a pairing started before a restart: only the board can compute it then. */
  approvePairing(code: string, deviceId: string, boardName?: string, opts: { rekey?: boolean } = {}): { deviceId: string; token: string | null } | null {
    const pairing = this.pairings.forApproval(code, this.now())
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
    // Claimed at once, not when committed: a second approval meanwhile gets PairingTakenError.
    pairing.claimed = true
    const committed = this.record.approvePairing(pairing, approved, this.now(), (previous) => {
      if (previous !== undefined && previous !== pairing.tokenHash) this.push.disconnectDevice(deviceId)
      this.pairings.approve(code, approved, this.now())
    })
    committed.catch(() => (pairing.claimed = false))
    this.stored('approve-pairing', deviceId, committed)
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

  command(kind: string, args?: Record<string, string | number | boolean>, opts?: { deviceIds?: string[]; ttlSec?: number; expiresAt?: string }): Command {
    return this.broadcasts.command(kind, args, opts)
  }

  publish(manifest: object, files: Map<string, Buffer | string>, opts?: PublishOptions): string {
    return this.broadcasts.publish(manifest, files, opts)
  }

  publishFolder(folder: string, opts?: { deviceIds?: string[] }): Promise<string> {
    return this.broadcasts.publishFolder(folder, opts)
  }

  emergency(input: { title: string; body?: string; ttlSec?: number; id?: string }, opts?: { deviceIds?: string[]; pushTo?: string[] }): Emergency {
    return this.broadcasts.emergency(input, opts)
  }

  hasEmergency(id: string): boolean {
    return this.broadcasts.hasEmergency(id)
  }

  clearEmergency(id: string, opts?: { deviceIds?: string[] }): void {
    this.broadcasts.clearEmergency(id, opts)
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
