// Plays a program's items in turn for their durations, without gaps: the next item is mounted hidden
// a little after the current one comes on, decoded while it plays, started just ahead of its turn (a
// video is already moving when it shows) and swapped in on the frame it can show a picture. The rules
// (order, failures, new programs, proof of play) live in rotation.ts; this draws them.
import { useEffect, useLayoutEffect, useReducer, useRef, useState } from 'react'
import type { Program } from '../../../contract/screen'
import type { Bridge } from '../bridge/bridge'
import { adoptFirstPicture, type FirstPicture } from '../first-picture'
import { useScreenStore } from '../store'
import { frameClock, Rotation } from './rotation'
import { Slide } from './slides'
import { useLatest } from './use-slide-timer'

/**
 * How long after the current item's first painted frame the next one is mounted. Not in the swap's own
 * task: creating a media element costs the main thread tens of milliseconds (more on a loaded box),
 * which would hold up the swap frame and the incoming item's first frames.
 */
const MOUNT_NEXT_AFTER_MS = 150
/** How long a commit waits for an animation frame before the turn goes on without one. */
const NO_FRAME_MS = 500

interface RotatorProps {
  /** The zone it plays in: the technician's overlay shows what is on screen now, zone by zone. */
  zoneId: string
  program: Program
  bridge: Bridge | null
  /** Rendered when every item has failed: still never a black screen. */
  fallback: React.ReactNode
}

export function Rotator({ zoneId, program, bridge, fallback }: RotatorProps) {
  const [, rerender] = useReducer((x: number) => x + 1, 0)
  const link = useLatest(bridge)
  const model = useRef<Rotation | null>(null)
  model.current ??= new Rotation(program, {
    played: (record) => link.current?.send('played', record),
    itemFailed: (report) => link.current?.send('itemFailed', report),
    changed: rerender
  })
  const rotation = model.current
  // A new program object does not restart the rotation: the model goes on from the item on screen.
  useLayoutEffect(() => rotation.setProgram(program), [rotation, program])
  useEffect(() => {
    rotation.start()
    return () => rotation.dispose()
  }, [rotation])

  const current = rotation.currentSlot
  const next = rotation.nextSlot
  const shown = current !== null && rotation.isReady(current.key)
  const turn = current?.n ?? -1
  useNowPlaying(zoneId, current?.item.id ?? null)

  // The first item's picture may already be on screen, drawn by the page itself (the browser shell's
  // first show): its turn starts from that paint, and the page's copy goes once this one is painted.
  const firstPicture = useRef<{ turn: number; picture: FirstPicture } | null | undefined>(undefined)
  if (firstPicture.current === undefined) {
    const picture = current?.item.kind === 'image' ? adoptFirstPicture(current.item.id, current.item.src) : null
    firstPicture.current = picture && current ? { turn: current.n, picture } : null
  }
  useEffect(() => {
    const adopted = firstPicture.current
    if (!adopted) return
    if (adopted.turn !== turn) {
      adopted.picture.remove()
      firstPicture.current = null
      return
    }
    let live = true
    void adopted.picture.paintedAt.then((at) => live && at !== null && rotation.frame(turn, at, true))
    return () => {
      live = false
    }
  }, [rotation, turn])
  useEffect(() => () => firstPicture.current?.picture.remove(), [])

  // The turn's proof of play and its clock start from the frame that paints its picture. A page that
  // paints no frames (an occluded window) still turns, from a timer: the rotation never waits on paint.
  useEffect(() => {
    if (turn < 0) return
    const painted = (at: number): void => {
      cancelAnimationFrame(frame)
      clearTimeout(timer)
      rotation.frame(turn, at, shown)
      // This frame paints our own copy: the page's picture underneath can go without a gap.
      if (shown && firstPicture.current?.turn === turn) {
        firstPicture.current.picture.remove()
        firstPicture.current = null
      }
    }
    const frame = requestAnimationFrame((t) => painted(performance.timeOrigin + t))
    const timer = setTimeout(() => painted(frameClock()), NO_FRAME_MS)
    return () => {
      cancelAnimationFrame(frame)
      clearTimeout(timer)
    }
  }, [rotation, turn, shown])

  const [mountedNext, setMountedNext] = useState(0)
  useEffect(() => {
    if (turn < 0 || !shown) return
    const timer = setTimeout(() => setMountedNext(turn + 1), MOUNT_NEXT_AFTER_MS)
    return () => clearTimeout(timer)
  }, [turn, shown])

  if (!current) return <>{fallback}</>
  // The next turn is mounted even when it is the same item (a lone video): a second element decodes
  // it ahead, so even a one-item loop swaps to a ready frame. Primed (the turn is ending) means now.
  const slots = next && (next.n <= mountedNext || rotation.primed) ? [current, next] : [current]
  return (
    <>
      {slots.map((slot) => {
        const active = slot === current
        return (
          <div key={slot.key} className="slide" data-item-id={slot.item.id} data-item-kind={slot.item.kind} data-active={active ? 'true' : 'false'}>
            <Slide
              item={slot.item}
              active={active}
              primed={!active && rotation.primed}
              onReady={() => rotation.ready(slot.key)}
              onEnding={() => rotation.ending(slot.n)}
              onEnded={() => rotation.ended(slot.n)}
              onFailed={(reason, cause) => rotation.fail(slot.key, reason, cause)}
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
