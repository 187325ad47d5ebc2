// The eviction policy as plain functions: how much the cache may hold when nobody set a quota (what keeps
// the disk from filling), in which order files leave, and when retired content has waited long enough.

/** How long content no manifest references stays, in case it comes back (a re-published programme). */
export const DEFAULT_RETIRED_GRACE_MS = 7 * 24 * 3_600_000
/** A board keeps at least this much of its disk free, and at least MIN_FREE_FRACTION of it. */
export const MIN_FREE_BYTES = 2 * 1024 ** 3
export const MIN_FREE_FRACTION = 0.1

/** Free and total bytes of the file system holding the cache (fs.statfs: blocks available to us). */
export interface DiskReading {
  freeBytes: number
  totalBytes: number
}

export interface EvictionCandidate {
  sha256: string
  kind: 'object' | 'part'
  bytes: number
  /** Objects only: the file's modification time, which orders files never played. */
  mtimeMs?: number
  /** Objects only: when it was last played relative to the others; undefined if never. */
  playedRank?: number
}

/** What the board keeps free: 10 % of the disk or 2 GiB, whichever is larger. */
export function reservedBytes(totalBytes: number): number {
  return Math.max(MIN_FREE_BYTES, Math.ceil(totalBytes * MIN_FREE_FRACTION))
}

/**
 * The quota of a cache nobody gave one: what it holds now plus the free space above the reserve. Whatever
 * else fills the disk (logs, journals, another program) shrinks it, so the cache gives way, not the disk.
 */
export function quotaFromDisk(disk: DiskReading, cacheBytes: number): number {
  return Math.max(0, cacheBytes + disk.freeBytes - reservedBytes(disk.totalBytes))
}

/**
 * Who leaves first: partial downloads nobody wants (they can never be shown), then objects never played
 * (oldest file first), then objects least recently played. The caller has already removed what is kept.
 */
export function evictionOrder(candidates: readonly EvictionCandidate[]): EvictionCandidate[] {
  const parts = candidates.filter((c) => c.kind === 'part')
  const objects = candidates
    .filter((c) => c.kind === 'object')
    .sort((a, b) => {
      if (a.playedRank === undefined && b.playedRank === undefined) {
        return (a.mtimeMs ?? 0) - (b.mtimeMs ?? 0) || a.sha256.localeCompare(b.sha256)
      }
      if (a.playedRank === undefined) return -1
      if (b.playedRank === undefined) return 1
      return a.playedRank - b.playedRank
    })
  return [...parts, ...objects]
}

/**
 * The shortest prefix of `ordered` whose removal brings `inUse + needed` under `quota`, or null when even
 * all of it would not (then nothing should be removed).
 */
export function chooseToFit(
  ordered: readonly EvictionCandidate[],
  inUse: number,
  needed: number,
  quota: number
): { chosen: EvictionCandidate[]; freed: number } | null {
  const chosen: EvictionCandidate[] = []
  let freed = 0
  for (const candidate of ordered) {
    if (inUse - freed + needed <= quota) break
    chosen.push(candidate)
    freed += candidate.bytes
  }
  return inUse - freed + needed <= quota ? { chosen, freed } : null
}

/**
 * Whether content retired at `since` has waited out `graceMs` by `now`. A clock that went back (a dead
 * RTC, a hand-set time) never ends a grace period early; one that jumps ahead may, which costs at most
 * downloading retired content again if a manifest names it once more.
 */
export function graceOver(since: number, now: number, graceMs: number): boolean {
  return now >= since && now - since >= graceMs
}
