// The whole screen: the layout's zones, an emergency over everything, or black while the display is
// off; the technician's status overlay (behind a key chord) can open above any of them.
import { useShallow } from 'zustand/react/shallow'
import type { ShowPayload } from '../../../contract/screen'
import type { Bridge } from '../bridge/bridge'
import { useScreenStore } from '../store'
import { EmergencyOverlay } from './EmergencyOverlay'
import { FallbackSlide } from './FallbackSlide'
import { HeaderZone } from './HeaderZone'
import { PairingScreen } from './PairingScreen'
import { Rotator } from './Rotator'
import { StatusOverlay } from './StatusOverlay'

export function Screen({ bridge }: { bridge: Bridge | null }) {
  return (
    <>
      <Stage bridge={bridge} />
      <StatusOverlay />
    </>
  )
}

function Stage({ bridge }: { bridge: Bridge | null }) {
  // Only what decides the stage: status every 2 s and each turn's now-playing must not re-render it.
  const { zones, emergency, displayOn, pairing, board } = useScreenStore(
    useShallow((s) => ({ zones: s.zones, emergency: s.emergency, displayOn: s.displayOn, pairing: s.pairing, board: s.board }))
  )
  if (pairing && !emergency) {
    return (
      <main className="stage" data-testid="stage">
        <PairingScreen pairing={pairing} boardName={board.name} />
      </main>
    )
  }
  if (emergency) {
    return (
      <main className="stage" data-testid="stage">
        <EmergencyOverlay emergency={emergency} bridge={bridge} />
      </main>
    )
  }
  if (!displayOn) return <main className="stage display-off" data-testid="display-off" />
  return (
    <main className="stage" data-testid="stage">
      {zones.map((entry) => (
        <Zone key={entry.zone.id} entry={entry} bridge={bridge} />
      ))}
    </main>
  )
}

function Zone({ entry, bridge }: { entry: ShowPayload['zones'][number]; bridge: Bridge | null }) {
  const board = useScreenStore((s) => s.board)
  const { zone, program } = entry
  const style = { left: `${zone.x * 100}%`, top: `${zone.y * 100}%`, width: `${zone.width * 100}%`, height: `${zone.height * 100}%` }
  const fallback = zone.role === 'main' ? <FallbackSlide board={board} /> : null
  return (
    <section className={`zone zone-${zone.role}`} style={style} data-zone-id={zone.id} data-zone-role={zone.role}>
      {zone.role === 'header' ? (
        <HeaderZone board={board} />
      ) : program ? (
        // Not keyed by program: a new program (a failed item left out, a republished manifest) does not
        // restart the rotation; the Rotator decides from the items whether to go on or start afresh.
        <Rotator zoneId={zone.id} program={program} bridge={bridge} fallback={fallback} />
      ) : (
        fallback
      )}
    </section>
  )
}
