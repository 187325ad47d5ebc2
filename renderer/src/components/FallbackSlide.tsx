// Shown whenever nothing is playable: board name, date and clock, so the board never looks dead or black;
// on a new board still downloading its first content, also how far that download has come.
import { useEffect, useRef, useState } from 'react'
import type { BoardInfo } from '../../../contract/screen'
import { firstSyncDownload, useScreenStore } from '../store'
import { clockText, vietnameseDate } from '../vi-date'
import { FirstSyncProgress } from './FirstSyncProgress'
import { useShrinkToFit } from './use-shrink-to-fit'

export function FallbackSlide({ board }: { board: BoardInfo }) {
  const [now, setNow] = useState(() => new Date())
  const download = useScreenStore(firstSyncDownload)
  const slide = useRef<HTMLDivElement>(null)
  const name = useRef<HTMLDivElement>(null)
  // A long name wraps anywhere, then shrinks until the slide holds it with the clock and date.
  useShrinkToFit(name, slide, [board.name, download !== null])
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), 1000)
    return () => clearInterval(timer)
  }, [])
  return (
    <div className={`slide fallback${download ? ' with-progress' : ''}`} data-testid="fallback-slide" data-active="true" ref={slide}>
      <div className="fallback-board" ref={name}>
        {board.name}
      </div>
      <div className="fallback-clock" data-testid="fallback-clock">
        {clockText(now, board.timeZone)}
      </div>
      <div className="fallback-date" data-testid="fallback-date">
        {vietnameseDate(now, board.timeZone)}
      </div>
      {download ? <FirstSyncProgress download={download} /> : null}
    </div>
  )
}
