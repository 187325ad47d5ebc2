// An image from the verified cache, letterboxed (contain) or filling the screen (cover). Its size and
// bytes are checked before it is shown (image-check.ts), and it stays invisible until decoded, so its
// turn starts with the whole picture, never a half-drawn one.
import { useRef, useState } from 'react'
import type { ScreenItem } from '../../../contract/screen'
import { BROKEN_IMAGE, imageBytesProblem, imageSizeProblem } from './image-check'
import type { SlideProps } from './slide-props'

type ImageItem = Extract<ScreenItem, { kind: 'image' }>

export function ImageSlide({ item, onReady, onFailed }: SlideProps<ImageItem>) {
  const [ready, setReady] = useState(false)
  const [refused, setRefused] = useState(false)
  const imageRef = useRef<HTMLImageElement>(null)
  // Removed outright: an element that stays would be decoded by the next paint that reaches it.
  if (refused) return null

  const refuse = (reason: string): void => {
    setRefused(true)
    onFailed(reason, 'broken')
  }

  return (
    <img
      ref={imageRef}
      className={`media media-${item.fit}`}
      // Hidden until decoded: a first item (on screen before it loads) must not paint half an image.
      style={ready ? undefined : { visibility: 'hidden' }}
      src={item.src}
      alt=""
      decoding="async"
      onLoad={() => {
        const image = imageRef.current
        if (!image) return
        // The load event comes with the header parsed and nothing decoded yet: the size is known for free.
        const tooLarge = imageSizeProblem(image.naturalWidth, image.naturalHeight)
        if (tooLarge) return refuse(tooLarge)
        Promise.all([image.decode(), imageBytesProblem(item.src)]).then(
          ([, damaged]) => {
            if (damaged) return refuse(damaged)
            setReady(true)
            onReady()
          },
          () => refuse(BROKEN_IMAGE)
        )
      }}
      onError={() => refuse('ảnh hỏng, không tải hoặc giải mã được / image could not be loaded or decoded')}
    />
  )
}
