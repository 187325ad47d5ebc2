// The reference server as tests use it: the product server wrapped with the faults tests switch on (an
// API that fails or hangs; asset bodies cut, corrupted or throttled), a manifest body override, and raw
// pushes (tests of refusals: unsigned, tampered, expired). Test code only: nothing in server/ imports it.
import type { ServerResponse } from 'node:http'
import { sendError } from '../http-util'
import { startSeamedServer, type ReferenceServer, type ReferenceServerOptions } from '../reference-server'
import { sendFaultyBody } from './faulty-body'
import { sealAddressed, type DocumentKind } from '../../main/core/protocol/addressed'
import { generateSigningKey, signDocument } from '../../main/core/protocol/signing'

/** Faults a test switches on to see how a board copes; read on every request. */
export interface Faults {
  /** Asset downloads: close the socket after this many body bytes (per response), for Range-resume tests. */
  cutAssetAfterBytes: number | null
  /** Serve wrong bytes (same length, flipped) for these sha256s. */
  corruptAssets: Set<string>
  /** Answer every device API request with this status (e.g. 500), or never answer ('hang'). */
  failApi: number | 'hang' | null
  /** With failApi: the Retry-After (seconds) those answers carry, as a server shedding load sends. */
  retryAfterSec: number | null
  /** Throttle asset bodies to N bytes/second. */
  assetBytesPerSec: number | null
}

export interface TestServer extends ReferenceServer {
  /** Mutate the fields (`server.faults.failApi = 500`); they are read on every request. */
  readonly faults: Faults
  /** Emits any event with any payload, unchecked. */
  pushRaw(event: string, payload: unknown, opts?: { deviceIds?: string[] }): void
  /** What a board trusts to take this server's content (config.json's trustedKeys), empty when it serves unsigned. */
  trustedKeys(): { keyId: string; publicKey: string }[]
  /**
   * A document as this server would send it (signed with its key, bare when it serves unsigned), as JSON text:
   * with `to`, a signed document v2 of that kind addressed to that board (issued now, valid an hour), as a board
   * with keys requires; without, a protocol v1 envelope (which such a board refuses as unaddressed).
   */
  signedBody(document: unknown, to?: { kind: DocumentKind; deviceId: string }): string
  /** Serves this exact body (no ETag) for the next manifest requests; null = back to normal. */
  overrideManifestBody(body: string | null): void
  /** Requests held open by failApi 'hang' now (a test can wait until its request is held). */
  heldRequests(): number
}

export function noFaults(): Faults {
  return { cutAssetAfterBytes: null, corruptAssets: new Set(), failApi: null, retryAfterSec: null, assetBytesPerSec: null }
}

/** The key test servers sign with unless a test passes its own (or `signingKey: null` to serve unsigned). */
export const TEST_KEY_ID = 'tinh-thu-nghiem'

export async function startTestServer(options: ReferenceServerOptions = {}): Promise<TestServer> {
  // Boards fail closed on unsigned content, so a test server signs like a province does unless told not to.
  if (options.signingKey === undefined) options = { ...options, signingKey: { keyId: TEST_KEY_ID, privateKeyPem: generateSigningKey().privateKeyPem } }
  const signing = options.signingKey ?? null
  const faults = noFaults()
  let manifestOverride: string | null = null
  const held = new Set<ServerResponse>()
  const { server, pushRaw } = await startSeamedServer(options, {
    interceptDeviceApi: (_req, res) => {
      const { failApi } = faults
      if (failApi === 'hang') {
        // Unanswered until the client gives up or the server stops (which drops every connection).
        held.add(res)
        res.once('close', () => held.delete(res))
        return true
      }
      if (failApi === null) return false
      sendError(res, failApi, 'fault-injected', `fault injected: every API request answers ${failApi}`, faults.retryAfterSec === null ? undefined : { 'Retry-After': String(faults.retryAfterSec) })
      return true
    },
    manifestBody: () => manifestOverride,
    sendAssetBody: (res, chunks, length, sha, onSent) =>
      sendFaultyBody(res, chunks, length, { cutAfterBytes: faults.cutAssetAfterBytes, corrupt: faults.corruptAssets.has(sha), bytesPerSec: () => faults.assetBytesPerSec }, onSent)
  })
  return Object.assign(server, {
    faults,
    pushRaw: (event: string, payload: unknown, opts: { deviceIds?: string[] } = {}) => pushRaw(event, payload, opts.deviceIds),
    overrideManifestBody: (body: string | null) => {
      manifestOverride = body
    },
    heldRequests: () => held.size,
    signedBody: (document: unknown, to?: { kind: DocumentKind; deviceId: string }) => {
      const key = signing ? { keyId: signing.keyId, privateKey: signing.privateKeyPem } : null
      if (to) return JSON.stringify(sealAddressed(to.kind, { deviceIds: [to.deviceId] }, document, { issuedAt: Date.now(), expiresAt: Date.now() + 3_600_000 }, key))
      return JSON.stringify(key ? signDocument(document, key.keyId, key.privateKey) : document)
    },
    trustedKeys: () => (server.publicKeyPem && server.signingKeyId ? [{ keyId: server.signingKeyId, publicKey: server.publicKeyPem }] : [])
  })
}
