// The header band: board name, then date and clock in Vietnamese, in the board's time zone.
import { useEffect, useState } from 'react'
import type { BoardInfo } from '../../../contract/screen'
import { clockText, vietnameseDate } from '../vi-date'

export function HeaderZone({ board }: { board: BoardInfo }) {
  const [now, setNow] = useState(() => new Date())
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), 1000)
    return () => clearInterval(timer)
  }, [])
  return (
    <div className="header-zone" data-testid="header-zone">
      <span className="header-board">{board.name}</span>
      <span className="header-time">
        {vietnameseDate(now, board.timeZone)} · {clockText(now, board.timeZone)}
      </span>
    </div>
  )
}
