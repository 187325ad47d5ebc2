// A live HLS stream (truyền hình trực tiếp) through the host's stream proxy, played with hls.js. A
// stream that fails (unreachable, broken) is reported and the rotation falls back to the next item.
import Hls from 'hls.js'
import { useEffect, useRef } from 'react'
import type { ScreenItem } from '../../../contract/screen'
import type { SlideProps } from './slide-props'
import { useLatest, useSlideTimer } from './use-slide-timer'

type StreamItem = Extract<ScreenItem, { kind: 'stream' }>

export function StreamSlide({ item, active, onReady, onEnded, onFailed }: SlideProps<StreamItem>) {
  const videoRef = useRef<HTMLVideoElement>(null)
  const callbacks = useLatest({ onReady, onFailed })
  useSlideTimer(active, item.durationMs, onEnded)

  useEffect(() => {
    const video = videoRef.current
    if (!video) return
    if (!Hls.isSupported()) {
      callbacks.current.onFailed('this screen cannot play HLS (no Media Source Extensions)')
      return
    }
    // No worker: the strict CSP allows no blob: workers, and one stream does not need one.
    const hls = new Hls({ enableWorker: false, lowLatencyMode: false, manifestLoadingMaxRetry: 2, fragLoadingMaxRetry: 2 })
    hls.on(Hls.Events.ERROR, (_event, data) => {
      if (data.fatal) callbacks.current.onFailed(`stream failed: ${data.type} ${data.details}`)
    })
    hls.loadSource(item.src)
    hls.attachMedia(video)
    return () => hls.destroy()
  }, [item.src, callbacks])

  useEffect(() => {
    const video = videoRef.current
    if (!video) return
    if (active) {
      video.play().catch((error: Error) => {
        if (error.name !== 'AbortError') callbacks.current.onFailed(`stream would not play: ${error.message}`)
      })
    } else video.pause()
  }, [active, callbacks])

  return (
    <video
      ref={videoRef}
      className="media media-contain"
      muted
      playsInline
      disablePictureInPicture
      onLoadedData={() => callbacks.current.onReady()}
    />
  )
}
