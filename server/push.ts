// The push channel of protocol v1: socket.io namespace PUSH_NAMESPACE, device token auth in the
// namespace middleware, one room per device, and the acks/problems devices send back.
import type { Server as HttpServer } from 'node:http'
import type { Server as HttpsServer } from 'node:https'
import { Server, type Namespace, type Socket } from 'socket.io'
import type { z } from 'zod'
import { Ack, deviceEvents, Problem, PUSH_NAMESPACE, PushAuth } from '../main/core/protocol/api'
import { describeIssues } from '../main/core/protocol/manifest'
import type { Logger } from './log'
import type { ServerState } from './state'
import type { Recorder } from './store/recorder'

/** Acks and problems are a few hundred bytes; a bigger message is a broken or hostile board (socket.io drops it). */
export const MAX_MESSAGE_BYTES = 64 * 1024
const INVALID_PREVIEW_CHARS = 200
/**
 * Engine.IO liveness (socket.io's defaults, stated so the protocol docs can quote them): the server
 * pings every interval; a side that hears nothing for interval + timeout drops the connection.
 */
export const PUSH_PING = { intervalMs: 25_000, timeoutMs: 20_000 } as const

/** What to keep of a push message: the parsed payload when valid, only the start of its JSON when not. */
function received<T>(parsed: z.ZodSafeParseResult<T>, payload: unknown): { bytes: number; kept: unknown; error: { error?: string } } {
  if (parsed.success) return { bytes: JSON.stringify(parsed.data).length, kept: parsed.data, error: {} }
  const text = JSON.stringify(payload) ?? String(payload)
  return { bytes: Math.min(text.length, INVALID_PREVIEW_CHARS), kept: text.slice(0, INVALID_PREVIEW_CHARS), error: { error: describeIssues(parsed.error) } }
}

function roomOf(deviceId: string): string {
  return `device:${deviceId}`
}

interface SocketData {
  deviceId: string
  /** What the board asked for in its handshake: 2 for signed documents v2, else 1. */
  protocol: number
}

export class PushHub {
  private io: Server | null = null
  private namespace: Namespace | null = null

  constructor(
    private readonly state: ServerState,
    private readonly log: Logger,
    private readonly now: () => number,
    private readonly record: Recorder
  ) {}

  /** Attaches to a freshly started HTTP(S) server; a stopped server gets a new hub attachment on start(). */
  attach(server: HttpServer | HttpsServer): void {
    const io = new Server(server, { serveClient: false, maxHttpBufferSize: MAX_MESSAGE_BYTES, pingInterval: PUSH_PING.intervalMs, pingTimeout: PUSH_PING.timeoutMs })
    const namespace = io.of(PUSH_NAMESPACE)
    namespace.use((socket, next) => {
      const auth = PushAuth.safeParse(socket.handshake.auth)
      const deviceId = auth.success ? this.state.deviceForToken(auth.data.token) : undefined
      if (deviceId === undefined || deviceId !== auth.data?.deviceId) {
        this.log.warn('push-unauthorized', { deviceId: auth.data?.deviceId ?? null })
        return next(new Error('unauthorized'))
      }
      ;(socket.data as SocketData).deviceId = deviceId
      ;(socket.data as SocketData).protocol = auth.data.protocol ?? 1
      next()
    })
    namespace.on('connection', (socket) => this.onConnection(socket))
    this.io = io
    this.namespace = namespace
  }

  private onConnection(socket: Socket): void {
    const { deviceId } = socket.data as SocketData
    void socket.join(roomOf(deviceId))
    this.record.touch(deviceId, this.now())
    this.log.info('push-connected', { deviceId })
    socket.on('disconnect', (reason) => {
      this.record.touch(deviceId, this.now())
      this.log.info('push-disconnected', { deviceId, reason })
    })
    socket.on(deviceEvents.ack, (payload: unknown, reply?: unknown) => {
      const parsed = Ack.safeParse(payload)
      const { bytes, kept, error } = received(parsed, payload)
      const receivedAt = this.now()
      this.record.touch(deviceId, receivedAt)
      this.log.info('ack', { deviceId, valid: parsed.success, ack: kept })
      // The board is told only once it is stored: it may then forget it.
      this.answered(this.record.ack({ deviceId, ack: kept, receivedAt, valid: parsed.success, bytes, ...error }), reply, parsed.success)
    })
    socket.on(deviceEvents.problem, (payload: unknown, reply?: unknown) => {
      const parsed = Problem.safeParse(payload)
      const { bytes, kept, error } = received(parsed, payload)
      const receivedAt = this.now()
      this.record.touch(deviceId, receivedAt)
      this.log.warn('problem', { deviceId, valid: parsed.success, problem: kept })
      this.answered(this.record.problem({ deviceId, problem: kept, receivedAt, valid: parsed.success, bytes, ...error }), reply, parsed.success)
    })
  }

  private answered(stored: Promise<void>, reply: unknown, ok: boolean): void {
    const answer = typeof reply === 'function' ? (reply as (answer: unknown) => void) : () => undefined
    stored.then(
      () => answer({ ok }),
      (error: unknown) => {
        this.log.error('store-failed', { op: 'push-message', error })
        answer({ ok: false })
      }
    )
  }

  /** Emits to the given devices' rooms, or to every connected device. A stopped server emits nothing. */
  emit(event: string, payload: unknown, deviceIds?: readonly string[]): void {
    const namespace = this.namespace
    if (!namespace) return
    if (deviceIds) {
      if (deviceIds.length > 0) namespace.to(deviceIds.map(roomOf)).emit(event, payload)
    } else namespace.emit(event, payload)
  }

  /**
   * Emits a document sealed for each connected board on its own (addressed to it, in the protocol its
   * handshake asked for), to the given devices or to every connected one.
   */
  emitSealed(event: string, sealFor: (deviceId: string, protocol: number) => unknown, deviceIds?: readonly string[]): void {
    const wanted = deviceIds ? new Set(deviceIds) : null
    for (const socket of this.namespace?.sockets.values() ?? []) {
      const { deviceId, protocol } = socket.data as SocketData
      if (!wanted || wanted.has(deviceId)) socket.emit(event, sealFor(deviceId, protocol))
    }
  }

  connectedDevices(): string[] {
    const ids = new Set<string>()
    for (const socket of this.namespace?.sockets.values() ?? []) ids.add((socket.data as SocketData).deviceId)
    return [...ids].sort()
  }

  /** Drops a device's sockets (its token was replaced or revoked). */
  disconnectDevice(deviceId: string): void {
    this.namespace?.in(roomOf(deviceId)).disconnectSockets(true)
  }

  /**
   * Detaches after the owner has destroyed the TCP connections. No socket.io disconnect packet is
   * sent: boards must see a dead server ("transport close") and reconnect on their own, not a
   * server-initiated disconnect, after which a socket.io client stays down.
   */
  close(): void {
    const io = this.io
    this.io = null
    this.namespace = null
    io?.engine.close()
  }
}
