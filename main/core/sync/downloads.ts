// Fetches the files a manifest needs into the cache: resumably, in parallel within the disk quota, and
// setting aside (reported, retried later with a growing back-off) a file that is bad, so it never holds
// back the rest of the manifest.
import { pipeline, Transform } from 'node:stream'
import { CacheVerificationError, QuotaExceededError, type ContentCache } from '../cache/content-cache'
import type { Logger } from '../log'
import type { Problem } from '../protocol/api'
import type { Asset, Manifest } from '../protocol/manifest'
import { SourceError, type SourceAdapter } from './source-adapter'
import { Throttle } from './throttle'

export interface DownloadProgress {
  assetsDone: number
  assetsTotal: number
  bytesDone: number
  bytesTotal: number
}

export interface DownloadOutcome {
  /** Files still missing that a retry soon may bring (a cut link, a busy server, a closed window). */
  waiting: Asset[]
  /** Files set aside as bad for now: the manifest goes ahead without the items that need them. */
  setAside: Asset[]
  /** Files that arrived in this round. */
  arrived: number
}

/** Why a file is set aside: bytes that are not the file, a server that refuses it, or no room for it. */
type Cause = 'bytes' | 'refused' | 'quota'

interface SetAsideEntry {
  untilMono: number
  failures: number
  cause: Cause
}

/**
 * Tries in a row in which the server answered a file's download and then sent not one byte of it: an empty
 * or vanished file behind its headers, which waiting longer does not cure.
 */
export const NO_PROGRESS_TRIES = 3
/** The longest a bad file waits before it is tried again: bounded, so a file fixed on the server arrives the same day. */
export const SET_ASIDE_MAX_MS = 6 * 3_600_000
export const SET_ASIDE_BASE_MS = 10 * 60_000

export interface DownloadsOptions {
  cache: ContentCache
  adapter: Pick<SourceAdapter, 'download'>
  log: Logger
  signal: AbortSignal
  maxConcurrent: number
  bandwidthBytesPerSec?: number
  /** First back-off of a file set aside (doubling per failure up to SET_ASIDE_MAX_MS). */
  setAsideBaseMs?: number
  report(kind: Problem['kind'], detail: string, ref?: string): void
  stopped(): boolean
}

export class Downloads {
  /** By sha256, in memory (a restart tries each once more; the cache's own quarantine of bad bytes persists). */
  private readonly setAsideFiles = new Map<string, SetAsideEntry>()
  /** By sha256: downloads in a row that ended in a retryable failure without a single byte. */
  private readonly fruitless = new Map<string, number>()
  /** Bytes still to come for downloads in progress (reserved against the disk quota). */
  private inFlightBytes = 0

  constructor(private readonly options: DownloadsOptions) {}

  /** Whether the file is set aside now (here, or quarantined by the cache from before a restart). */
  isSetAside(sha256: string): boolean {
    const entry = this.setAsideFiles.get(sha256)
    return (entry !== undefined && performance.now() < entry.untilMono) || this.options.cache.isQuarantined(sha256)
  }

  /** Milliseconds until the first of these files may be tried again, or null when none is set aside. */
  nextRetryInMs(assets: readonly Asset[]): number | null {
    const now = performance.now()
    const wanted = new Set(assets.map((asset) => asset.sha256))
    const waits = assets.flatMap((asset) => {
      const entry = this.setAsideFiles.get(asset.sha256)
      return entry && now < entry.untilMono ? [entry.untilMono - now] : []
    })
    // Quarantined before a restart: the cache stamps its entries on the wall clock.
    for (const entry of this.options.cache.quarantined()) if (wanted.has(entry.sha256)) waits.push(Math.max(0, entry.until - Date.now()))
    return waits.length > 0 ? Math.min(...waits) : null
  }

  /** What filled the disk belonged to the manifest just replaced: files set aside for room may fit now. */
  retryQuotaNow(): boolean {
    let any = false
    for (const entry of this.setAsideFiles.values()) {
      if (entry.cause === 'quota' && entry.untilMono > performance.now()) {
        entry.untilMono = 0
        any = true
      }
    }
    return any
  }

  /**
   * Downloads what `manifest` needs and the cache lacks, urgent files (emergency images) first; outside a
   * download window only urgent ones. `keep` are files eviction must not touch.
   */
  async fetchMissing(manifest: Manifest, keep: ReadonlySet<string>, windowOpen: boolean, onProgress: (p: DownloadProgress) => void): Promise<DownloadOutcome> {
    const { cache } = this.options
    const urgent = new Set(manifest.emergencies.flatMap((e) => (e.asset ? [e.asset] : [])))
    const missing = manifest.assets.filter((asset) => !cache.has(asset.sha256))
    const queue = missing
      .filter((asset) => !this.isSetAside(asset.sha256) && (windowOpen || urgent.has(asset.sha256)))
      .sort((a, b) => Number(urgent.has(b.sha256)) - Number(urgent.has(a.sha256)))
    const progress: DownloadProgress = {
      assetsDone: 0,
      assetsTotal: queue.length,
      bytesDone: 0,
      bytesTotal: queue.reduce((sum, asset) => sum + asset.size, 0)
    }
    let arrived = 0
    if (queue.length > 0) {
      onProgress({ ...progress })
      let next = 0
      const worker = async (): Promise<void> => {
        while (next < queue.length && !this.options.stopped()) {
          const asset = queue[next++]!
          const done = await this.fetchOne(asset, manifest, keep, !urgent.has(asset.sha256), (bytes) => {
            progress.bytesDone += bytes
            onProgress({ ...progress })
          })
          if (done) {
            progress.assetsDone += 1
            arrived += 1
          }
          onProgress({ ...progress })
        }
      }
      await Promise.all(Array.from({ length: Math.min(this.options.maxConcurrent, queue.length) }, worker))
    }
    const stillMissing = manifest.assets.filter((asset) => !cache.has(asset.sha256))
    return {
      waiting: stillMissing.filter((asset) => !this.isSetAside(asset.sha256)),
      setAside: stillMissing.filter((asset) => this.isSetAside(asset.sha256)),
      arrived
    }
  }

