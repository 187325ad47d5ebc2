// Protocol v1: the manifest — what a board plays, when, where on screen, and which files it needs.
// One schema for bundled, local and synced content; docs/protocol.md is generated from it.
import { z } from 'zod'
import { Weekday } from './weekday'

export const Sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'sha256 must be 64 lowercase hex digits')
export const IsoDateTime = z.iso.datetime({ offset: true })
/** Wall-clock time of day in the board's time zone, 24-hour "HH:MM". */
export const TimeOfDay = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'time of day must be HH:MM (00:00–23:59)')
export const Id = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,199}$/, 'ids are 1–200 of A–Z a–z 0–9 . _ : -')

/** Priority levels from Thông tư 39/2020/TT-BTTTT: normal < priority < emergency. */
export const Priority = z.enum(['normal', 'priority', 'emergency'])
export type Priority = z.infer<typeof Priority>

export const Schedule = z
  .object({
    validFrom: IsoDateTime.optional(),
    validTo: IsoDateTime.optional(),
    weekdays: z.array(Weekday).min(1).max(7).optional(),
    /** Time-of-day windows; one whose `to` is earlier than its `from` crosses midnight. */
    times: z.array(z.object({ from: TimeOfDay, to: TimeOfDay })).min(1).max(24).optional()
  })
  .refine((s) => !s.validFrom || !s.validTo || Date.parse(s.validFrom) < Date.parse(s.validTo), {
    message: 'validFrom must be before validTo'
  })
export type Schedule = z.infer<typeof Schedule>

export const AssetMime = z.enum(['image/jpeg', 'image/png', 'image/webp', 'video/mp4', 'video/webm'])

export const Asset = z.object({
  sha256: Sha256,
  size: z.number().int().positive().max(8 * 1024 ** 3),
  mime: AssetMime,
  /**
   * Where to get the bytes: absolute, or relative to the manifest (a bundled folder or the server).
   * Never used as a file name: the cache stores by sha256 only.
   */
  url: z.string().min(1).max(2000)
})
export type Asset = z.infer<typeof Asset>

const DurationSec = z.number().positive().max(24 * 3600)
const itemCommon = { id: Id, schedule: Schedule.optional() }

/**
 * A text notice's look, chosen from presets (never free colours: every pair is legible from the street).
 * Colour schemes: `thuong` (thường, ordinary: light on dark blue, the default), `canh-bao` (cảnh báo, warning:
 * dark on amber), `trang-trong` (trang trọng, formal: dark red and navy on ivory).
 */
export const TEXT_SCHEMES = ['thuong', 'canh-bao', 'trang-trong'] as const
/** Sizes: `lon` (lớn, large: as large as fits, the default), `vua` (vừa, medium: a calmer page, 70 % of that). */
export const TEXT_SIZES = ['lon', 'vua'] as const
export type TextScheme = (typeof TEXT_SCHEMES)[number]
export type TextSize = (typeof TEXT_SIZES)[number]
/**
 * Optional; a board that predates it drops it (objects strip unknown keys) and shows its usual look. A value
 * this board does not know (a later server's preset) falls back to the default instead of refusing the manifest.
 */
export const TextStyle = z
  .object({
    scheme: z.enum(TEXT_SCHEMES).optional().catch(undefined),
    size: z.enum(TEXT_SIZES).optional().catch(undefined)
  })
  .meta({
    description:
      'Kiểu chữ / the look: scheme thuong (thường, sáng trên nền xanh đậm / light on dark blue, default), canh-bao (cảnh báo, chữ tối trên nền hổ phách / dark on amber), trang-trong (trang trọng, đỏ sẫm và xanh đậm trên nền ngà / dark red and navy on ivory); size lon (lớn, to nhất vừa khung / as large as fits, default), vua (vừa, 70 % cỡ đó / 70 % of that)'
  })
export type TextStyle = z.infer<typeof TextStyle>

