// Plays a program's items in turn for their durations; the next item is mounted (loading) underneath
// the current one, so a swap shows a ready picture instead of a black frame.
import { useCallback, useRef, useState } from 'react'
import type { Program, ScreenItem } from '../../../contract/screen'
import type { Bridge } from '../bridge/bridge'
import { ImageSlide } from './ImageSlide'
import type { SlideProps } from './slide-props'
import { TextSlide } from './TextSlide'
import { TickerSlide } from './TickerSlide'
import { VideoSlide } from './VideoSlide'

interface RotatorProps {
  program: Program
  bridge: Bridge | null
  /** Rendered when every item has failed: still never a black screen. */
  fallback: React.ReactNode
}

export function Rotator({ program, bridge, fallback }: RotatorProps) {
  // `slot` counts turns; slot n shows playable[n % length]. Keys are slots, so the preloaded next
  // slide keeps its element (and loaded media) when it becomes the current one.
  const [slot, setSlot] = useState(0)
  const [failed, setFailed] = useState<ReadonlySet<string>>(new Set())
  const startedAt = useRef<{ slot: number; at: number }>({ slot: -1, at: 0 })
  const slotRef = useRef(slot)
  slotRef.current = slot

  const playable = program.items.filter((item) => !failed.has(item.id))
  const current = playable.length > 0 ? playable[slot % playable.length] : undefined
  if (current && startedAt.current.slot !== slot) startedAt.current = { slot, at: Date.now() }

  const advance = useCallback(
    (endedSlot: number, item: ScreenItem) => {
      // Timers and media events can both fire; only the first end of a turn counts.
      setSlot((now) => {
        if (now !== endedSlot) return now
        bridge?.send('played', {
          itemId: item.id,
          programVersion: program.version,
          startedAt: startedAt.current.at,
          endedAt: Date.now()
        })
        return now + 1
      })
    },
    [bridge, program.version]
  )

  const fail = useCallback(
    (failedSlot: number, item: ScreenItem, reason: string) => {
      bridge?.send('itemFailed', { itemId: item.id, programVersion: program.version, reason })
      // Dropping the item from the rotation makes the same slot number show the next item at once.
      if (failedSlot === slotRef.current) setFailed((set) => new Set(set).add(item.id))
    },
    [bridge, program.version]
  )

  if (!current) return <>{fallback}</>
  const next = playable[(slot + 1) % playable.length]!
  const turns: [number, ScreenItem][] = [[slot, current]]
  if (playable.length > 1 || current.kind !== 'video') turns.push([slot + 1, next])

  return (
    <>
      {turns.map(([turn, item]) => (
        <div
          key={`${turn}:${item.id}`}
          className="slide"
          data-item-id={item.id}
          data-item-kind={item.kind}
          data-active={turn === slot ? 'true' : 'false'}
        >
          <Slide
            item={item}
            active={turn === slot}
            onEnded={() => advance(turn, item)}
            onFailed={(reason) => fail(turn, item, reason)}
          />
        </div>
      ))}
    </>
  )
}

function Slide(props: SlideProps) {
  const { item } = props
  switch (item.kind) {
    case 'text':
      return <TextSlide {...props} item={item} />
    case 'image':
      return <ImageSlide {...props} item={item} />
    case 'video':
      return <VideoSlide {...props} item={item} />
    case 'ticker':
      return <TickerSlide {...props} item={item} />
  }
}
