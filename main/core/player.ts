// What a shell (Electron, the browser shell) may ask of a running core: connect screens, serve their
// media and streams, read the plan and the board's identity, follow liveness, stop. Nothing else of
// the core's parts is reachable from a shell.
import type { FirstShowPayload } from '../../contract/screen'
import type { LivenessView } from './liveness'
import type { ScreenLink } from './screen-link'

export interface Player {
  /** The board's time zone (config), for shell decisions made in local time (nightly restart, updates). */
  readonly timeZone: string
  /**
   * The id the source system knows this board by: provisioned in config, or paired on screen (then it
   * changes from null once an operator approves the code). Null in standalone mode and until paired.
   */
  deviceId(): string | null
  /** Connects a screen: it is shown the plan, and watched by the liveness watchdog. */
  attachScreen(link: ScreenLink): void
  /** What a screen that connects now is shown first (the browser shell inlines it into the page). */
  firstShow(): FirstShowPayload
  /** Verified cache files by hash (null: not in the cache): the only way from a media URL to a file. */
  readonly media: { pathOf(sha256: string): string | null }
  /** Live streams of the active content: the upstream URL for a screen's stream request, or null. */
  readonly streams: { resolve(requestPath: string, search: string): URL | null }
  /** Whether the schedule has the display on now; null before the first plan. */
  displayOn(): boolean | null
  emergencyOnScreen(): boolean
  /** The core's one liveness watchdog: screens coming and going, and how each answers its pings. */
  readonly liveness: LivenessView
  /** A screen shows what it should: an item was played, or it answers while the schedule has it dark. */
  onPlaying(listener: () => void): () => void
  /** Stops everything the core started, newest first, each once. */
  stop(): Promise<void>
}
