// What every item slide receives from the rotator.
import type { ScreenItem } from '../../../contract/screen'

export interface SlideProps<I extends ScreenItem = ScreenItem> {
  item: I
  /** On screen now; inactive slides are mounted underneath so they are loaded before their turn. */
  active: boolean
  onEnded(): void
  onFailed(reason: string): void
}

/** How long an item may take to become ready once its turn has come before it is skipped. */
export const LOAD_TIMEOUT_MS = 10_000
