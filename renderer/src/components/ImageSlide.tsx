// An image from the verified cache, letterboxed (contain) or filling the screen (cover). Ready only
// once decoded, so its turn starts with the whole picture, never a half-drawn one.
import { useRef, useState } from 'react'
import type { ScreenItem } from '../../../contract/screen'
import type { SlideProps } from './slide-props'
import { useSlideTimer } from './use-slide-timer'

type ImageItem = Extract<ScreenItem, { kind: 'image' }>

export function ImageSlide({ item, active, onReady, onEnded, onFailed }: SlideProps<ImageItem>) {
  const [ready, setReady] = useState(false)
  const imageRef = useRef<HTMLImageElement>(null)
  useSlideTimer(active && ready, item.durationMs, onEnded)

  return (
    <img
      ref={imageRef}
      className={`media media-${item.fit}`}
      src={item.src}
      alt=""
      decoding="async"
      onLoad={() => {
        imageRef.current?.decode().then(
          () => {
            setReady(true)
            onReady()
          },
          () => onFailed('image could not be decoded', 'broken')
        )
      }}
      onError={() => onFailed('image could not be loaded or decoded', 'broken')}
    />
  )
}
