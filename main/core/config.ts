// Device configuration: where it comes from (config file, then command-line overrides) and what is valid.
import { readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { z } from 'zod'
import { TimeOfDay } from './protocol/manifest'

export const DEFAULT_TIME_ZONE = 'Asia/Ho_Chi_Minh'
/** The source-system protocols this player speaks (sync/source-protocols.ts has one entry for each). */
export const SOURCE_PROTOCOL_NAMES = ['v1'] as const
export type SourceProtocolName = (typeof SOURCE_PROTOCOL_NAMES)[number]

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone })
    return true
  } catch {
    return false
  }
}

export const PlayerConfig = z.object({
  /** The name shown on the fallback slide; absent: the content's board name, else a generic one. */
  boardName: z.string().trim().min(1).max(200).optional(),
  timeZone: z.string().refine(isTimeZone, 'unknown IANA time zone').default(DEFAULT_TIME_ZONE),
  /** The source system. Absent: standalone mode, playing the bundled (or a local) content folder. */
  serverUrl: z
    .url({ protocol: /^https?$/ })
    .max(2000)
    .optional(),
  /** How the board talks to the source system: the project's open protocol v1 unless a vendor's is named. */
  sourceProtocol: z.enum(SOURCE_PROTOCOL_NAMES).default('v1'),
  /** Plain HTTP to the server is refused unless this is set (a lab or a test bench, never a province). */
  allowInsecureHttp: z.boolean().default(false),
  /** PEM file of an extra CA to trust for the server's TLS certificate (a provincial PKI). */
  caFile: z.string().min(1).optional(),
  deviceId: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,199}$/).optional(),
  /** Provisioned identity; without it a board with a serverUrl pairs on screen (credentials kept in state/). */
  token: z.string().min(8).max(500).optional(),
  /** Groups this board belongs to (a district, a commune): signed documents addressed to one of them are its own too. */
  groups: z.array(z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,199}$/)).max(50).default([]),
  /**
   * The province's Ed25519 public keys. A board with a server takes only content signed by one of them
   * (or by the key pinned when it was paired on screen); without any key it takes nothing.
   */
  trustedKeys: z.array(z.object({ keyId: z.string().min(1).max(200), publicKey: z.string().min(40).max(2000) })).default([]),
  /** Lab mode: unsigned content from the server is accepted too; the status overlay and heartbeat say so. Never in a province. */
  allowUnsignedContent: z.boolean().default(false),
  /** Polling interval when push is down (jittered ±20 %). */
  pollIntervalSec: z.number().int().min(10).max(24 * 3600).default(300),
  maxConcurrentDownloads: z.number().int().min(1).max(8).default(2),
  /**
   * Disk budget of the content cache; to make room, files no manifest references are evicted least
   * recently played first. Absent: the cache grows only while ≥ 10 % of the disk (at least 2 GiB) stays free.
   */
  cacheQuotaBytes: z.number().int().positive().optional(),
  /** Days a file no manifest references any more stays cached (in case it comes back), quota or not. */
  cacheRetiredGraceDays: z.number().int().min(0).max(3650).default(7),
  /** Download bandwidth cap for metered 3G/4G links (emergency assets ignore it). */
  bandwidthBytesPerSec: z.number().int().min(1024).optional(),
  /** Time-of-day windows (board time zone) when non-emergency downloads may run; absent: any time. */
  downloadWindows: z.array(z.object({ from: TimeOfDay, to: TimeOfDay })).min(1).optional(),
  /** The board's display hours, used when the manifest sets none (the province's manifest wins). */
  displayHours: z.object({ on: TimeOfDay, off: TimeOfDay }).optional(),
  /** Shell commands run when the display hours end and begin (e.g. "xset dpms force off"). */
  displayOffCommand: z.string().min(1).max(1000).optional(),
  displayOnCommand: z.string().min(1).max(1000).optional(),
  /** A heartbeat goes to the source system this often, and also whenever the board's state changes. */
  heartbeatIntervalSec: z.number().int().min(10).max(3600).default(60),
  /** A screenshot goes to the source system this often (0: only on command). */
  screenshotIntervalSec: z.union([z.literal(0), z.number().int().min(60).max(7 * 24 * 3600)]).default(1800),
  /** Screenshots are downscaled to this width: enough to read a notice, small on a 3G link. */
  screenshotMaxWidth: z.number().int().min(160).max(3840).default(960),
  /** Screenshots kept for upload while offline; older ones are dropped (and counted). */
  screenshotsKept: z.number().int().min(1).max(500).default(20),
  /** A local content folder holding manifest.json; defaults to the bundled demo content. */
  contentDir: z.string().min(1).optional()
})
  .refine((c) => !c.serverUrl || c.allowInsecureHttp || c.serverUrl.startsWith('https:'), {
    message: 'serverUrl must use https (set allowInsecureHttp only for a lab)',
    path: ['serverUrl']
  })
  .refine((c) => !c.deviceId === !c.token, {
    message: 'deviceId and token come together (or leave both out and pair the board on screen)',
    path: ['token']
  })
export type PlayerConfig = z.infer<typeof PlayerConfig>

export class ConfigError extends Error {
  override name = 'ConfigError'
}

/**
 * Reads `<dataDir>/config.json` (missing is fine: all defaults) and applies overrides on top.
 * A config file that exists but is unreadable or invalid is an error: silently ignoring it would
 * leave an installer wondering why the board ignores what they set.
 */
export async function loadConfig(dataDir: string, overrides: Partial<PlayerConfig> = {}, refused: (message: string) => void = () => undefined): Promise<PlayerConfig> {
  const path = join(dataDir, 'config.json')
  let fromFile: unknown = {}
  try {
    fromFile = JSON.parse(await readFile(path, 'utf8'))
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code !== 'ENOENT') throw new ConfigError(`cannot read ${path}: ${(error as Error).message}`)
  }
  if (typeof fromFile !== 'object' || fromFile === null || Array.isArray(fromFile)) {
    throw new ConfigError(`${path} must hold a JSON object`)
  }
  let fields = fromFile as Record<string, unknown>
  if ('token' in fields && (await readableByOthers(path))) {
    // As ssh does with a private key others can read: the token is not used (the board pairs on screen instead).
    const { token: _token, deviceId: _deviceId, ...rest } = fields
    fields = rest
    refused(tokenFileRefusal(path))
  }
  const defined = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined))
  const result = PlayerConfig.safeParse({ ...fields, ...defined })
  if (!result.success) {
    const why = result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')
    throw new ConfigError(`invalid configuration (${path} and command line): ${why}`)
  }
  return result.data
}

/** Group or world may read the file (POSIX permissions; Windows keeps no such bits, so it is never refused there). */
async function readableByOthers(path: string): Promise<boolean> {
  if (process.platform === 'win32') return false
  return ((await stat(path)).mode & 0o077) !== 0
}

export function tokenFileRefusal(path: string): string {
  return (
    `TỆP CẤU HÌNH KHÔNG ĐƯỢC BẢO VỆ: ${path} chứa mã truy cập (token) mà người dùng khác đọc được; mã này bị bỏ qua. ` +
    `Chạy "chmod 600 ${path}" rồi khởi động lại. / ` +
    `UNPROTECTED CONFIG FILE: ${path} holds a token that other users can read; the token is ignored. Run "chmod 600 ${path}" and restart.`
  )
}
