// A text notice, auto-fitted so it is never clipped, at any resolution.
import type { ScreenItem } from '../../../contract/screen'
import { FitText } from './FitText'
import type { SlideProps } from './slide-props'
import { useReadyOnMount } from './use-slide-timer'

type TextItem = Extract<ScreenItem, { kind: 'text' }>

export function TextSlide({ item, active, onReady }: SlideProps<TextItem>) {
  useReadyOnMount(onReady)
  return <FitText title={item.title} body={item.body} active={active} durationMs={item.durationMs} />
}
