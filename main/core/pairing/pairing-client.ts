// Pairing from the board's side: ask the server for a code, show it (with a QR code of the approve
// link), poll until an operator approves it, and get the board's credentials. An expired code is
// replaced by a new one; a server that cannot be reached is retried with backoff.
import { paths, PairingStarted, PairingStatus } from '../protocol/api'
import { keyFingerprint } from '../protocol/key-fingerprint'
import type { Logger } from '../log'
import { httpRequestJson } from '../sync/http-request'
import { MAX_RETRY_AFTER_MS, SourceError } from '../sync/source-adapter'

export interface PairingDisplay {
  code: string
  approveUrl: string
  expiresAt: string
  /** The fingerprint of the key the server signs with (to compare with the province's printed one); null: it signs nothing. */
  keyFingerprint: string | null
}

/** What an approved board gets: its credentials, and the province key it was shown while pairing. */
export interface PairedBoard {
  deviceId: string
  token: string
  boardName?: string
  provinceKey?: { keyId: string; publicKey: string }
}

export interface PairingOptions {
  serverUrl: string
  allowInsecureHttp: boolean
  ca?: string
  log: Logger
  /** Called with each new code to show, and with null once paired. */
  onCode(display: PairingDisplay | null): void
  signal: AbortSignal
  sleep?: (ms: number) => Promise<void>
}

/** A failed pairing request is asked again after min(max, first × 2^(failures−1)) × 0.5–1.5. */
export const PAIRING_RETRY = { firstMs: 2_000, maxMs: 60_000 } as const

export async function pairBoard(options: PairingOptions): Promise<PairedBoard> {
  const base = new URL(options.serverUrl)
  if (base.protocol !== 'https:' && !(base.protocol === 'http:' && options.allowInsecureHttp)) {
    throw new Error(`refusing ${base.protocol} server URL: TLS is required`)
  }
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)))
  let failures = 0
  while (!options.signal.aborted) {
    try {
      const started = PairingStarted.parse(await httpRequestJson('POST', new URL(paths.pairings(), base), { signal: options.signal, ca: options.ca }))
      failures = 0
      // A key that is not an Ed25519 public key is no key: the board is left with none rather than a broken one.
      const provinceKey = started.provinceKey && fingerprintOf(started.provinceKey.publicKey) ? started.provinceKey : undefined
      const fingerprint = provinceKey ? fingerprintOf(provinceKey.publicKey) : null
      options.onCode({ code: started.code, approveUrl: started.approveUrl, expiresAt: started.expiresAt, keyFingerprint: fingerprint })
      options.log.info('pairing code shown', { code: started.code, expiresAt: started.expiresAt, keyId: provinceKey?.keyId ?? null, keyFingerprint: fingerprint })
      while (!options.signal.aborted && Date.parse(started.expiresAt) > Date.now()) {
        await sleep(started.pollAfterSec * 1000)
        const answer = await httpRequestJson('GET', new URL(paths.pairing(started.pairingId), base), { signal: options.signal, ca: options.ca, allowStatus: [404] })
        if (answer === null) break // expired or unknown: ask for a new code
        const status = PairingStatus.parse(answer)
        if (status.state === 'approved') {
          options.onCode(null)
          options.log.info('paired', { deviceId: status.deviceId })
          // The key pinned is the one whose fingerprint was on screen while the operator approved.
          return { deviceId: status.deviceId, token: status.token, boardName: status.boardName, ...(provinceKey ? { provinceKey } : {}) }
        }
      }
    } catch (error) {
      if (options.signal.aborted) break
      failures += 1
      // A server that is shedding load (429, 503) says when to come back: never sooner, with a little
      // spread so boards it refused together do not return together.
      const retryAfter = error instanceof SourceError ? error.retryAfterMs : undefined
      const delay =
        retryAfter !== undefined
          ? Math.min(MAX_RETRY_AFTER_MS, retryAfter) * (1 + 0.2 * Math.random())
          : Math.min(PAIRING_RETRY.maxMs, PAIRING_RETRY.firstMs * 2 ** (failures - 1)) * (0.5 + Math.random())
      options.log.warn('pairing request failed; retrying', { error: (error as Error).message, retryInMs: Math.round(delay) })
      await sleep(delay)
    }
  }
  throw new Error('pairing stopped')
}

function fingerprintOf(publicKey: string): string | null {
  try {
    return keyFingerprint(publicKey)
  } catch {
    return null
  }
}
