// A video from the verified cache: loaded and its first frame decoded while the previous item plays,
// started (muted, hidden) a few frames before its turn so it is already moving on the frame it comes on.
import { useEffect, useLayoutEffect, useRef } from 'react'
import type { ScreenItem } from '../../../contract/screen'
import { useScreenStore } from '../store'
import { PRIME_LEAD_MS } from './rotation'
import type { SlideProps } from './slide-props'
import { useLatest } from './use-slide-timer'

type VideoItem = Extract<ScreenItem, { kind: 'video' }>

export function VideoSlide({ item, active, primed, onReady, onEnding, onEnded, onFailed }: SlideProps<VideoItem>) {
  const videoRef = useRef<HTMLVideoElement>(null)
  const failed = useLatest(onFailed)
  const ended = useLatest(onEnded)
  const ending = useLatest(onEnding)
  const master = useScreenStore((s) => s.volume)

  // The item's own volume times the board's master volume; a remote change applies to the playing
  // video at once (a property write: no reload, no restart).
  useEffect(() => {
    if (videoRef.current) videoRef.current.volume = item.volume * master
  }, [item.volume, master])

  // Played to its end: say so a few frames ahead (the next item starts), and finish the turn when the
  // last frame has had its time on screen, from the presented frames themselves. The 'ended' event
  // (kept as a fallback) can come several frames late.
  useEffect(() => {
    const video = videoRef.current
    if (!active || !video || item.durationMs > 0 || !('requestVideoFrameCallback' in video)) return
    let handle = 0
    let lastMediaTime = -1
    let frameSec = 1 / 25
    let warned = false
    let timer: ReturnType<typeof setTimeout> | undefined
    const onFrame = (now: DOMHighResTimeStamp, frame: VideoFrameCallbackMetadata): void => {
      if (lastMediaTime >= 0 && frame.mediaTime > lastMediaTime) frameSec = Math.min(0.1, frame.mediaTime - lastMediaTime)
      lastMediaTime = frame.mediaTime
      const left = video.duration - frame.mediaTime
      if (Number.isFinite(left) && !warned && left - frameSec <= PRIME_LEAD_MS / 1000) {
        warned = true
        ending.current()
      }
      if (Number.isFinite(left) && frame.mediaTime + frameSec >= video.duration - 0.001) {
        // One refresh early, so the swap lands on the frame where the next picture is due.
        const wait = Math.max(0, frame.expectedDisplayTime + frameSec * 1000 - now - 16)
        timer = setTimeout(() => ended.current(), wait)
        return
      }
      handle = video.requestVideoFrameCallback(onFrame)
    }
    handle = video.requestVideoFrameCallback(onFrame)
    return () => {
      video.cancelVideoFrameCallback(handle)
      if (timer) clearTimeout(timer)
    }
  }, [active, item.durationMs, ended, ending])

  // In the commit itself, not after the paint: a primed video is already playing when the swap frame
  // shows it, and one that is not gets play() before that frame rather than after it.
  useLayoutEffect(() => {
    const video = videoRef.current
    if (!video) return
    if (!active && !primed) {
      video.pause()
      return
    }
    if (!video.paused) return
    video.play().catch((error: Error) => {
      // A pause() racing play() rejects with AbortError: that is the rotation moving on, not a fault.
      if (error.name !== 'AbortError') failed.current(`video would not play: ${error.message}`)
    })
  }, [active, primed, failed])

  return (
    <video
      ref={videoRef}
      className="media media-contain"
      src={item.src}
      // Started ahead while hidden, it makes no sound until its turn.
      muted={item.muted || !active}
      playsInline
      preload="auto"
      loop={item.durationMs > 0}
      disablePictureInPicture
      // HAVE_CURRENT_DATA: the first frame is decoded, so swapping to it shows a picture, not black.
      onLoadedData={() => onReady()}
      onEnded={() => {
        if (active) onEnded()
      }}
      onError={() => onFailed(`video could not be decoded (media error ${videoRef.current?.error?.code ?? '?'})`, 'broken')}
    />
  )
}