export const TextItem = z.object({
  ...itemCommon,
  kind: z.literal('text'),
  title: z.string().max(500).optional(),
  body: z.string().min(1).max(20000),
  style: TextStyle.optional(),
  durationSec: DurationSec
})
export const ImageItem = z.object({
  ...itemCommon,
  kind: z.literal('image'),
  asset: Sha256,
  fit: z.enum(['contain', 'cover']).default('contain'),
  durationSec: DurationSec
})
export const VideoItem = z.object({
  ...itemCommon,
  kind: z.literal('video'),
  asset: Sha256,
  /** Omitted: play the video to its end `loops` times. */
  durationSec: DurationSec.optional(),
  loops: z.number().int().min(1).max(100).default(1),
  muted: z.boolean().default(true),
  volume: z.number().min(0).max(1).default(1)
})
export const StreamItem = z.object({
  ...itemCommon,
  kind: z.literal('stream'),
  /** An HLS live stream (.m3u8); TLS unless the device is configured for a lab. */
  url: z.url({ protocol: /^https?$/ }),
  durationSec: DurationSec
})
export const TickerItem = z.object({
  ...itemCommon,
  kind: z.literal('ticker'),
  text: z.string().min(1).max(5000),
  /** Crawl speed in screen heights of the ticker zone per second (resolution independent). */
  speed: z.number().positive().max(20).default(2),
  durationSec: DurationSec
})
export const ManifestItem = z.discriminatedUnion('kind', [TextItem, ImageItem, VideoItem, StreamItem, TickerItem])
export type ManifestItem = z.infer<typeof ManifestItem>

export type ItemKind = ManifestItem['kind']
/** Items that play a file listed in `assets` (downloaded and verified first; set aside when the screen cannot play it). */
export type AssetItem = Extract<ManifestItem, { asset: string }>

/** One item kind: whether it carries an asset, and what it is, for people (the docs). */
export interface ItemKindSpec<K extends ItemKind> {
  /** Checked against the kind's schema: true exactly when its items have an `asset` field. */
  asset: Extract<ManifestItem, { kind: K }> extends { asset: string } ? true : false
  vi: string
  en: string
}

/**
 * Every item kind, one entry each (the type refuses a missing or extra one). Manifest validation reads it
 * here; the screen view (schedule/screen-view.ts) and the renderer (components/slides.tsx) keep their own
 * tables over the same kinds, checked the same way.
 */
export const ITEM_KINDS = {
  text: {
    asset: false,
    vi: 'bản tin chữ: tiêu đề và nội dung, cỡ chữ tự vừa khung; `style` tùy chọn: màu (`thuong`, `canh-bao`, `trang-trong`) và cỡ (`lon`, `vua`)',
    en: 'a text notice: title and body, sized to fit its zone; optional `style`: colour scheme (`thuong`, `canh-bao`, `trang-trong`) and size (`lon`, `vua`)'
  },
  image: { asset: true, vi: 'ảnh (JPEG, PNG, WebP)', en: 'an image (JPEG, PNG, WebP), contained or cropped to cover' },
  video: { asset: true, vi: 'video (MP4, WebM)', en: 'a video (MP4, WebM), for a duration or a number of plays' },
  stream: { asset: false, vi: 'truyền hình trực tiếp (HLS)', en: 'an HLS live stream, through the board’s own proxy' },
  ticker: { asset: false, vi: 'dòng chữ chạy', en: 'a crawling line of text' }
} as const satisfies { [K in ItemKind]: ItemKindSpec<K> }

export function carriesAsset(item: ManifestItem): item is AssetItem {
  return ITEM_KINDS[item.kind].asset
}

/** Most items one playlist holds; the screen contract takes as many in a zone (contract/screen.ts MAX_PROGRAM_ITEMS). */
export const MAX_PLAYLIST_ITEMS = 10_000

export const Playlist = z.object({
  id: Id,
  name: z.string().max(200),
  /** The layout zone this playlist plays in. */
  zone: Id.default('main'),
  priority: Priority.default('normal'),
  schedule: Schedule.optional(),
  items: z.array(ManifestItem).max(MAX_PLAYLIST_ITEMS)
})
export type Playlist = z.infer<typeof Playlist>

const Fraction = z.number().min(0).max(1)
export const Zone = z.object({
  id: Id,
  role: z.enum(['main', 'ticker', 'header']),
  /** Position and size as fractions of the screen, so one layout fits any resolution. */
  x: Fraction,
  y: Fraction,
  width: Fraction.refine((v) => v > 0, 'width must be > 0'),
  height: Fraction.refine((v) => v > 0, 'height must be > 0')
})
export const Layout = z.object({ id: Id, zones: z.array(Zone).min(1).max(16) })
export type Layout = z.infer<typeof Layout>

