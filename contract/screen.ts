// The host⇄screen contract, with page.ts the only modules the renderer shares with the host (core + shells):
// verb and channel names and zod schemas, so neither side can drift; what the screen played is the protocol's PlayEvent.
import { z } from 'zod'
import { MAX_PLAYLIST_ITEMS, TEXT_SCHEMES, TEXT_SIZES } from '../main/core/protocol/manifest'
import { PlayEvent } from '../main/core/protocol/plays'

/** Text lengths the screen takes (the manifest's own; the screen view cuts text NFC made longer to them). */
export const MAX_TITLE_CHARS = 500
export const MAX_BODY_CHARS = 20_000
export const MAX_TICKER_CHARS = 5000

const itemBase = {
  /** Stable id of the item within its program; proof-of-play is keyed by it. */
  id: z.string().min(1).max(200),
  /** How long the item stays on screen. For video, 0 means "play to its end". */
  durationMs: z.number().int().min(0).max(24 * 3600 * 1000)
}

export const TextItem = z.object({
  ...itemBase,
  kind: z.literal('text'),
  title: z.string().max(MAX_TITLE_CHARS).optional(),
  body: z.string().max(MAX_BODY_CHARS),
  /** The notice's preset look (manifest TextStyle); omitted: today's look, as large as fits. */
  scheme: z.enum(TEXT_SCHEMES).optional(),
  size: z.enum(TEXT_SIZES).optional()
})

export const ImageItem = z.object({
  ...itemBase,
  kind: z.literal('image'),
  /** URL of the verified cached file, as the transport serves it (never a remote URL). */
  src: z.string().min(1),
  fit: z.enum(['contain', 'cover'])
})

export const VideoItem = z.object({
  ...itemBase,
  kind: z.literal('video'),
  src: z.string().min(1),
  mime: z.string().min(1),
  muted: z.boolean(),
  /** 0–1, used when not muted. */
  volume: z.number().min(0).max(1).default(1)
})

export const TickerItem = z.object({
  ...itemBase,
  kind: z.literal('ticker'),
  text: z.string().min(1).max(MAX_TICKER_CHARS),
  /** Crawl speed in zone heights per second, so it looks the same on any resolution. */
  speed: z.number().positive().max(20)
})

export const StreamItem = z.object({
  ...itemBase,
  kind: z.literal('stream'),
  /** The live HLS playlist through the host's stream proxy (/stream/… or bangtin-media://stream/…: the screen never goes out itself). */
  src: z.string().min(1)
})

export const ScreenItem = z.discriminatedUnion('kind', [TextItem, ImageItem, VideoItem, TickerItem, StreamItem])
export type ScreenItem = z.infer<typeof ScreenItem>

/**
 * Most items a zone's program carries: the manifest's own limit for one playlist, so nothing a valid
 * manifest holds is refused here (a zone merging several playlists is cut to this by the screen view, which reports it).
 */
export const MAX_PROGRAM_ITEMS = MAX_PLAYLIST_ITEMS

export const Program = z.object({
  /** Identifies the manifest this program was built from (for proof-of-play and reports). */
  version: z.string().min(1).max(200),
  items: z.array(ScreenItem).max(MAX_PROGRAM_ITEMS)
})
export type Program = z.infer<typeof Program>

export const BoardInfo = z.object({
  name: z.string().min(1).max(200),
  /** IANA time zone the clock and schedules use. */
  timeZone: z.string().min(1).max(100)
})
export type BoardInfo = z.infer<typeof BoardInfo>

const Fraction = z.number().min(0).max(1)

/** A region of the screen, in fractions of its size, so one layout fits 1920×1080, portrait and LED strips. */
export const ScreenZone = z.object({
  id: z.string().min(1).max(200),
  role: z.enum(['main', 'ticker', 'header']),
  x: Fraction,
  y: Fraction,
  width: Fraction,
  height: Fraction
})
export type ScreenZone = z.infer<typeof ScreenZone>

/** An emergency notice: it covers the whole screen, above every zone, until it is cleared or expires. */
export const ScreenEmergency = z.object({
  id: z.string().min(1).max(200),
  title: z.string().min(1).max(MAX_TITLE_CHARS),
  body: z.string().max(MAX_BODY_CHARS),
  imageSrc: z.string().min(1).optional(),
  issuedAt: z.string().max(100)
})
export type ScreenEmergency = z.infer<typeof ScreenEmergency>

