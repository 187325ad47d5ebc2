// A text notice, auto-fitted so it is never clipped, at any resolution, in its preset colours and size.
import type { CSSProperties } from 'react'
import type { ScreenItem } from '../../../contract/screen'
import { MEDIUM_SCALE, TEXT_SCHEME_COLOURS } from '../text-schemes'
import { FitText } from './FitText'
import type { SlideProps } from './slide-props'
import { useReadyOnMount } from './use-slide-timer'

type TextItem = Extract<ScreenItem, { kind: 'text' }>

export function TextSlide({ item, active, onReady }: SlideProps<TextItem>) {
  useReadyOnMount(onReady)
  const scheme = item.scheme ?? 'thuong'
  const colours = TEXT_SCHEME_COLOURS[scheme]
  // Custom properties the stylesheet's .text-scheme rule reads (background, body and title colours).
  const style = {
    '--scheme-bg': colours.background,
    '--scheme-bg-2': colours.background2,
    '--ink': colours.ink,
    '--accent': colours.title
  } as CSSProperties
  return (
    <div className="text-scheme" data-scheme={scheme} data-size={item.size ?? 'lon'} style={style}>
      <FitText title={item.title} body={item.body} active={active} durationMs={item.durationMs} scale={item.size === 'vua' ? MEDIUM_SCALE : 1} />
    </div>
  )
}
