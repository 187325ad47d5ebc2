// A video from the verified cache: loaded while the previous item plays, started when its turn comes.
import { useEffect, useRef } from 'react'
import type { ScreenItem } from '../../../contract/screen'
import { LOAD_TIMEOUT_MS, type SlideProps } from './slide-props'
import { useLatest, useSlideTimer } from './use-slide-timer'

type VideoItem = Extract<ScreenItem, { kind: 'video' }>

export function VideoSlide({ item, active, onEnded, onFailed }: SlideProps<VideoItem>) {
  const videoRef = useRef<HTMLVideoElement>(null)
  const failedRef = useRef<string | null>(null)
  const failed = useLatest(onFailed)
  // With a set duration the video loops until the duration ends; without one it plays once.
  useSlideTimer(active, item.durationMs, onEnded)

  useEffect(() => {
    const video = videoRef.current
    if (!video) return
    if (!active) {
      video.pause()
      return
    }
    if (failedRef.current) return failed.current(failedRef.current)
    video.currentTime = 0
    video.play().catch((error: Error) => {
      // A pause() racing play() rejects with AbortError: that is the rotation moving on, not a fault.
      if (error.name !== 'AbortError') failed.current(`video would not play: ${error.message}`)
    })
    const watchdog = setTimeout(() => {
      if (video.readyState < HTMLMediaElement.HAVE_FUTURE_DATA) failed.current(`video not ready within ${LOAD_TIMEOUT_MS} ms`)
    }, LOAD_TIMEOUT_MS)
    return () => clearTimeout(watchdog)
  }, [active, failed])

  return (
    <video
      ref={videoRef}
      className="media media-contain"
      src={item.src}
      muted={item.muted}
      playsInline
      preload="auto"
      loop={item.durationMs > 0}
      disablePictureInPicture
      onEnded={() => {
        if (active) onEnded()
      }}
      onError={() => {
        const reason = `video could not be decoded (media error ${videoRef.current?.error?.code ?? '?'})`
        failedRef.current = reason
        if (active) onFailed(reason)
      }}
    />
  )
}
