// A crawling line of text (chữ chạy): moved by a GPU transform at a speed set in zone heights per
// second, so it reads the same on a 1920×1080 LCD and a 768×192 LED strip.
import { useEffect, useRef } from 'react'
import type { ScreenItem } from '../../../contract/screen'
import type { SlideProps } from './slide-props'
import { useReadyOnMount } from './use-slide-timer'

type TickerItem = Extract<ScreenItem, { kind: 'ticker' }>

export function TickerSlide({ item, active, onReady }: SlideProps<TickerItem>) {
  const boxRef = useRef<HTMLDivElement>(null)
  const textRef = useRef<HTMLDivElement>(null)
  useReadyOnMount(onReady)

  useEffect(() => {
    const box = boxRef.current
    const text = textRef.current
    if (!active || !box || !text) return
    const distance = box.clientWidth + text.scrollWidth
    const pxPerSec = Math.max(1, item.speed * box.clientHeight)
    const animation = text.animate([{ transform: `translateX(${box.clientWidth}px)` }, { transform: `translateX(${-text.scrollWidth}px)` }], {
      duration: (distance / pxPerSec) * 1000,
      iterations: Infinity,
      easing: 'linear'
    })
    return () => animation.cancel()
  }, [active, item.speed, item.text])

  return (
    <div className="ticker-box" ref={boxRef}>
      <div className="ticker-text" ref={textRef} data-testid="ticker-text">
        {item.text}
      </div>
    </div>
  )
}
