// An image from the verified cache, letterboxed (contain) or filling the screen (cover). Its size is
// checked before anything decodes it (an "image bomb" of a few kB can decode to gigabytes and freeze
// the screen), and it stays invisible until decoded, so its turn starts with the whole picture.
import { useRef, useState } from 'react'
import type { ScreenItem } from '../../../contract/screen'
import type { SlideProps } from './slide-props'

type ImageItem = Extract<ScreenItem, { kind: 'image' }>

/**
 * The largest picture shown: 8192×8192 px (67 Mpx, 256 MiB decoded as RGBA), eight times a 4K frame,
 * more than any poster needs; beyond it a mini-PC's memory and raster time run out (a 16,000² PNG froze
 * the screen for seconds and drew black). No side may exceed 16,384 px either, the largest texture
 * Chromium's compositor draws, so a long thin strip is refused too rather than drawn black.
 */
export const MAX_IMAGE_PIXELS = 8192 * 8192
export const MAX_IMAGE_SIDE = 16_384

/** Why an image of this size is refused (Vietnamese, then English), or null when it may be shown. */
export function imageSizeProblem(width: number, height: number): string | null {
  if (width * height <= MAX_IMAGE_PIXELS && width <= MAX_IMAGE_SIDE && height <= MAX_IMAGE_SIDE) return null
  const size = `${width}×${height} px`
  return `ảnh quá lớn để hiển thị: ${size} (tối đa 8192×8192 px, mỗi cạnh tối đa 16384 px) / image too large to show: ${size} (at most 8192×8192 px, no side over 16384 px)`
}

export function ImageSlide({ item, onReady, onFailed }: SlideProps<ImageItem>) {
  const [ready, setReady] = useState(false)
  const [refused, setRefused] = useState(false)
  const imageRef = useRef<HTMLImageElement>(null)
  // Removed outright: an element that stays would be decoded by the next paint that reaches it.
  if (refused) return null

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
        const problem = imageSizeProblem(image.naturalWidth, image.naturalHeight)
        if (problem) {
          setRefused(true)
          onFailed(problem, 'broken')
          return
        }
        image.decode().then(
          () => {
            setReady(true)
            onReady()
          },
          () => onFailed('ảnh hỏng, không giải mã được / image could not be decoded', 'broken')
        )
      }}
      onError={() => onFailed('ảnh hỏng, không tải hoặc giải mã được / image could not be loaded or decoded', 'broken')}
    />
  )
}