export const ShowPayload = z.object({
  board: BoardInfo,
  /** Off outside display hours: the screen goes black (the display-off hook turns the panel off). */
  displayOn: z.boolean(),
  /** Each zone with what it plays; a null program means "nothing playable": the zone shows its fallback. */
  zones: z.array(z.object({ zone: ScreenZone, program: Program.nullable() })).min(1).max(16),
  /**
   * An unpaired board shows its pairing code (and a QR code of the approve link) instead of content;
   * `revoked`: it was paired, and the source system revoked its token (the screen says why it pairs again).
   */
  pairing: z
    .object({
      code: z.string().min(1).max(20),
      approveUrl: z.string().max(2000),
      expiresAt: z.string().max(100),
      revoked: z.boolean().optional(),
      /** The fingerprint of the key the server signs with, for the installer to compare with the province's printed one. */
      keyFingerprint: z.string().max(100).nullable().optional()
    })
    .nullable(),
  /** The board's master volume (0–1, set remotely); a video plays at its own volume times this. */
  volume: z.number().min(0).max(1).default(1)
})
export type ShowPayload = z.infer<typeof ShowPayload>

/** The emergency on screen, or null: its own message, so no programme, however large or wrong, can keep it off the screen. */
export const EmergencyPayload = z.object({ emergency: ScreenEmergency.nullable() })
export type EmergencyPayload = z.infer<typeof EmergencyPayload>

/** What the browser shell inlines into the screen page: the `show` and the `emergency` of that moment. */
export const FirstShowPayload = ShowPayload.extend(EmergencyPayload.shape)
export type FirstShowPayload = z.infer<typeof FirstShowPayload>

const Count = z.number().int().nonnegative()
const Text = z.string().max(2000)

/**
 * How the board is doing, for the technician's overlay and the first-sync progress bar. Sent every
 * few seconds; the screen shows it only when asked (key chord) or while a first download runs.
 */
export const StatusPayload = z.object({
  deviceId: z.string().max(200),
  /** Null in standalone mode (playing a local folder). */
  serverUrl: Text.nullable(),
  network: z.enum(['standalone', 'pairing', 'connecting', 'connected', 'disconnected']),
  sync: z.object({
    state: z.string().max(100),
    lastSuccessAt: z.string().max(100).nullable(),
    activeVersion: z.string().max(200).nullable(),
    lastError: Text.nullable()
  }),
  /** Downloads in progress (bytes and items); null when nothing is downloading. */
  download: z.object({ bytesDone: Count, bytesTotal: Count, itemsDone: Count, itemsTotal: Count }).nullable(),
  cache: z.object({ usedBytes: Count, quotaBytes: Count.nullable(), quarantined: Count }),
  /** Free and total bytes on the disk holding the cache; null when unknown. */
  disk: z.object({ freeBytes: Count, totalBytes: Count }).nullable(),
  versions: z.object({ app: z.string().max(100), os: z.string().max(200), runtime: z.string().max(200) }),
  /** The item the screen last reported as played (the screen itself knows what is on now). */
  lastPlayed: z.object({ itemId: z.string().max(200), programVersion: z.string().max(200) }).nullable(),
  uptime: z.object({ appSec: Count, todayPercent: z.number().min(0).max(100).nullable() }),
  /** Which content the board takes (absent in standalone mode): `lab` accepts unsigned content, `no-key` takes nothing. */
  trust: z
    .object({
      mode: z.enum(['signed', 'lab', 'no-key']),
      keySource: z.enum(['config', 'pairing']).nullable(),
      keys: z.array(z.object({ keyId: z.string().max(200), fingerprint: z.string().max(100) })).max(16)
    })
    .optional(),
  /** Whether the screen's browser is sandboxed (`off`: the player runs as root); absent when the shell does not say. */
  screenSandbox: z.enum(['on', 'off']).optional(),
  sentAt: z.string().max(100)
})
export type StatusPayload = z.infer<typeof StatusPayload>

/** Messages the host sends to the screen, by verb. */
export const hostToScreen = {
  /** What to show now, complete: the screen keeps no other state from the host. */
  show: ShowPayload,
  /** The emergency notice over everything (null: none); sent before every `show`, and on its own. */
  emergency: EmergencyPayload,
  /** Liveness probe: the screen answers with `pong` carrying the same sequence number. */
  ping: z.object({ seq: z.number().int().nonnegative() }),
  /** Board status for the technician's overlay and the first-sync progress bar. */
  status: StatusPayload,
  /** Reload the page (a remote "reload screen" command); the screen says `ready` again when back. */
  reload: z.object({ reason: z.string().max(200) })
} as const

