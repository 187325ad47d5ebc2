// The header band: board name, then date and clock in Vietnamese, in the board's time zone; never cut.
import { useEffect, useRef, useState } from 'react'
import type { BoardInfo } from '../../../contract/screen'
import { clockText, vietnameseDate } from '../vi-date'
import { useShrinkToFit } from './use-shrink-to-fit'

export function HeaderZone({ board }: { board: BoardInfo }) {
  const [now, setNow] = useState(() => new Date())
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), 1000)
    return () => clearInterval(timer)
  }, [])
  const band = useRef<HTMLDivElement>(null)
  const date = vietnameseDate(now, board.timeZone)
  // Name, date and clock share one size: too long for one row, the date and clock move to a second row
  // and a long name wraps anywhere; the band's type then shrinks until all of it is inside the band.
  useShrinkToFit(band, band, [board.name, date])
  return (
    <div className="header-zone" data-testid="header-zone" ref={band}>
      <span className="header-board">{board.name}</span>
      <span className="header-time">
        {date} · {clockText(now, board.timeZone)}
      </span>
    </div>
  )
}
