// Turns the scheduler's plan into what the screen draws: per zone, only items whose files are verified
// in the cache and kinds the screen can draw; the winning emergency over everything.
import type { Program, ScreenEmergency, ScreenItem } from '../../../contract/screen'
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

export function buildScreenView(plan: SchedulePlan, manifest: Manifest | null, sources: MediaSources): ScreenView {
  const mimeOf = new Map((manifest?.assets ?? []).map((asset) => [asset.sha256, asset.mime]))
  const layout = manifest?.layout ?? DEFAULT_LAYOUT
  const zones = layout.zones.map((zone) => {
    const zonePlan = plan.zones.find((z) => z.zoneId === zone.id)
    const items = (zonePlan?.items ?? []).flatMap((item) => {
      const screenItem = toScreenItem(item, sources, mimeOf)
      return screenItem ? [screenItem] : []
    })
    // The version names the playlists in play: a schedule change starts a fresh rotation.
    const program: Program | null =
      manifest && items.length > 0 ? { version: `${manifest.version}/${zone.id}/${zonePlan?.playlistIds.join('+') ?? ''}`, items } : null
    return { zone: { id: zone.id, role: zone.role, x: zone.x, y: zone.y, width: zone.width, height: zone.height }, program }
  })
  return { displayOn: plan.displayOn, zones, emergency: plan.emergency ? toScreenEmergency(plan.emergency, sources) : null }
}

function toScreenEmergency(emergency: Emergency, sources: MediaSources): ScreenEmergency {
  return {
    id: emergency.id,
    title: screenText(emergency.title),
    body: screenText(emergency.body),
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
  text: (item, { durationMs }) => ({ id: item.id, kind: 'text', title: item.title === undefined ? undefined : screenText(item.title), body: screenText(item.body), durationMs }),
  ticker: (item, { durationMs }) => ({ id: item.id, kind: 'ticker', text: screenText(item.text), speed: item.speed, durationMs }),
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
