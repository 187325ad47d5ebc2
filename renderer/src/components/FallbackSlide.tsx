// Shown whenever nothing is playable: board name, date and clock, so the board never looks dead or black.
import { useEffect, useState } from 'react'
import type { BoardInfo } from '../../../contract/screen'
import { clockText, vietnameseDate } from '../vi-date'

export function FallbackSlide({ board }: { board: BoardInfo }) {
  const [now, setNow] = useState(() => new Date())
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), 1000)
    return () => clearInterval(timer)
  }, [])
  return (
    <div className="slide fallback" data-testid="fallback-slide" data-active="true">
      <div className="fallback-board">{board.name}</div>
      <div className="fallback-clock" data-testid="fallback-clock">
        {clockText(now, board.timeZone)}
      </div>
      <div className="fallback-date" data-testid="fallback-date">
        {vietnameseDate(now, board.timeZone)}
      </div>
    </div>
  )
}
