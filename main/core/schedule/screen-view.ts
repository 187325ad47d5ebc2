// Turns the scheduler's plan into what the screen draws: per zone, only items whose files are verified
// in the cache and kinds the screen can draw; the winning emergency over everything.
import type { Program, ScreenEmergency, ScreenItem } from '../../../contract/screen'
import type { ScreenView } from '../player-host'
import { DEFAULT_LAYOUT, type Emergency, type Manifest, type ManifestItem } from '../protocol/manifest'
import type { SchedulePlan } from './scheduler'

export interface MediaSources {
  /** Whether the asset's bytes are verified in the cache. */
  isReady(sha256: string): boolean
  /** Whether the screen failed to play these bytes this way lately (the item is left out for a while). */
  isSetAside?(played: { sha256: string; kind: 'image' | 'video'; mime: string }): boolean
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
    title: emergency.title.normalize('NFC'),
    body: emergency.body.normalize('NFC'),
    imageSrc: emergency.asset && sources.isReady(emergency.asset) ? sources.mediaUrl(emergency.asset) : undefined,
    issuedAt: emergency.issuedAt
  }
}

function toScreenItem(item: ManifestItem, sources: MediaSources, mimeOf: Map<string, string>): ScreenItem | null {
  const durationMs = Math.round((item.durationSec ?? 0) * 1000)
  switch (item.kind) {
    case 'text':
      return { id: item.id, kind: 'text', title: item.title?.normalize('NFC'), body: item.body.normalize('NFC'), durationMs }
    case 'ticker':
      return { id: item.id, kind: 'ticker', text: item.text.normalize('NFC'), speed: item.speed, durationMs }
    case 'image':
      if (!playable(item.asset, 'image', sources, mimeOf)) return null
      return { id: item.id, kind: 'image', src: sources.mediaUrl(item.asset), fit: item.fit, durationMs }
    case 'video':
      if (!playable(item.asset, 'video', sources, mimeOf)) return null
      return {
        id: item.id,
        kind: 'video',
        src: sources.mediaUrl(item.asset),
        mime: mimeOf.get(item.asset) ?? 'video/mp4',
        muted: item.muted,
        volume: item.volume,
        durationMs
      }
    case 'stream': {
      // Through the host's proxy only: the screen never fetches from the network itself.
      const src = sources.streamUrl?.(item.id) ?? null
      return src ? { id: item.id, kind: 'stream', src, durationMs } : null
    }
  }
}

function playable(sha256: string, kind: 'image' | 'video', sources: MediaSources, mimeOf: Map<string, string>): boolean {
  return sources.isReady(sha256) && !sources.isSetAside?.({ sha256, kind, mime: mimeOf.get(sha256) ?? '' })
}
