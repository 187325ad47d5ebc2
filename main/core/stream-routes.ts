// Which live HLS streams the host relays to the screen, and from where (the relaying is the shells': main/browser/
// stream-proxy.ts, main/electron/stream-protocol.ts). Only streams in the active manifest, only under their own folder and origin.
import type { Manifest } from './protocol/manifest'

export const STREAM_PATH = '/stream/'

export class StreamRoutes {
  private readonly upstream = new Map<string, URL>()

  /** Replaces the routes with the manifest's stream items (id → playlist URL). */
  setManifest(manifest: Manifest | null, allowInsecureHttp: boolean): void {
    this.upstream.clear()
    for (const item of manifest?.playlists.flatMap((p) => p.items) ?? []) {
      if (item.kind !== 'stream') continue
      const url = new URL(item.url)
      if (url.protocol === 'https:' || (url.protocol === 'http:' && allowInsecureHttp)) this.upstream.set(item.id, url)
    }
  }

  has(itemId: string): boolean {
    return this.upstream.has(itemId)
  }

  /**
   * The screen-side URL of a stream's playlist: `<base><id>/<file>`. The base is the path on the screen's
   * own origin (browser shell) or an absolute URL of the shell's own scheme (Electron).
   */
  screenPath(itemId: string, base: string = STREAM_PATH): string {
    const playlist = this.upstream.get(itemId)!
    return `${base}${encodeURIComponent(itemId)}/${encodeURIComponent(playlist.pathname.split('/').pop() || 'index.m3u8')}`
  }

  /**
   * The upstream URL for a screen request path after /stream/, or null. Segments and variant playlists
   * are resolved relative to the stream's playlist and must stay on its origin and under its folder.
   */
  resolve(requestPath: string, search: string): URL | null {
    const slash = requestPath.indexOf('/')
    if (slash <= 0) return null
    let itemId: string
    let rest: string
    try {
      itemId = decodeURIComponent(requestPath.slice(0, slash))
      rest = decodeURIComponent(requestPath.slice(slash + 1))
    } catch {
      return null
    }
    const playlist = this.upstream.get(itemId)
    if (!playlist || rest.length === 0 || rest.includes('\\')) return null
    const folder = new URL('.', playlist)
    const target = new URL(rest, folder)
    if (target.origin !== playlist.origin || !target.pathname.startsWith(folder.pathname)) return null
    // The playlist's own query (often an access token) is added by the host, so it never reaches the screen.
    target.search = search || (target.pathname === playlist.pathname ? playlist.search : '')
    return target
  }
}
