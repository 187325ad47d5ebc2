// Helpers for the reference server's tests: raw HTTP requests (headers fetch would hide, cut bodies),
// socket.io clients cleaned up after each test, small content with known hashes.
import { createHash } from 'node:crypto'
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http'
import { request as httpsRequest } from 'node:https'
import { io, type Socket } from 'socket.io-client'
import { afterEach } from 'vitest'
import { PUSH_NAMESPACE } from '../../main/core/protocol/api'
import type { ReferenceServer, ReferenceServerOptions } from '../../server/reference-server'
import { startTestServer, type TestServer } from '../../server/testing/test-server'

export interface RawResponse {
  status: number
  headers: IncomingHttpHeaders
  body: Buffer
  /** False when the connection closed before the body was complete. */
  complete: boolean
}

/** One HTTP(S) request; resolves with what arrived even when the server cuts the body. */
export function rawRequest(url: string, options: { method?: string; headers?: Record<string, string>; body?: string | Buffer; ca?: string; localAddress?: string } = {}): Promise<RawResponse> {
  const target = new URL(url)
  const request = target.protocol === 'https:' ? httpsRequest : httpRequest
  return new Promise((resolve, reject) => {
    const req = request(target, { method: options.method ?? 'GET', headers: options.headers ?? {}, agent: false, ...(options.ca ? { ca: options.ca } : {}), ...(options.localAddress ? { localAddress: options.localAddress } : {}) }, (res) => {
      const chunks: Buffer[] = []
      let settled = false
      const settle = (complete: boolean) => {
        if (settled) return
        settled = true
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), complete })
      }
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () => settle(res.complete))
      res.on('error', () => settle(false))
      res.on('close', () => settle(res.complete))
    })
    req.on('error', reject)
    req.end(options.body)
  })
}

export function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex')
}

/** Deterministic bytes of a given length (not all equal, so a wrong offset shows). */
export function patternBytes(length: number, seed = 7): Buffer {
  const bytes = Buffer.alloc(length)
  for (let i = 0; i < length; i++) bytes[i] = (i * 31 + seed + (i >> 8)) & 0xff
  return bytes
}

/** A valid manifest with one image item per asset. */
export function manifestFor(version: string, assets: readonly { sha: string; size: number }[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    schema: 'bangtin.manifest/v1',
    version,
    playlists: [
      {
        id: 'main',
        name: 'Bản tin',
        items: [
          { id: 'notice', kind: 'text', title: 'Thông báo', body: 'Lịch tiêm chủng tháng này', durationSec: 10 },
          ...assets.map((asset, i) => ({ id: `image-${i}`, kind: 'image', asset: asset.sha, durationSec: 5 }))
        ]
      }
    ],
    assets: assets.map((asset, i) => ({ sha256: asset.sha, size: asset.size, mime: 'image/png', url: `media/image-${i}.png` })),
    ...extra
  }
}

/** Starts quiet servers and connects clients; everything is closed after each test. */
export function useReferenceServers() {
  const servers: TestServer[] = []
  const sockets: Socket[] = []
  afterEach(async () => {
    for (const socket of sockets.splice(0)) socket.close()
    await Promise.all(servers.splice(0).map((server) => server.close()))
  })
  return {
    async start(options: ReferenceServerOptions = {}): Promise<TestServer> {
      // The server's own tests see its documents as they are: bare unless a test gives a key.
      const server = await startTestServer({ signingKey: null, ...options })
      servers.push(server)
      return server
    },
    /** A device's push socket, not yet awaited: use connected() or connectError(). */
    socket(server: ReferenceServer, auth: { deviceId: string; token: string }, options: { reconnect?: boolean; ca?: string } = {}): Socket {
      const socket = io(`${server.url}${PUSH_NAMESPACE}`, {
        auth,
        transports: ['websocket'],
        forceNew: true,
        reconnection: options.reconnect ?? false,
        reconnectionDelay: 50,
        reconnectionDelayMax: 100,
        ...(options.ca ? { ca: options.ca } : {})
      })
      sockets.push(socket)
      return socket
    }
  }
}

export function connected(socket: Socket): Promise<void> {
  return new Promise((resolve, reject) => {
    if (socket.connected) return resolve()
    socket.once('connect', () => resolve())
    socket.once('connect_error', reject)
  })
}

export function connectError(socket: Socket): Promise<Error> {
  return new Promise((resolve, reject) => {
    socket.once('connect', () => reject(new Error('connected, but should have been refused')))
    socket.once('connect_error', resolve)
  })
}

export function nextEvent(socket: Socket, event: string, timeoutMs = 3000): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${event} within ${timeoutMs} ms`)), timeoutMs)
    socket.once(event, (payload: unknown) => {
      clearTimeout(timer)
      resolve(payload)
    })
  })
}

export function bearer(token: string): Record<string, string> {
  return { Authorization: `Bearer ${token}` }
}
