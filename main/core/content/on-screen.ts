// The content the board puts on screen: a manifest as it is played (an installer's display hours where
// the province sets none, the board's name where config sets none, the streams it allows), and the
// items the screen could not play, set aside for a while and reported.
import type { Logger } from '../log'
import type { ItemFailure, PlayerHost } from '../player-host'
import type { Problem } from '../protocol/api'
import { carriesAsset, type Manifest } from '../protocol/manifest'
import type { Director } from '../schedule/director'
import type { StreamRoutes } from '../stream-routes'
import type { UnplayableFiles } from './unplayable'

export interface OnScreenOptions {
  host: Pick<PlayerHost, 'setBoard'>
  director: Pick<Director, 'setManifest' | 'replan'>
  streams: Pick<StreamRoutes, 'setManifest'>
  unplayable: Pick<UnplayableFiles, 'add'>
  /** What the installer set in config.json, which content may not override (name) or which fills a gap (hours). */
  installer: { boardName?: string; displayHours?: Manifest['displayHours']; timeZone: string; allowInsecureHttp: boolean }
  /** Reports to the server (none in standalone mode). */
  problem?(kind: Problem['kind'], detail: string, ref?: string): void
  log: Logger
}

/** A live stream that keeps failing is reported at most this often (the screen tries it at each of its turns). */
export const STREAM_FAILURE_REPORT_EVERY_MS = 30 * 60_000

export class OnScreenContent {
  private current: Manifest | null = null
  /** When each failing stream item was last reported (board-monotonic enough: only spacing matters). */
  private readonly streamReported = new Map<string, number>()

  constructor(private readonly options: OnScreenOptions) {}

  get manifest(): Manifest | null {
    return this.current
  }

  show(received: Manifest): void {
    const { installer } = this.options
    // An installer's display hours apply until the province's manifest sets its own.
    const manifest = received.displayHours || !installer.displayHours ? received : { ...received, displayHours: installer.displayHours }
    this.current = manifest
    this.nameFromSource(manifest.board?.name)
    this.options.streams.setManifest(manifest, installer.allowInsecureHttp)
    this.options.director.setManifest(manifest)
  }

  /** A name the source system gives the board (its content, its pairing) is shown unless config names it. */
  nameFromSource(name: string | undefined): void {
    const { installer } = this.options
    if (!installer.boardName && name) this.options.host.setBoard({ name, timeZone: installer.timeZone })
  }

  /**
   * An item the screen cannot decode is left out for a while (and reported); the manifest, the file and
   * other items playing the same bytes another way are untouched. A timeout is not the file's fault (a
   * busy box, a slow disk): it only skips a turn.
   */
  itemFailed(failure: ItemFailure, nowMs = performance.now()): void {
    const current = this.current
    if (!current) return
    const item = current.playlists.flatMap((p) => p.items).find((i) => i.id === failure.itemId)
    // A live stream has no file to set aside, but an officer must learn that it does not play (a dead address,
    // an expired link): reported, at most once in a while per item; the screen moves on by itself.
    if (item?.kind === 'stream' && failure.cause !== 'timeout') return this.streamFailed(item.id, streamPlace(item.url), failure.reason, nowMs)
    if (failure.cause !== 'broken') return
    if (!item || !carriesAsset(item)) return
    const mime = current.assets.find((a) => a.sha256 === item.asset)?.mime ?? ''
    const forMs = this.options.unplayable.add({ sha256: item.asset, kind: item.kind, mime })
    const detail = `item ${item.id} (${item.kind}, ${mime}) left out for ${Math.round(forMs / 60_000)} min, the screen could not play it: ${failure.reason}`
    this.options.log.warn('item set aside', { itemId: item.id, sha256: item.asset, forMs })
    this.options.problem?.('asset-quarantined', detail, item.asset)
    this.options.director.replan('item failed')
  }

  private streamFailed(itemId: string, place: string, reason: string, nowMs: number): void {
    const last = this.streamReported.get(itemId)
    if (last !== undefined && nowMs - last < STREAM_FAILURE_REPORT_EVERY_MS) return
    this.streamReported.set(itemId, nowMs)
    const detail = `luồng trực tiếp ${place} không phát được / the live stream ${place} (item ${itemId}) does not play: ${reason}`
    this.options.log.warn('stream failed', { itemId, reason })
    this.options.problem?.('download-failed', detail.slice(0, 2000), itemId)
  }
}

/** Where a stream is, as an officer recognises it: host and path, never its query (a link may carry a key). */
function streamPlace(url: string): string {
  try {
    const at = new URL(url)
    return `${at.host}${at.pathname}`
  } catch {
    return '(?)'
  }
}
