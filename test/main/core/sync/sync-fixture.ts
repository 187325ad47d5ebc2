// Sync tests' setup: a real reference server on 127.0.0.1, and a device (source session over the v1
// adapter, cache, store, content sync) in a temp data dir, with small timings so retries happen within a test.
import { createHash, randomBytes } from 'node:crypto'
import { join } from 'node:path'
import { ContentCache, type ContentCacheOptions } from '../../../../main/core/cache/content-cache'
import { ManifestStore } from '../../../../main/core/content/manifest-store'
import { memoryLogger } from '../../../../main/core/log'
import type { Manifest } from '../../../../main/core/protocol/manifest'
import { DocumentGate } from '../../../../main/core/sync/document-gate'
import { ContentSync, type ContentSyncOptions } from '../../../../main/core/sync/content-sync'
import { ContentTrust } from '../../../../main/core/sync/content-trust'
import { SourceSession } from '../../../../main/core/sync/source-session'
import type { SourceProtocol } from '../../../../main/core/sync/source-protocols'
import { V1Adapter } from '../../../../main/core/sync/v1-adapter'
import { BoardClock } from '../../../../main/core/time/board-clock'
import type { ReferenceServer, ReferenceServerOptions } from '../../../../server/reference-server'
import { startTestServer, type TestServer } from '../../../../server/testing/test-server'

export const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex')

export interface TestAsset {
  bytes: Buffer
  sha256: string
}

export function makeAsset(size: number): TestAsset {
  const bytes = randomBytes(size)
  return { bytes, sha256: sha256(bytes) }
}

/** A manifest document (as an operator publishes it) with one image item per asset. */
export function manifestWith(version: string, assets: TestAsset[], extra: object = {}): object {
  return {
    schema: 'bangtin.manifest/v1',
    version,
    playlists: [
      {
        id: 'main',
        name: 'Chính',
        items: [
          { id: `t-${version}`, kind: 'text', body: `Phiên bản ${version}`, durationSec: 5 },
          ...assets.map((a, i) => ({ id: `img-${i}-${a.sha256.slice(0, 8)}`, kind: 'image', asset: a.sha256, durationSec: 5 }))
        ]
      }
    ],
    assets: assets.map((a) => ({ sha256: a.sha256, size: a.bytes.length, mime: 'image/png', url: `${a.sha256}.png` })),
    ...extra
  }
}

export const filesOf = (assets: TestAsset[]): Map<string, Buffer> => new Map(assets.map((a) => [a.sha256, a.bytes]))

export async function startServer(options: ReferenceServerOptions = {}): Promise<TestServer> {
  return startTestServer({ port: 0, ...options })
}

export interface Device {
  engine: ContentSync
  session: SourceSession
  cache: ContentCache
  store: ManifestStore
  log: ReturnType<typeof memoryLogger>
  activated: Manifest[]
  stop(): Promise<void>
}

export async function startDevice(
  server: ReferenceServer,
  dataDir: string,
  opts: { trust?: ContentTrust; quotaBytes?: number; cache?: ContentCacheOptions; engine?: Partial<ContentSyncOptions>; deviceId?: string } = {}
): Promise<Device> {
  const deviceId = opts.deviceId ?? 'bang-tin-01'
  const { token } = server.addDevice(deviceId, `token-${deviceId}-0123456789`)
  const log = memoryLogger()
  // A roomy disk unless the test says otherwise, so no test depends on the machine's free space.
  const disk = async () => ({ freeBytes: 2 ** 40, totalBytes: 2 ** 41 })
  const cache = new ContentCache(join(dataDir, 'cache'), { quotaBytes: opts.quotaBytes, disk, ...opts.cache })
  await cache.open()
  const store = new ManifestStore(join(dataDir, 'state'), log)
  const stored = { active: await store.load('active'), pending: await store.load('pending') }
  await cache.verifyAll()
  const activated: Manifest[] = []
  const wall = opts.engine?.now ?? (() => new Date())
  const clock = opts.engine?.clock ?? new BoardClock({ wall: () => wall().getTime() })
  // The v1 protocol with a test's short timeouts; a provisioned token, so nothing pairs.
  const protocol: SourceProtocol = {
    connect: (endpoint, credentials) =>
      new V1Adapter({
        serverUrl: endpoint.serverUrl,
        ...credentials,
        allowInsecureHttp: true,
        responseTimeoutMs: 2000,
        idleTimeoutMs: 2000,
        reconnectDelayMs: 100,
        reconnectDelayMaxMs: 500
      }),
    pair: () => Promise.reject(new Error('this device is provisioned'))
  }
  const session = new SourceSession({
    endpoint: { serverUrl: server.url, allowInsecureHttp: true, log, now: () => clock.nowMs() },
    protocol,
    credentials: { load: async () => null, save: async () => undefined, revoke: async () => undefined, isRevoked: async () => false },
    provisioned: { deviceId, token },
    clock,
    log,
    showPairing: () => undefined,
    wallNow: () => wall().getTime()
  })
  const engine = new ContentSync({
    source: session,
    cache,
    store,
    gate: new DocumentGate({ stateDir: join(dataDir, 'state'), trust: opts.trust ?? trusting(server), deviceId: () => session.deviceId, groups: [], clock, log }),
    log,
    timeZone: 'Asia/Ho_Chi_Minh',
    pollIntervalMs: 3_600_000,
    maxConcurrentDownloads: 2,
    retryBaseMs: 100,
    retryMaxMs: 400,
    clock,
    onActivated: (manifest) => activated.push(manifest),
    ...opts.engine
  })
  engine.start(stored)
  session.onLinked(() => engine.resume('linked'))
  await session.start()
  return {
    engine,
    session,
    cache,
    store,
    log,
    activated,
    stop: async () => {
      await engine.stop()
      await session.stop()
    }
  }
}

/** A board that trusts what this server signs (as a provisioned board would, its key in config.json). */
export function trusting(server: ReferenceServer): ContentTrust {
  const keys = server.publicKeyPem && server.signingKeyId ? [{ keyId: server.signingKeyId, publicKey: server.publicKeyPem }] : []
  return new ContentTrust(keys, false)
}
