// Turns the scheduler's plan into what the screen draws: per zone, only items whose files are verified
// in the cache and kinds the screen can draw; the winning emergency over everything. Never more than the
// screen contract takes: a zone is cut to MAX_PROGRAM_ITEMS and text to its contract length (reported).
import { createHash } from 'node:crypto'
import { MAX_BODY_CHARS, MAX_PROGRAM_ITEMS, MAX_TICKER_CHARS, MAX_TITLE_CHARS, type Program, type ScreenEmergency, type ScreenItem } from '../../../contract/screen'
import type { ScreenView } from '../player-host'
import { DEFAULT_LAYOUT, type AssetItem, type Emergency, type ItemKind, type Manifest, type ManifestItem } from '../protocol/manifest'
import type { SchedulePlan } from './scheduler'
import { screenText } from './screen-text'

export interface MediaSources {
  /** Whether the asset's bytes are verified in the cache. */
  isReady(sha256: string): boolean
  /** Whether the screen failed to play these bytes this way lately (the item is left out for a while). */
  isSetAside?(played: { sha256: string; kind: AssetItem['kind']; mime: string }): boolean
  /** The URL the screen loads a verified asset from (custom scheme or loopback HTTP). */
  mediaUrl(sha256: string): string
  /** The screen-side URL of a live stream item, or null where the shell cannot proxy streams. */
  streamUrl?(itemId: string): string | null
}

/**
 * The screen view of `plan`. `cut` hears what did not fit the screen contract (a zone merging more than
 * MAX_PROGRAM_ITEMS items): the rest still plays, and the caller reports it.
 */
export function buildScreenView(plan: SchedulePlan, manifest: Manifest | null, sources: MediaSources, cut?: (detail: string) => void): ScreenView {
  const mimeOf = new Map((manifest?.assets ?? []).map((asset) => [asset.sha256, asset.mime]))
  const layout = manifest?.layout ?? DEFAULT_LAYOUT
  const zones = layout.zones.map((zone) => {
    const zonePlan = plan.zones.find((z) => z.zoneId === zone.id)
    let items = (zonePlan?.items ?? []).flatMap((item) => {
      const screenItem = toScreenItem(item, sources, mimeOf)
      return screenItem ? [screenItem] : []
    })
    if (items.length > MAX_PROGRAM_ITEMS) {
      cut?.(`zone ${zone.id} has ${items.length} items to play; the screen takes ${MAX_PROGRAM_ITEMS}: the first ${MAX_PROGRAM_ITEMS} play`)
      items = items.slice(0, MAX_PROGRAM_ITEMS)
    }
    // The version names the playlists in play: a schedule change starts a fresh rotation.
    const program: Program | null =
      manifest && items.length > 0 ? { version: programVersion(`${manifest.version}/${zone.id}/${zonePlan?.playlistIds.join('+') ?? ''}`), items } : null
    return { zone: { id: zone.id, role: zone.role, x: zone.x, y: zone.y, width: zone.width, height: zone.height }, program }
  })
  return { displayOn: plan.displayOn, zones, emergency: plan.emergency ? toScreenEmergency(plan.emergency, sources) : null }
}

/** The contract's (and proof-of-play's) longest program version. */
const MAX_VERSION = 200

/** A program version within the contract: a long one (many playlists merged) keeps its start and a hash of the whole. */
function programVersion(full: string): string {
  if (full.length <= MAX_VERSION) return full
  return `${full.slice(0, MAX_VERSION - 34)}#${createHash('sha256').update(full).digest('hex').slice(0, 32)}`
}

function toScreenEmergency(emergency: Emergency, sources: MediaSources): ScreenEmergency {
  return {
    id: emergency.id,
    title: screenText(emergency.title, MAX_TITLE_CHARS),
    body: screenText(emergency.body, MAX_BODY_CHARS),
    imageSrc: emergency.asset && sources.isReady(emergency.asset) ? sources.mediaUrl(emergency.asset) : undefined,
    issuedAt: emergency.issuedAt
  }
}

type ItemOf<K extends ItemKind> = Extract<ManifestItem, { kind: K }>
type ScreenItemOf<K extends ScreenItem['kind']> = Extract<ScreenItem, { kind: K }>
interface BuildContext {
  sources: MediaSources
  mimeOf: Map<string, string>
  durationMs: number
}
/** How each manifest kind becomes the screen item of the same kind, or null while it cannot play (file not verified, set aside, no proxy). */
export type ScreenItemBuilders = { [K in ItemKind]: (item: ItemOf<K>, context: BuildContext) => ScreenItemOf<K> | null }

export const SCREEN_ITEM_BUILDERS = {
  text: (item, { durationMs }) => ({
    id: item.id,
    kind: 'text',
    title: item.title === undefined ? undefined : screenText(item.title, MAX_TITLE_CHARS),
    body: screenText(item.body, MAX_BODY_CHARS),
    ...(item.style?.scheme ? { scheme: item.style.scheme } : {}),
    ...(item.style?.size ? { size: item.style.size } : {}),
    durationMs
  }),
  ticker: (item, { durationMs }) => ({ id: item.id, kind: 'ticker', text: screenText(item.text, MAX_TICKER_CHARS), speed: item.speed, durationMs }),
  image: (item, { sources, mimeOf, durationMs }) =>
    playable(item, sources, mimeOf) ? { id: item.id, kind: 'image', src: sources.mediaUrl(item.asset), fit: item.fit, durationMs } : null,
  video: (item, { sources, mimeOf, durationMs }) =>
    playable(item, sources, mimeOf)
      ? {
          id: item.id,
          kind: 'video',
          src: sources.mediaUrl(item.asset),
          mime: mimeOf.get(item.asset) ?? 'video/mp4',
          muted: item.muted,
          volume: item.volume,
          durationMs
        }
      : null,
  stream: (item, { sources, durationMs }) => {
    // Through the host's proxy only: the screen never fetches from the network itself.
    const src = sources.streamUrl?.(item.id) ?? null
    return src ? { id: item.id, kind: 'stream', src, durationMs } : null
  }
} satisfies ScreenItemBuilders

function toScreenItem<K extends ItemKind>(item: ItemOf<K>, sources: MediaSources, mimeOf: Map<string, string>): ScreenItem | null {
  const build = (SCREEN_ITEM_BUILDERS as ScreenItemBuilders)[item.kind as K]
  return build(item, { sources, mimeOf, durationMs: Math.round((item.durationSec ?? 0) * 1000) })
}

function playable(item: AssetItem, sources: MediaSources, mimeOf: Map<string, string>): boolean {
  return sources.isReady(item.asset) && !sources.isSetAside?.({ sha256: item.asset, kind: item.kind, mime: mimeOf.get(item.asset) ?? '' })
}
