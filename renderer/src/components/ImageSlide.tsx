// An image from the verified cache, letterboxed (contain) or filling the screen (cover).
import { useEffect, useRef, useState } from 'react'
import type { ScreenItem } from '../../../contract/screen'
import { LOAD_TIMEOUT_MS, type SlideProps } from './slide-props'
import { useLatest, useSlideTimer } from './use-slide-timer'

type ImageItem = Extract<ScreenItem, { kind: 'image' }>

export function ImageSlide({ item, active, onEnded, onFailed }: SlideProps<ImageItem>) {
  const [state, setState] = useState<'loading' | 'ready' | 'failed'>('loading')
  const imageRef = useRef<HTMLImageElement>(null)
  const failed = useLatest(onFailed)
  useSlideTimer(active && state === 'ready', item.durationMs, onEnded)

  useEffect(() => {
    if (!active) return
    if (state === 'failed') return failed.current('image could not be decoded')
    if (state === 'ready') return
    const timer = setTimeout(() => failed.current(`image not ready within ${LOAD_TIMEOUT_MS} ms`), LOAD_TIMEOUT_MS)
    return () => clearTimeout(timer)
  }, [active, state, failed])

  return (
    <img
      ref={imageRef}
      className={`media media-${item.fit}`}
      src={item.src}
      alt=""
      decoding="async"
      onLoad={() => {
        // decode() resolves only when the image can be painted, so the swap shows a whole picture.
        imageRef.current?.decode().then(
          () => setState('ready'),
          () => setState('failed')
        )
      }}
      onError={() => setState('failed')}
    />
  )
}
