// Protocol v1: the heartbeat, what a board tells the source system about itself every minute or so
// and on change (sent in POST reports, see api.ts ReportBody).
import { z } from 'zod'

const Iso = z.iso.datetime({ offset: true })
const Ref = z.string().min(1).max(200)

const Version = z.string().max(100)
const Reason = z.string().max(2000)

/**
 * The app updater's state (a shell without an updater says idle), as an operator needs it: which
 * version, since when, why it failed, and whether a broken update was rolled back. Fields that boards
 * before this shape did not send are optional, so a server keeps accepting them.
 */
export const UpdateReport = z.discriminatedUnion('state', [
  z.object({ state: z.literal('idle'), lastCheckAt: Iso.nullable().optional() }),
  /** Updates are off on this board (switched off, an unpackaged build, a package the updater cannot replace). */
  z.object({ state: z.literal('disabled'), reason: Reason }),
  z.object({ state: z.literal('checking'), since: Iso }),
  z.object({ state: z.literal('downloading'), version: Version, percent: z.number().min(0).max(100), since: Iso.optional() }),
  /** Downloaded and verified; installs when the display is off. */
  z.object({ state: z.literal('ready'), version: Version, downloadedAt: Iso.optional() }),
  z.object({ state: z.literal('installing'), version: Version, at: Iso }),
  /** This run is a freshly installed version on probation: it must reach "playing" before `deadline`. */
  z.object({ state: z.literal('verifying'), version: Version, fromVersion: Version, deadline: Iso }),
  z.object({
    state: z.literal('failed'),
    reason: Reason,
    phase: z.enum(['check', 'download', 'install']).optional(),
    version: Version.optional(),
    at: Iso.optional()
  }),
  /** The new version never reached "playing": rolled back to `fromVersion` (`started`), or it could not be (`unavailable`). */
  z.object({
    state: z.literal('update-broken'),
    version: Version,
    fromVersion: Version,
    reason: Reason,
    at: Iso,
    rollback: z.enum(['started', 'unavailable']),
    rollbackNote: Reason
  })
])
export type UpdateReport = z.infer<typeof UpdateReport>

/** What the source system receives every minute or so (and on change). Times are ISO 8601. */
export const Heartbeat = z.object({
  schema: z.literal(1),
  deviceId: Ref,
  deviceName: z.string().max(200),
  sentAt: Iso,
  app: z.object({ version: z.string().max(100) }),
  os: z.object({ platform: z.string().max(50), release: z.string().max(100), arch: z.string().max(50) }),
  bootAt: Iso.nullable(),
  appStartedAt: Iso,
  appUptimeSec: z.number().int().nonnegative(),
  screen: z.object({
    /** What the board is doing as an operator would say it. */
    playState: z.enum(['playing', 'emergency', 'display-off', 'no-content', 'renderer-down']),
    itemId: Ref.nullable(),
    layoutId: Ref.nullable(),
    programVersion: Ref.nullable()
  }),
  emergency: z.object({ id: Ref, since: Iso.nullable() }).nullable(),
  network: z.object({
    push: z.enum(['connecting', 'connected', 'disconnected']),
    /** Network links that are up (with an address), by kind: how the board reaches the province. */
    // Added within v1: optional on the wire (older boards do not send it), so a server keeps accepting them.
    links: z.array(z.object({ name: z.string().max(100), kind: z.enum(['ethernet', 'wifi', 'cellular', 'other']) })).max(32).default([])
  }),
  sync: z.object({
    state: z.enum(['standalone', 'starting', 'syncing', 'up-to-date', 'waiting-for-window', 'retrying']),
    lastSuccessAt: Iso.nullable(),
    activeVersion: Ref.nullable(),
    pendingVersion: Ref.nullable(),
    lastError: z.string().max(2000).nullable()
  }),
  cache: z.object({
    usedBytes: z.number().int().nonnegative(),
    /** Null when unlimited. */
    quotaBytes: z.number().int().nonnegative().nullable(),
    quarantined: z.number().int().nonnegative()
  }),
  display: z.object({ power: z.enum(['on', 'off', 'unknown']) }),
  /** Server clock minus ours, from the last answer; null before any. */
  clock: z.object({ offsetMs: z.number().int().nullable() }),
  reporting: z.object({
    pendingPlays: z.number().int().nonnegative(),
    droppedPlays: z.number().int().nonnegative(),
    droppedHeartbeats: z.number().int().nonnegative(),
    /** Screenshots and log bundles waiting for the server, and those dropped to stay within bounds. */
    pendingUploads: z.number().int().nonnegative().default(0),
    droppedUploads: z.number().int().nonnegative().default(0)
  }),
  update: UpdateReport,
  /**
   * Which content the board takes: `signed` (only the province's signature), `lab` (unsigned content
   * accepted: allowUnsignedContent, never in a province), `no-key` (no key, so nothing is accepted).
   * Added within v1: optional, so a server keeps accepting older boards; absent in standalone mode.
   */
  contentTrust: z
    .object({
      mode: z.enum(['signed', 'lab', 'no-key']),
      keySource: z.enum(['config', 'pairing']).nullable(),
      keys: z.array(z.object({ keyId: Ref, fingerprint: z.string().max(100) })).max(16)
    })
    .optional(),
  /**
   * Whether the screen's browser runs in its sandbox: `off` when the player runs as root (Chromium cannot
   * sandbox itself then), which a province must see: a renderer exploit would own the machine.
   * Added within v1: optional, so a server keeps accepting older boards.
   */
  screenSandbox: z.enum(['on', 'off']).optional()
})
export type Heartbeat = z.infer<typeof Heartbeat>
