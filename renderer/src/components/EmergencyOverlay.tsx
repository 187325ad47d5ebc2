// An emergency notice (bản tin khẩn cấp) over the whole screen, above every zone. It tells the host
// when its first frame was painted, for the acknowledgement the district centre waits for.
import { useLayoutEffect } from 'react'
import type { ScreenEmergency } from '../../../contract/screen'
import type { Bridge } from '../bridge/bridge'
import { FitText } from './FitText'

/** Ids already reported in this page, so a re-render does not report again (the host dedups too). */
const reported = new Set<string>()

export function EmergencyOverlay({ emergency, bridge }: { emergency: ScreenEmergency; bridge: Bridge | null }) {
  useLayoutEffect(() => {
    if (reported.has(emergency.id)) return
    // The DOM is committed; the next animation frame is the first one painted with the notice.
    const frame = requestAnimationFrame(() => {
      reported.add(emergency.id)
      bridge?.send('emergencyShown', { id: emergency.id, at: Date.now() })
    })
    return () => cancelAnimationFrame(frame)
  }, [emergency.id, bridge])

  return (
    <div className="emergency" data-testid="emergency" data-emergency-id={emergency.id} role="alert">
      <div className="emergency-band">KHẨN CẤP · EMERGENCY</div>
      <div className="emergency-main">
        {emergency.imageSrc ? <img className="emergency-image" src={emergency.imageSrc} alt="" /> : null}
        <FitText title={emergency.title} body={emergency.body || ' '} active durationMs={60_000} className="emergency-text" />
      </div>
    </div>
  )
}
