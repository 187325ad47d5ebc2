// Turns the active manifest into what the screen plays: only items whose files are verified in the
// cache, and only kinds the screen can draw.
import type { Program, ScreenItem } from '../../../contract/screen'
import type { Manifest, ManifestItem, Priority } from '../protocol/manifest'

export interface ProgramSources {
  /** Whether the asset's bytes are verified in the cache. */
  isReady(sha256: string): boolean
  /** The URL the screen loads a verified asset from (custom scheme or loopback HTTP). */
  mediaUrl(sha256: string): string
}

const PRIORITY_ORDER: Record<Priority, number> = { emergency: 0, priority: 1, normal: 2 }

/**
 * Builds the main zone's program: its playlists in priority order (emergency, priority, normal).
 * Schedules and the other zones are the scheduler's work; until it lands every playlist plays.
 * Returns null when nothing is playable so the screen shows its fallback slide.
 */
export function buildProgram(manifest: Manifest, sources: ProgramSources): Program | null {
  const mimeOf = new Map(manifest.assets.map((asset) => [asset.sha256, asset.mime]))
  const mainZone = manifest.layout.zones.find((zone) => zone.role === 'main')?.id ?? 'main'
  const playlists = manifest.playlists
    .filter((playlist) => playlist.zone === mainZone)
    .sort((a, b) => PRIORITY_ORDER[a.priority] - PRIORITY_ORDER[b.priority])
  const items = playlists.flatMap((playlist) =>
    playlist.items.flatMap((item) => {
      const screenItem = toScreenItem(item, sources, mimeOf)
      return screenItem ? [screenItem] : []
    })
  )
  return items.length > 0 ? { version: manifest.version, items } : null
}

function toScreenItem(item: ManifestItem, sources: ProgramSources, mimeOf: Map<string, string>): ScreenItem | null {
  const durationMs = Math.round((item.durationSec ?? 0) * 1000)
  switch (item.kind) {
    case 'text':
      return { id: item.id, kind: 'text', title: item.title?.normalize('NFC'), body: item.body.normalize('NFC'), durationMs }
    case 'image':
      if (!sources.isReady(item.asset)) return null
      return { id: item.id, kind: 'image', src: sources.mediaUrl(item.asset), fit: item.fit, durationMs }
    case 'video':
      if (!sources.isReady(item.asset)) return null
      return {
        id: item.id,
        kind: 'video',
        src: sources.mediaUrl(item.asset),
        mime: mimeOf.get(item.asset) ?? 'video/mp4',
        muted: item.muted,
        durationMs
      }
    case 'stream':
    case 'ticker':
      // Drawn once the playback work adds them; skipping keeps the rest of the playlist playing.
      return null
  }
}
