// The whole screen: the program's rotation, or the fallback slide when there is nothing to play.
import { useScreenStore } from '../store'
import type { Bridge } from '../bridge/bridge'
import { FallbackSlide } from './FallbackSlide'
import { Rotator } from './Rotator'
import type { Program } from '../../../contract/screen'

/** A new program object (the store keeps the old one when nothing changed) starts a fresh rotation. */
const programKeys = new WeakMap<Program, number>()
let nextProgramKey = 1
function keyOf(program: Program): number {
  let key = programKeys.get(program)
  if (key === undefined) programKeys.set(program, (key = nextProgramKey++))
  return key
}

export function Screen({ bridge }: { bridge: Bridge | null }) {
  const board = useScreenStore((s) => s.board)
  const program = useScreenStore((s) => s.program)
  const fallback = <FallbackSlide board={board} />
  return (
    <main className="stage" data-testid="stage">
      {program ? <Rotator key={keyOf(program)} program={program} bridge={bridge} fallback={fallback} /> : fallback}
    </main>
  )
}
