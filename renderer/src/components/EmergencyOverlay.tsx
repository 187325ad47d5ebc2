// An emergency notice (bản tin khẩn cấp) over the whole screen, above every zone. It tells the host
// when its first frame was painted, for the acknowledgement the district centre waits for.
import { useEffect, useLayoutEffect, useState } from 'react'
import type { ScreenEmergency } from '../../../contract/screen'
import type { Bridge } from '../bridge/bridge'
import { FitText, paragraphs, SMALLEST_FONT_PX } from './FitText'
import { imageSizeProblem } from './image-check'
import { useTitleShare } from './use-title-share'

/** Ids already reported in this page, so a re-render does not report again (the host dedups too). */
const reported = new Set<string>()

/** A long body pages through this long, then starts again (pages stay at least a second). */
const EMERGENCY_PAGE_CYCLE_MS = 60_000
/**
 * The title's letters are at least 1/12 of the screen's short side tall; its text is 1.35× FitText's
 * base size (.text-title), so the base floor is short side / 12 / 1.35. The body is never set larger
 * than that base: smaller than the title at its smallest.
 */
const titleFloorPx = (): number => Math.max(SMALLEST_FONT_PX, Math.floor(Math.min(window.innerWidth, window.innerHeight) / 12 / 1.35))

export function EmergencyOverlay({ emergency, bridge }: { emergency: ScreenEmergency; bridge: Bridge | null }) {
  const titleFloor = useViewportValue(titleFloorPx)
  const body = emergency.body.trim() ? emergency.body : ''
  const { areaRef, probeRef, together, share, measuredFor } = useTitleShare(emergency.title, body, titleFloor)

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
        {emergency.imageSrc ? <EmergencyImage key={emergency.imageSrc} src={emergency.imageSrc} bridge={bridge} /> : null}
        <div className="emergency-text-area" ref={areaRef} data-layout={together ? 'together' : 'split'} data-measured-for={measuredFor}>
          <div className="text-content emergency-probe" ref={probeRef} aria-hidden="true">
            <h1 className="text-title">{emergency.title}</h1>
            {paragraphs(body).map((paragraph, index) => (
              <p key={index}>{paragraph}</p>
            ))}
          </div>
          {together ? (
            // Short enough to fit together at the title's floor: one block, as large as it fits.
            <div className="emergency-title-area alone">
              <FitText title={emergency.title} body={body} minFontPx={titleFloor} active durationMs={EMERGENCY_PAGE_CYCLE_MS} className="emergency-text" />
            </div>
          ) : (
            <>
              {/* The title keeps its own area at its floor or larger, so a long body can never shrink it. */}
              <div className="emergency-title-area" style={{ flexBasis: `${share * 100}%` }}>
                <FitText title={emergency.title} minFontPx={titleFloor} active durationMs={EMERGENCY_PAGE_CYCLE_MS} className="emergency-text" />
              </div>
              <div className="emergency-body-area">
                <FitText body={body} maxFontPx={titleFloor} active durationMs={EMERGENCY_PAGE_CYCLE_MS} className="emergency-text" />
              </div>
            </>
          )}
        </div>
      </div>
    </div>
  )
}

/**
 * The notice's picture, checked like a slide's before anything decodes it: hidden until its size (read
 * from the header at load) is known to be affordable, removed and reported when it is not (an image bomb
 * must not take the screen, least of all under an emergency). The notice's text stays either way.
 */
function EmergencyImage({ src, bridge }: { src: string; bridge: Bridge | null }) {
  const [state, setState] = useState<'checking' | 'ok' | 'refused'>('checking')
  if (state === 'refused') return null
  const refuse = (reason: string): void => {
    setState('refused')
    bridge?.send('rejected', { verb: 'emergency', reason: `emergency image ${src.slice(0, 300)}: ${reason}` })
  }
  return (
    <img
      className="emergency-image"
      data-testid="emergency-image"
      src={src}
      alt=""
      decoding="async"
      style={state === 'ok' ? undefined : { visibility: 'hidden' }}
      onLoad={(event) => {
        const tooLarge = imageSizeProblem(event.currentTarget.naturalWidth, event.currentTarget.naturalHeight)
        if (tooLarge) refuse(tooLarge)
        else setState('ok')
      }}
      onError={() => refuse('ảnh hỏng, không tải hoặc giải mã được / image could not be loaded or decoded')}
    />
  )
}

/** A value computed from the viewport, recomputed when the window is resized. */
function useViewportValue<T>(compute: () => T): T {
  const [value, setValue] = useState(compute)
  useEffect(() => {
    const update = (): void => setValue(compute)
    window.addEventListener('resize', update)
    return () => window.removeEventListener('resize', update)
  }, [compute])
  return value
}