  private async fetchOne(asset: Asset, manifest: Manifest, keep: ReadonlySet<string>, capped: boolean, onBytes: (n: number) => void): Promise<boolean> {
    const { cache, adapter, log, bandwidthBytesPerSec } = this.options
    let reserved = 0
    /** Bytes of this file that came in this try; null until the server answered with them (not a refusal, not a dead link). */
    let received: number | null = null
    try {
      const partial = await cache.partialBytes(asset.sha256)
      // Killed between the last byte and the rename: finish from disk, no download.
      if (partial === asset.size && (await cache.completePartial(asset))) return this.arrived(asset)
      // Room for this file and for what the other downloads still need: parallel downloads must not
      // overshoot the quota together.
      const needed = asset.size - partial
      await cache.ensureSpace(needed + this.inFlightBytes, keep)
      reserved = needed
      this.inFlightBytes += reserved
      const { stream, offset, endIsFinal } = await adapter.download(asset, partial, this.options.signal)
      received = 0
      // Counted inside the pipeline (a 'data' listener would start the flow before the cache reads).
      const meter = new Transform({
        transform: (chunk: Buffer, _enc, done) => {
          received = (received ?? 0) + chunk.length
          onBytes(chunk.length)
          done(null, chunk)
        }
      })
      const stages: Transform[] = capped && bandwidthBytesPerSec ? [meter, new Throttle(bandwidthBytesPerSec)] : [meter]
      // pipeline() destroys the last stage with the network error, so the cache sees the cut.
      pipeline([stream, ...stages], () => {})
      await cache.importStream(asset, stages.at(-1)!, { resumeFrom: offset, endIsFinal, quarantineForMs: this.backoffMs(asset.sha256) })
      log.info('asset downloaded', { sha256: asset.sha256, size: asset.size, resumedAt: offset })
      return this.arrived(asset)
    } catch (error) {
      const message = (error as Error).message
      // A resumed download with wrong bytes is simply started over next time (the kept bytes may be what
      // was torn); a fresh one with wrong bytes (a 0-byte file included) is the server's file.
      if (error instanceof CacheVerificationError && error.quarantine) this.setAside(asset, manifest, 'bytes', 'asset-quarantined', message)
      else if (error instanceof QuotaExceededError) this.setAside(asset, manifest, 'quota', 'quota-exceeded', message)
      else if (error instanceof SourceError && !error.retryable) this.setAside(asset, manifest, 'refused', 'download-failed', message)
      else if (received !== null && !(error instanceof CacheVerificationError) && !this.options.stopped()) this.countFruitless(asset, manifest, received, message)
      log.warn('asset download failed', { sha256: asset.sha256.slice(0, 12), error: message })
      return false
    } finally {
      this.inFlightBytes -= reserved
    }
  }

  private arrived(asset: Asset): true {
    this.setAsideFiles.delete(asset.sha256)
    this.fruitless.delete(asset.sha256)
    return true
  }

  /**
   * A cut or stall is retried as it comes; the same file answered with headers and then nothing at all,
   * try after try, is set aside. A busy server (5xx, 429) or a dead link never got that far: they only
   * hold the manifest back, as they should.
   */
  private countFruitless(asset: Asset, manifest: Manifest, received: number, message: string): void {
    if (received > 0) {
      this.fruitless.delete(asset.sha256)
      return
    }
    const tries = (this.fruitless.get(asset.sha256) ?? 0) + 1
    bounded(this.fruitless).set(asset.sha256, tries)
    if (tries < NO_PROGRESS_TRIES) return
    this.fruitless.delete(asset.sha256)
    const detail = `the server sent none of its ${asset.size} bytes in ${tries} tries in a row (an empty or missing file on the server?); last: ${message}`
    this.setAside(asset, manifest, 'refused', 'download-failed', detail)
  }

  /** The back-off the next failure of this file earns: 1×, 2×, 4×… the base, at most SET_ASIDE_MAX_MS. */
  private backoffMs(sha256: string): number {
    const failures = this.setAsideFiles.get(sha256)?.failures ?? 0
    return Math.min(SET_ASIDE_MAX_MS, (this.options.setAsideBaseMs ?? SET_ASIDE_BASE_MS) * 2 ** failures)
  }

  private setAside(asset: Asset, manifest: Manifest, cause: Cause, kind: Problem['kind'], message: string): void {
    const forMs = this.backoffMs(asset.sha256)
    const failures = (this.setAsideFiles.get(asset.sha256)?.failures ?? 0) + 1
    bounded(this.setAsideFiles).set(asset.sha256, { untilMono: performance.now() + forMs, failures, cause })
    const items = manifest.playlists.flatMap((p) => p.items).filter((item) => 'asset' in item && item.asset === asset.sha256)
    const what = items.length > 0 ? `items ${items.map((item) => item.id).join(', ')}` : 'an emergency image'
    const retry = forMs < 120_000 ? `${Math.round(forMs / 1000)} s` : `${Math.round(forMs / 60_000)} min`
    this.options.report(kind, `${what} left out, the file is tried again in ${retry}: ${message}`, asset.sha256)
  }
}

/** Keeps a per-file map bounded (files of long-gone manifests): past the limit the oldest entry goes. */
function bounded<V>(map: Map<string, V>): Map<string, V> {
  if (map.size >= 20_000) map.delete(map.keys().next().value!)
  return map
}
