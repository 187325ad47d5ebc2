// What every item slide receives from the rotator. The rotator keeps each turn's time (from its first
// painted frame); a slide says when it can show a picture, when it is done early, or that it failed.
import type { ScreenItem } from '../../../contract/screen'
import type { FailureCause } from './rotation'

export type { FailureCause }

export interface SlideProps<I extends ScreenItem = ScreenItem> {
  item: I
  /** On screen now; the next slide is mounted underneath, hidden, so it is loaded and decoded before its turn. */
  active: boolean
  /** Not on screen yet, but its turn comes within a few frames: a video starts playing (muted, hidden) now. */
  primed: boolean
  /** The slide can show a whole picture now (decoded image, a video frame, laid-out text). */
  onReady(): void
  /** A video played to its end is a few frames from its end (the next item is started). */
  onEnding(): void
  /** A video played to its end has shown its last frame (items with a duration are ended by the rotator). */
  onEnded(): void
  /** The item cannot be shown (active or not): the rotator drops it and reports why. */
  onFailed(reason: string, cause?: FailureCause): void
}
