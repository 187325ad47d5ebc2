// Turns the active manifest into what the screen plays: only items whose files are verified in the cache.
import type { Program, ScreenItem } from '../../../contract/screen'
import type { Manifest } from '../content/manifest'

export interface ProgramSources {
  /** Whether the asset's bytes are verified in the cache. */
  isReady(sha256: string): boolean
  /** The URL the screen loads a verified asset from (custom scheme or loopback HTTP). */
  mediaUrl(sha256: string): string
}

/** Builds the program; returns null when nothing is playable so the screen shows its fallback slide. */
export function buildProgram(manifest: Manifest, sources: ProgramSources): Program | null {
  const mimeOf = new Map(manifest.assets.map((asset) => [asset.sha256, asset.mime]))
  const items: ScreenItem[] = []
  for (const item of manifest.playlist.items) {
    const durationMs = Math.round((item.durationSec ?? 0) * 1000)
    switch (item.kind) {
      case 'text':
        items.push({ id: item.id, kind: 'text', title: item.title, body: item.body.normalize('NFC'), durationMs })
        break
      case 'image':
        if (!sources.isReady(item.asset)) break
        items.push({ id: item.id, kind: 'image', src: sources.mediaUrl(item.asset), fit: item.fit, durationMs })
        break
      case 'video':
        if (!sources.isReady(item.asset)) break
        items.push({
          id: item.id,
          kind: 'video',
          src: sources.mediaUrl(item.asset),
          mime: mimeOf.get(item.asset) ?? 'video/mp4',
          muted: item.muted,
          durationMs
        })
        break
    }
  }
  return items.length > 0 ? { version: manifest.version, items } : null
}
