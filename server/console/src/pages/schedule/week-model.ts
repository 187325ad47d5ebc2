// A board's week from the "what plays when" answer: per Vietnamese day, the spans each schedule entry
// plays (back-to-back plays of one entry merged), clipped to the day, for the timeline and the day list.
import type { Programme } from '../../api/programme'
import { DAY_MS, vnDate, vnMidnight } from './vn-time'

export interface Span {
  entryId: string | null
  priority: string
  start: number
  end: number
}

export interface Day {
  date: string
  start: number
  spans: Span[]
  /** Spans when the screen is off (display hours). */
  off: { start: number; end: number }[]
}

/** Plays of one entry closer than this are one span on the timeline (a rotation's turns). */
const JOIN_MS = 60_000

export function weekOf(programme: Programme, firstDate: string, days: number): Day[] {
  const out: Day[] = []
  for (let i = 0; i < days; i++) {
    const start = vnMidnight(firstDate) + i * DAY_MS
    const end = start + DAY_MS
    const clip = (s: number, e: number) => ({ start: Math.max(s, start), end: Math.min(e, end) })
    const spans: Span[] = []
    const slots = programme.slots
      .filter((slot) => slot.zoneId === 'main' || programme.slots.every((s) => s.zoneId !== 'main'))
      .map((slot) => ({ ...slot, s: Date.parse(slot.start), e: Date.parse(slot.end) }))
      .filter((slot) => slot.e > start && slot.s < end)
      .sort((a, b) => a.s - b.s)
    for (const slot of slots) {
      const last = spans.findLast((span) => span.entryId === slot.entryId)
      const { start: s, end: e } = clip(slot.s, slot.e)
      if (last && s - last.end <= JOIN_MS) last.end = Math.max(last.end, e)
      else spans.push({ entryId: slot.entryId, priority: slot.priority, start: s, end: e })
    }
    const off = programme.displayOff
      .map((o) => clip(Date.parse(o.start), Date.parse(o.end)))
      .filter((o) => o.end > o.start)
    out.push({ date: vnDate(start), start, spans: spans.sort((a, b) => a.start - b.start), off })
  }
  return out
}