/** Messages the screen sends to the host, by verb. */
export const screenToHost = {
  /** The screen has started and wants the current state. */
  ready: z.object({ userAgent: z.string().max(1000) }),
  /** An item was actually on screen from startedAt to endedAt (epoch ms): the proof-of-play event the board uploads. */
  played: PlayEvent,
  /** An item could not be shown (load or decode error, timeout); the screen has moved on. */
  itemFailed: z.object({
    itemId: z.string().min(1).max(200),
    programVersion: z.string().min(1).max(200),
    reason: z.string().max(2000),
    /** `broken`: the file itself would not load or decode (the host sets it aside); `timeout` and `other` may pass. */
    cause: z.enum(['broken', 'timeout', 'other']).default('other')
  }),
  /** Answers ping; `frames` counts painted frames since the page loaded, so the host can tell a frozen screen. */
  pong: z.object({ seq: z.number().int().nonnegative(), frames: z.number().int().nonnegative().optional() }),
  /** An emergency's first painted frame (epoch ms), for the acknowledgement to the server. */
  emergencyShown: z.object({ id: z.string().min(1).max(200), at: z.number().int().nonnegative() }),
  /**
   * The screen refused something the host sent (a message that fails this contract, an image too large
   * to decode): never silent, the host logs it and reports it to the source system.
   */
  rejected: z.object({ verb: z.string().min(1).max(100), reason: z.string().max(2000) })
} as const

export type HostVerb = keyof typeof hostToScreen
export type ScreenVerb = keyof typeof screenToHost
export type HostPayload<V extends HostVerb> = z.infer<(typeof hostToScreen)[V]>
export type ScreenPayload<V extends ScreenVerb> = z.infer<(typeof screenToHost)[V]>

export const hostVerbs = Object.keys(hostToScreen) as HostVerb[]
export const screenVerbs = Object.keys(screenToHost) as ScreenVerb[]

/** Electron IPC channel names: one per verb and direction, so the preload can expose verbs, not channels. */
export const hostChannel = (verb: HostVerb): string => `bangtin:host:${verb}`
export const screenChannel = (verb: ScreenVerb): string => `bangtin:screen:${verb}`

/** A message on a single-stream transport (the browser shell's WebSocket). */
export type HostMessage = { [V in HostVerb]: { verb: V; payload: HostPayload<V> } }[HostVerb]
export type ScreenMessage = { [V in ScreenVerb]: { verb: V; payload: ScreenPayload<V> } }[ScreenVerb]

/** Validates an incoming message from the screen; returns null (never throws) on anything malformed. */
export function parseScreenMessage(verb: unknown, payload: unknown): ScreenMessage | null {
  if (typeof verb !== 'string' || !Object.hasOwn(screenToHost, verb)) return null
  const parsed = screenToHost[verb as ScreenVerb].safeParse(payload)
  return parsed.success ? ({ verb, payload: parsed.data } as ScreenMessage) : null
}

/** Validates an incoming message from the host; returns null (never throws) on anything malformed. */
export function parseHostMessage(verb: unknown, payload: unknown): HostMessage | null {
  const checked = checkHostMessage(verb, payload)
  return checked.ok ? checked.message : null
}

/** Validates an incoming message from the host, saying what is wrong when it is refused (the screen reports it as `rejected`). */
export function checkHostMessage(verb: unknown, payload: unknown): { ok: true; message: HostMessage } | { ok: false; verb: string; reason: string } {
  const name = typeof verb === 'string' ? verb.slice(0, 100) || '(empty)' : '(none)'
  if (typeof verb !== 'string' || !Object.hasOwn(hostToScreen, verb)) return { ok: false, verb: name, reason: `unknown verb ${name}` }
  const parsed = hostToScreen[verb as HostVerb].safeParse(payload)
  if (parsed.success) return { ok: true, message: { verb, payload: parsed.data } as HostMessage }
  return { ok: false, verb: name, reason: contractIssues(parsed.error) }
}

/** The first few issues of a failed contract check, path and message, bounded for a report. */
export function contractIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
    .join('; ')
    .slice(0, 1000)
}

/** The custom scheme the Electron shell serves cached media on (the browser shell uses /media/ over HTTP). */
export const MEDIA_SCHEME = 'bangtin-media'

export { FIRST_PICTURE_ELEMENT_ID, FIRST_SHOW_ELEMENT_ID, imageSizeAllowed, MAX_IMAGE_PIXELS, MAX_IMAGE_SIDE } from './page'

/** The name under which the Electron preload exposes the screen API on `window`. */
export const PRELOAD_GLOBAL = 'bangtin'

/** The listener method name for a host verb: `show` → `onShow`. */
export const listenerName = <V extends HostVerb>(verb: V): `on${Capitalize<V>}` =>
  `on${verb[0]!.toUpperCase()}${verb.slice(1)}` as `on${Capitalize<V>}`

/**
 * What the Electron preload exposes: one method per screen verb, one `onX` per host verb (returning
 * an unsubscribe function). Verb-named and narrow: never a raw channel or ipcRenderer.
 */
export type PreloadApi = { [V in ScreenVerb]: (payload: ScreenPayload<V>) => void } & {
  [V in HostVerb as `on${Capitalize<V>}`]: (handler: (payload: HostPayload<V>) => void) => () => void
}
