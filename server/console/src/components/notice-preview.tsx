// A text notice as a board shows it: the player's own FitText laid out on a 1920×1080 screen, scaled down
// to fit the page. Minimal (the approval page's needs); the content room's fuller preview on branch
// h/pages-content (every board resolution) may replace it.
import { useLayoutEffect, useRef, useState } from 'react'
import { FitText } from '../../../../renderer/src/components/FitText'

const WIDTH = 1920
const HEIGHT = 1080

export function NoticePreview({ title, body, label }: { title: string; body: string; label: string }) {
  const outer = useRef<HTMLDivElement>(null)
  const [scale, setScale] = useState(0.2)
  useLayoutEffect(() => {
    const box = outer.current
    if (!box) return
    const fit = () => setScale(box.clientWidth / WIDTH)
    fit()
    const observer = new ResizeObserver(fit)
    observer.observe(box)
    return () => observer.disconnect()
  }, [])
  return (
    <figure className="notice-preview" aria-label={label}>
      <div className="notice-preview-frame" ref={outer} style={{ aspectRatio: `${WIDTH} / ${HEIGHT}` }}>
        <div className="notice-preview-screen" style={{ width: WIDTH, height: HEIGHT, transform: `scale(${scale})` }}>
          <FitText title={title} body={body} active={false} durationMs={30_000} />
        </div>
      </div>
      <figcaption className="muted">{label}</figcaption>
    </figure>
  )
}
