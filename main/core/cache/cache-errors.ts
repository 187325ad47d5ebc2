// The errors the content cache throws, apart so the sync side can tell a wrong file, a cut download, a
// quarantined hash and a full disk from one another without importing the cache's machinery.
import type { QuarantineEntry } from './quarantine-store'

/** The bytes are wrong: the hash or size does not match, or the name is not a sha256. */
export class CacheVerificationError extends Error {
  override name = 'CacheVerificationError'
  constructor(
    message: string,
    /** The quarantine this failure started, or null (a resumed import, or quarantine disabled). */
    readonly quarantine: QuarantineEntry | null = null
  ) {
    super(message)
  }
}

/** The source ended cleanly before all bytes arrived. The partial is kept for a resume. */
export class IncompleteDownloadError extends Error {
  override name = 'IncompleteDownloadError'
  constructor(
    readonly sha256: string,
    readonly receivedBytes: number,
    readonly expectedBytes: number
  ) {
    super(`download of ${sha256} ended after ${receivedBytes} of ${expectedBytes} bytes; the partial is kept for a resume`)
  }
}

/** The hash is in quarantine: fetching it again is pointless until `entry.until`. */
export class QuarantinedError extends Error {
  override name = 'QuarantinedError'
  constructor(readonly entry: QuarantineEntry) {
    super(`${entry.sha256} is quarantined until ${new Date(entry.until).toISOString()}: ${entry.reason}`)
  }
}

/** Even after evicting everything not kept, the new bytes would not fit under the quota. */
export class QuotaExceededError extends Error {
  override name = 'QuotaExceededError'
  constructor(
    readonly neededBytes: number,
    readonly availableBytes: number,
    readonly quotaBytes: number,
    /** No quota was set: this one keeps the disk from filling. */
    readonly fromDisk = false
  ) {
    const quota = fromDisk ? `quota ${quotaBytes} bytes, what keeps 10 % of the disk or 2 GiB free` : `quota ${quotaBytes} bytes`
    super(`cache quota exceeded: ${neededBytes} bytes needed but only ${availableBytes} can be made available (${quota}; the rest is held by content still in use)`)
  }
}
