// When an update may be installed, and what the "pending verification" record says at startup.
// Pure: the controller supplies the clock, the display state and the record read from userData.
import { inTimeWindow, zonedTime } from '../../core/time/zoned'

export interface InstallWindow {
  from: string
  to: string
}

/**
 * An update restarts the player, so it installs only when nobody is watching: the schedule has the
 * display off, or the wall clock (board time zone) is inside the maintenance window. An emergency on
 * screen always blocks it.
 */
export function mayInstallNow(input: {
  displayOn: boolean | null
  emergencyOnScreen: boolean
  now: Date
  timeZone: string
  window: InstallWindow
}): boolean {
  if (input.emergencyOnScreen) return false
  if (input.displayOn === false) return true
  const t = zonedTime(input.now, input.timeZone)
  return inTimeWindow(t.hour * 60 + t.minute, input.window)
}

/** Written to userData just before an update is installed, and cleared once the new version plays. */
export interface PendingVerification {
  fromVersion: string
  toVersion: string
  installedAt: number
  /** Starts of toVersion so far that have not reached "playing". */
  starts: number
  /** An installer (or AppImage) of fromVersion kept for rollback, if the platform allows one. */
  rollbackPath: string | null
}

export type StartupVerdict =
  | { kind: 'none' }
  /** The update did not take (still the old version): report it as an install failure and clear the record. */
  | { kind: 'not-installed'; pending: PendingVerification }
  /** Running the new version: verify it, with the record's start count already incremented. */
  | { kind: 'verify'; pending: PendingVerification }
  /** The new version has started too often without playing: roll back / report now. */
  | { kind: 'give-up'; pending: PendingVerification }

export function startupVerdict(pending: PendingVerification | null, runningVersion: string, maxStarts: number): StartupVerdict {
  if (!pending) return { kind: 'none' }
  if (runningVersion !== pending.toVersion) return { kind: 'not-installed', pending }
  const next = { ...pending, starts: pending.starts + 1 }
  return next.starts > maxStarts ? { kind: 'give-up', pending: next } : { kind: 'verify', pending: next }
}

/**
 * The staged-rollout decision for this board (plugged into electron-updater's isUserWithinRollout):
 * a stable bucket 0–99.99 from the device id, so the same boards always go first and an operator can
 * tell which ones will (the canaries), instead of a random id hidden in userData.
 */
export function rolloutBucket(deviceId: string): number {
  // FNV-1a: tiny, stable across Node versions, and spread enough for percentages.
  let hash = 0x811c9dc5
  for (const byte of Buffer.from(deviceId, 'utf8')) {
    hash ^= byte
    hash = Math.imul(hash, 0x01000193) >>> 0
  }
  return (hash / 0x1_0000_0000) * 100
}

export function inRollout(deviceId: string, stagingPercentage: number | undefined | null): boolean {
  if (stagingPercentage === undefined || stagingPercentage === null || Number.isNaN(stagingPercentage)) return true
  return rolloutBucket(deviceId) < Math.max(0, Math.min(100, stagingPercentage))
}
