// Plays a program's items in turn for their durations, without gaps: the next item is mounted
// underneath and decoded while the current one plays, and the swap waits until it can show a picture.
// An item that fails or is not ready in time is dropped (and reported); the screen never goes black.
import { useCallback, useEffect, useRef, useState } from 'react'
import type { Program, ScreenItem } from '../../../contract/screen'
import type { Bridge } from '../bridge/bridge'
import { useScreenStore } from '../store'
import { ImageSlide } from './ImageSlide'
import { LOAD_TIMEOUT_MS, type FailureCause, type SlideProps } from './slide-props'
import { TextSlide } from './TextSlide'
import { StreamSlide } from './StreamSlide'
import { TickerSlide } from './TickerSlide'
import { VideoSlide } from './VideoSlide'

interface RotatorProps {
  /** The zone it plays in: the technician's overlay shows what is on screen now, zone by zone. */
  zoneId: string
  program: Program
  bridge: Bridge | null
  /** Rendered when every item has failed: still never a black screen. */
  fallback: React.ReactNode
}

interface Turn {
  /** Counts turns; the key of a slide, so the preloaded next one keeps its element when it comes on. */
  n: number
  /** Position in program.items. */
  index: number
}

/** The next playable position after `from` (wrapping), or -1 when nothing is playable. */
export function nextIndex(items: readonly ScreenItem[], failed: ReadonlySet<string>, from: number): number {
  for (let step = 1; step <= items.length; step++) {
    const index = (from + step) % items.length
    if (!failed.has(items[index]!.id)) return index
  }
  return -1
}

export function Rotator({ zoneId, program, bridge, fallback }: RotatorProps) {
  const items = program.items
  const [failed, setFailed] = useState<ReadonlySet<string>>(new Set())
  const [turn, setTurn] = useState<Turn>(() => ({ n: 0, index: nextIndex(items, new Set(), items.length - 1) }))
  const ready = useRef(new Set<number>())
  const waiting = useRef(false)
  const startedAt = useRef(0)
  const state = useRef({ turn, failed })
  state.current = { turn, failed }

  const current = turn.index >= 0 ? items[turn.index] : undefined
  const next = turn.index >= 0 ? nextIndex(items, failed, turn.index) : -1

  useNowPlaying(zoneId, current && next >= 0 ? current.id : null)

  // Frame-accurate start: the first animation frame after the slide came on.
  useEffect(() => {
    if (!current) return
    const frame = requestAnimationFrame((t) => (startedAt.current = Math.round(performance.timeOrigin + t)))
    return () => cancelAnimationFrame(frame)
  }, [turn.n, current])

  const swap = useCallback(() => {
    const { turn: now, failed: dropped } = state.current
    const item = items[now.index]
    const to = nextIndex(items, dropped, now.index)
    waiting.current = false
    ready.current = new Set([...ready.current].filter((k) => k > now.n))
    if (item && !dropped.has(item.id)) {
      bridge?.send('played', { itemId: item.id, programVersion: program.version, startedAt: startedAt.current, endedAt: Date.now() })
    }
    // Updated here, not only on the next render: a second end source (the 'ended' event after the
    // frame-timed end) arriving before React re-renders must see the turn as over.
    const next = { n: now.n + 1, index: to }
    state.current = { ...state.current, turn: next }
    setTurn(next)
  }, [bridge, items, program.version])

  const end = useCallback(
    (n: number) => {
      // Timers and media events can both fire; only the first end of the current turn counts.
      if (n !== state.current.turn.n || waiting.current) return
      if (ready.current.has(n + 1)) swap()
      else waiting.current = true
    },
    [swap]
  )

  const markReady = useCallback(
    (n: number) => {
      ready.current.add(n)
      if (waiting.current && n === state.current.turn.n + 1) swap()
    },
    [swap]
  )

  const fail = useCallback(
    (n: number, item: ScreenItem, reason: string, cause: FailureCause = 'other') => {
      if (state.current.failed.has(item.id)) return
      bridge?.send('itemFailed', { itemId: item.id, programVersion: program.version, reason, cause })
      const dropped = new Set(state.current.failed).add(item.id)
      setFailed(dropped)
      state.current = { ...state.current, failed: dropped }
      // The current item failing ends its turn at once; the next one failing just changes what is next.
      if (n === state.current.turn.n) {
        waiting.current = false
        const now = state.current.turn
        const next = { n: now.n + 1, index: nextIndex(items, dropped, now.index) }
        state.current = { ...state.current, turn: next }
        setTurn(next)
      }
    },
    [bridge, items, program.version]
  )

  // An item that came on without being ready (the first one, or after a failure) gets the same bound.
  useEffect(() => {
    if (!current) return
    const n = turn.n
    const timer = setTimeout(() => {
      if (!ready.current.has(n)) fail(n, current, `not ready within ${LOAD_TIMEOUT_MS} ms`, 'timeout')
    }, LOAD_TIMEOUT_MS)
    return () => clearTimeout(timer)
  }, [turn.n, current, fail])

  // The next item has a bound on how long the current one may wait for it.
  useEffect(() => {
    if (next < 0) return
    const nextItem = items[next]!
    const n = turn.n + 1
    const timer = setTimeout(() => {
      if (!ready.current.has(n) && waiting.current) fail(n, nextItem, `not ready within ${LOAD_TIMEOUT_MS} ms of its turn`, 'timeout')
    }, LOAD_TIMEOUT_MS + (items[turn.index]?.durationMs ?? 0))
    return () => clearTimeout(timer)
  }, [next, turn.n, turn.index, items, fail])

  if (!current || next < 0) return <>{fallback}</>
  // The next turn is mounted even when it is the same item (a lone video): a second element decodes
  // it ahead, so even a one-item loop swaps to a ready frame.
  const turns: [number, number][] = [
    [turn.n, turn.index],
    [turn.n + 1, next]
  ]

  return (
    <>
      {turns.map(([n, index]) => {
        const item = items[index]!
        return (
          <div key={n} className="slide" data-item-id={item.id} data-item-kind={item.kind} data-active={n === turn.n ? 'true' : 'false'}>
            <Slide
              item={item}
              active={n === turn.n}
              onReady={() => markReady(n)}
              onEnded={() => end(n)}
              onFailed={(reason, cause) => fail(n, item, reason, cause)}
            />
          </div>
        )
      })}
    </>
  )
}

/** Tells the store which item is on screen in this zone: one store write per turn, none when it repeats. */
function useNowPlaying(zoneId: string, itemId: string | null): void {
  useEffect(() => {
    useScreenStore.getState().setNowPlaying(zoneId, itemId)
  }, [zoneId, itemId])
  useEffect(() => () => useScreenStore.getState().setNowPlaying(zoneId, null), [zoneId])
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
    case 'stream':
      return <StreamSlide {...props} item={item} />
  }
}
