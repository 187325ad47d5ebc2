// Which component draws each screen item kind: one entry per kind of the contract (the type refuses a
// missing one). A kind without an entry, or a slide that throws, shows the board's name, never a blank.
import { Component, useEffect, type ComponentType, type ReactNode } from 'react'
import type { ScreenItem } from '../../../contract/screen'
import { useScreenStore } from '../store'
import { ImageSlide } from './ImageSlide'
import type { SlideProps } from './slide-props'
import { StreamSlide } from './StreamSlide'
import { TextSlide } from './TextSlide'
import { TickerSlide } from './TickerSlide'
import { useLatest } from './use-slide-timer'
import { VideoSlide } from './VideoSlide'

export type ScreenItemKind = ScreenItem['kind']
export type SlideTable = { [K in ScreenItemKind]: ComponentType<SlideProps<Extract<ScreenItem, { kind: K }>>> }

export const SLIDES = {
  text: TextSlide,
  image: ImageSlide,
  video: VideoSlide,
  ticker: TickerSlide,
  stream: StreamSlide
} satisfies SlideTable

export function Slide(props: SlideProps<ScreenItem>) {
  // Looked up as a plain record: an item from a newer host may name a kind this screen has no slide for.
  const Drawn = (SLIDES as Partial<Record<string, ComponentType<SlideProps<ScreenItem>>>>)[props.item.kind]
  if (!Drawn) return <UnrenderableSlide kind={props.item.kind} reason={`this screen has no slide for items of kind ${props.item.kind}`} onFailed={props.onFailed} />
  return (
    <SlideBoundary kind={props.item.kind} onFailed={props.onFailed}>
      <Drawn {...props} />
    </SlideBoundary>
  )
}

/**
 * Stands in for an item the screen cannot draw: the board's name on the stage colours (what the audience
 * sees for the frame or two before the rotation moves on), and the failure goes to the rotator, which
 * leaves the item out and reports it to the host.
 */
export function UnrenderableSlide({ kind, reason, onFailed }: { kind: string; reason: string; onFailed: SlideProps['onFailed'] }) {
  const boardName = useScreenStore((s) => s.board.name)
  // Once per mount and reason: the rotator hands a fresh callback on every render.
  const failed = useLatest(onFailed)
  useEffect(() => failed.current(reason, 'broken'), [failed, reason])
  return (
    <div className="slide fallback unrenderable" data-testid="unrenderable-slide" data-kind={kind}>
      <div className="fallback-board">{boardName}</div>
    </div>
  )
}

interface BoundaryProps {
  kind: string
  onFailed: SlideProps['onFailed']
  children: ReactNode
}

/** A slide that throws while drawing takes down only itself (React would otherwise unmount the whole screen). */
class SlideBoundary extends Component<BoundaryProps, { error: Error | null }> {
  override state: { error: Error | null } = { error: null }

  static getDerivedStateFromError(error: unknown): { error: Error } {
    return { error: error instanceof Error ? error : new Error(String(error)) }
  }

  override render() {
    const { error } = this.state
    if (!error) return this.props.children
    return <UnrenderableSlide kind={this.props.kind} reason={`the ${this.props.kind} slide failed to draw: ${error.message}`} onFailed={this.props.onFailed} />
  }
}
