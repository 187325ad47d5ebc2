// What every item slide receives from the rotator.
import type { ScreenItem, ScreenPayload } from '../../../contract/screen'

export type FailureCause = ScreenPayload<'itemFailed'>['cause']

export interface SlideProps<I extends ScreenItem = ScreenItem> {
  item: I
  /** On screen now; the next slide is mounted underneath so it is loaded and decoded before its turn. */
  active: boolean
  /** The slide can show a whole picture now (decoded image, a video frame, laid-out text). */
  onReady(): void
  onEnded(): void
  /** The item cannot be shown (active or not): the rotator drops it and reports why. */
  onFailed(reason: string, cause?: FailureCause): void
}

/** How long the next item may take to become ready once its turn has come before it is skipped. */
export const LOAD_TIMEOUT_MS = 10_000