export const DEFAULT_LAYOUT: Layout = { id: 'full', zones: [{ id: 'main', role: 'main', x: 0, y: 0, width: 1, height: 1 }] }

/** An emergency notice (bản tin khẩn cấp): pushed, and also listed in manifests for boards whose socket was down. */
export const Emergency = z.object({
  id: Id,
  issuedAt: IsoDateTime,
  expiresAt: IsoDateTime,
  title: z.string().min(1).max(500),
  body: z.string().max(20000).default(''),
  /** An optional image (must be listed in the manifest's assets when sent in a manifest). */
  asset: Sha256.optional()
})
export type Emergency = z.infer<typeof Emergency>

/** Largest manifest body a board reads (the signed envelope included). */
export const MAX_MANIFEST_BYTES = 16 * 1024 * 1024
/** Most emergencies a manifest lists: a server with more active lists the newest. */
export const MAX_MANIFEST_EMERGENCIES = 100

export const Manifest = z
  .object({
    schema: z.literal('bangtin.manifest/v1'),
    version: z.string().min(1).max(200),
    issuedAt: IsoDateTime.optional(),
    /** A signed manifest received after this instant is refused as expired (replay protection). */
    expiresAt: IsoDateTime.optional(),
    board: z.object({ name: z.string().min(1).max(200) }).optional(),
    layout: Layout.default(DEFAULT_LAYOUT),
    playlists: z.array(Playlist).max(1000),
    /** Playlist shown when no scheduled playlist applies; default: the first normal one. */
    defaultPlaylist: Id.optional(),
    /** Display on/off hours; outside them the screen is black and the display-off hook runs. */
    displayHours: z.object({ on: TimeOfDay, off: TimeOfDay }).optional(),
    emergencies: z.array(Emergency).max(MAX_MANIFEST_EMERGENCIES).default([]),
    assets: z.array(Asset).max(20000)
  })
  .superRefine((manifest, ctx) => {
    const assets = new Set(manifest.assets.map((a) => a.sha256))
    const zones = new Set(manifest.layout.zones.map((z) => z.id))
    const playlistIds = new Set<string>()
    const itemIds = new Set<string>()
    manifest.playlists.forEach((playlist, p) => {
      if (playlistIds.has(playlist.id)) ctx.addIssue({ code: 'custom', path: ['playlists', p, 'id'], message: `duplicate playlist id ${playlist.id}` })
      playlistIds.add(playlist.id)
      if (!zones.has(playlist.zone)) ctx.addIssue({ code: 'custom', path: ['playlists', p, 'zone'], message: `no zone ${playlist.zone} in the layout` })
      playlist.items.forEach((item, i) => {
        if (itemIds.has(item.id)) ctx.addIssue({ code: 'custom', path: ['playlists', p, 'items', i, 'id'], message: `duplicate item id ${item.id}` })
        itemIds.add(item.id)
        if (carriesAsset(item) && !assets.has(item.asset)) {
          ctx.addIssue({ code: 'custom', path: ['playlists', p, 'items', i, 'asset'], message: 'asset not listed in assets' })
        }
      })
    })
    if (manifest.defaultPlaylist && !playlistIds.has(manifest.defaultPlaylist)) {
      ctx.addIssue({ code: 'custom', path: ['defaultPlaylist'], message: `no playlist ${manifest.defaultPlaylist}` })
    }
    manifest.emergencies.forEach((emergency, e) => {
      if (emergency.asset && !assets.has(emergency.asset)) {
        ctx.addIssue({ code: 'custom', path: ['emergencies', e, 'asset'], message: 'asset not listed in assets' })
      }
    })
  })
export type Manifest = z.infer<typeof Manifest>

export class ManifestError extends Error {
  override name = 'ManifestError'
}

/** Says what is wrong and where, for the log and the report to the server (first five issues). */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
    .join('; ')
}

/** Parses untrusted manifest JSON; throws a ManifestError whose message says what is wrong and where. */
export function parseManifest(json: unknown): Manifest {
  const result = Manifest.safeParse(json)
  if (!result.success) throw new ManifestError(`invalid manifest: ${describeIssues(result.error)}`)
  return result.data
}

