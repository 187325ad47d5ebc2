// The seam between the core and a source system. The source session knows only this interface; the v1
// adapter (our open protocol) is the default, and vendor protocols (e.g. MQTT) can be added beside it.
import type { Readable } from 'node:stream'
import type { Ack, Problem, ReportBody, UploadMeta } from '../protocol/api'
import type { Asset } from '../protocol/manifest'

export type ManifestFetch =
  | { status: 'not-modified'; serverDate?: Date }
  /** `document` is still untrusted: the content sync checks signature and schema. */
  | { status: 'ok'; document: unknown; etag?: string; serverDate?: Date }

export interface AssetDownload {
  stream: Readable
  /** The byte offset the stream starts at (0 when the server ignored a resume request). */
  offset: number
  /**
   * True when the transport tells a cut from an end (HTTP Content-Length or chunked framing): then a body
   * that ends cleanly before the file's size is the server's file being wrong (a 0-byte file), not a
   * dropped link to resume.
   */
  endIsFinal?: boolean
}

export type PushState = 'connecting' | 'connected' | 'disconnected'

export interface PushHandlers {
  onManifestChanged(version: string): void
  /** Untrusted raw messages: the inbox checks signature and schema. */
  onEmergencyStart(raw: unknown): void
  onEmergencyClear(raw: unknown): void
  onCommand(raw: unknown): void
  onState(state: PushState): void
  /** The server refused this board's credentials (revoked or forgotten): retrying cannot help. */
  onRefused(reason: string): void
  /** A push frame was refused before parsing (too big, too deep, binary); the channel reconnects by itself. */
  onFrameRefused?(reason: string): void
}

export interface PushChannel {
  ack(ack: Ack): void
  problem(problem: Problem): void
  close(): void
}

export interface SourceAdapter {
  fetchManifest(etag: string | undefined, signal: AbortSignal): Promise<ManifestFetch>
  /** Streams an asset's bytes from `offset` (HTTP Range) so a cut download resumes where it stopped. */
  download(asset: Asset, offset: number, signal: AbortSignal): Promise<AssetDownload>
  openPushChannel(handlers: PushHandlers): PushChannel
  /** Posts a report; resolves only once the server stored it. */
  sendReport(body: ReportBody, signal: AbortSignal): Promise<void>
  /** Sends one file (a screenshot, a log bundle); resolves once the server stored it. */
  sendUpload(meta: UploadMeta, bytes: Buffer, signal: AbortSignal): Promise<void>
}

export class SourceError extends Error {
  override name = 'SourceError'
  constructor(
    message: string,
    /** HTTP status when there was one; 0 for network errors and timeouts. */
    readonly status: number,
    /** Whether trying again later can help (5xx, timeouts, network), as opposed to 4xx. */
    readonly retryable: boolean,
    /** The server's Retry-After (429, 503): not before this many ms. */
    readonly retryAfterMs?: number
  ) {
    super(message)
  }
}

/** A server asking to wait longer than this (a broken or hostile Retry-After) is not let park the board. */
export const MAX_RETRY_AFTER_MS = 15 * 60_000

/**
 * How long the server asked to be left alone (its Retry-After, capped), or 0. Every retry loop waits at
 * least this long: a district server shedding load after a storm must not be hammered by its own boards.
 */
export function askedWaitMs(error: unknown): number {
  if (!(error instanceof SourceError) || error.retryAfterMs === undefined) return 0
  return Math.min(MAX_RETRY_AFTER_MS, error.retryAfterMs)
}
