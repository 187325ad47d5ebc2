// A live HLS stream (truyền hình trực tiếp) through the host's stream proxy, played with hls.js, its
// sound at the board's master volume. A stream that fails (unreachable, broken) is reported and the
// rotation falls back to the next item.
import type Hls from 'hls.js'
import { useEffect, useRef } from 'react'
import type { ScreenItem } from '../../../contract/screen'
import { useScreenStore } from '../store'
import type { SlideProps } from './slide-props'
import { useLatest } from './use-slide-timer'

type StreamItem = Extract<ScreenItem, { kind: 'stream' }>

export function StreamSlide({ item, active, onReady, onFailed }: SlideProps<StreamItem>) {
  const videoRef = useRef<HTMLVideoElement>(null)
  const callbacks = useLatest({ onReady, onFailed })
  const master = useScreenStore((s) => s.volume)
  /** The browser refused to play it with sound: it stays muted (unmuting would pause it again). */
  const soundRefused = useRef(false)

  // Applied live to the element: a remote volume change must not restart the stream.
  useEffect(() => {
    const video = videoRef.current
    if (!video) return
    video.volume = master
    video.muted = master === 0 || soundRefused.current
  }, [master])

  useEffect(() => {
    const video = videoRef.current
    if (!video) return
    let hls: Hls | null = null
    let gone = false
    // Loaded on first use: hls.js is the largest part of the screen's code, and no first paint should wait for it.
    import('hls.js').then(
      ({ default: HlsPlayer }) => {
        if (gone) return
        if (!HlsPlayer.isSupported()) return callbacks.current.onFailed('this screen cannot play HLS (no Media Source Extensions)')
        // No worker: the strict CSP allows no blob: workers, and one stream does not need one.
        hls = new HlsPlayer({ enableWorker: false, lowLatencyMode: false, manifestLoadingMaxRetry: 2, fragLoadingMaxRetry: 2 })
        hls.on(HlsPlayer.Events.ERROR, (_event, data) => {
          if (data.fatal) callbacks.current.onFailed(`stream failed: ${data.type} ${data.details}`)
        })
        hls.loadSource(item.src)
        hls.attachMedia(video)
      },
      (error: Error) => !gone && callbacks.current.onFailed(`the stream player could not be loaded: ${error.message}`)
    )
    return () => {
      gone = true
      hls?.destroy()
    }
  }, [item.src, callbacks])

  useEffect(() => {
    const video = videoRef.current
    if (!video) return
    if (active) {
      const failed = (error: Error): void => {
        if (error.name !== 'AbortError') callbacks.current.onFailed(`stream would not play: ${error.message}`)
      }
      video.play().catch((error: Error) => {
        // A browser that refuses sound without a user gesture still shows the picture, muted.
        if (error.name !== 'NotAllowedError' || video.muted) return failed(error)
        soundRefused.current = true
        video.muted = true
        video.play().catch(failed)
      })
    } else video.pause()
  }, [active, callbacks])

  return (
    <video
      ref={videoRef}
      className="media media-contain"
      playsInline
      disablePictureInPicture
      onLoadedData={() => callbacks.current.onReady()}
    />
  )
}
