// "What plays when": a board's day or week (Asia/Ho_Chi_Minh) worked out by running the core's own
// scheduler over the board's manifest, from one change instant to the next, so the server says what the board does.
import type { Manifest, Priority } from '../../main/core/protocol/manifest'
import { plan } from '../../main/core/schedule/scheduler'
import { dayStart, nextDay, PROGRAMME_TIME_ZONE, sourceOfItem } from './compile'

export type SlotPriority = 'thuong' | 'uu-tien' | 'khan-cap'

/** One item in rotation from `start` to `end` (ISO instants, end excluded), in play order within the span. */
export interface PlaySlot {
  start: string
  end: string
  zoneId: string
  itemId: string
  /** Where the item came from, when the programme compiled it (null for a manifest made elsewhere). */
  entryId: string | null
  contentId: string | null
  kind: string
  durationSec: number | null
  /** The priority of the item's playlist. */
  priority: SlotPriority
}

export interface BoardDay {
  from: string
  to: string
  slots: PlaySlot[]
  /** Spans in which the screen is off (display hours): nothing plays then. */
  displayOff: { start: string; end: string }[]
}

const PRIORITY_WORD: Record<Priority, SlotPriority> = { normal: 'thuong', priority: 'uu-tien', emergency: 'khan-cap' }
/** A week has a few hundred changes at most; this only stops a runaway loop. */
const MAX_SPANS = 100_000

interface Span {
  start: number
  end: number
  displayOn: boolean
  /** Per zone, the item ids in rotation; compared to merge spans the plan split but nothing changed in. */
  key: string
  rows: Omit<PlaySlot, 'start' | 'end'>[]
}

/**
 * The board's programme from the start of `date` for `days` days (1 = a day, 7 = a week), in Vietnam time.
 * Emergencies are not in it: they are pushed, not scheduled.
 */
export function whatPlaysWhen(manifest: Manifest | null, date: string, days = 1): BoardDay {
  let end = date
  for (let d = 0; d < days; d++) end = nextDay(end)
  const fromMs = Date.parse(dayStart(date))
  const toMs = Date.parse(dayStart(end))
  const priorityOf = new Map<string, SlotPriority>()
  for (const playlist of manifest?.playlists ?? []) for (const item of playlist.items) priorityOf.set(item.id, PRIORITY_WORD[playlist.priority])

  const spans: Span[] = []
  let at = fromMs
  while (at < toMs && spans.length < MAX_SPANS) {
    const result = plan({ manifest, emergencies: [], timeZone: PROGRAMME_TIME_ZONE, now: new Date(at) })
    const next = Math.min(result.nextChangeAt?.getTime() ?? toMs, toMs)
    const rows = result.displayOn
      ? result.zones.flatMap((zone) =>
          zone.items.map((item) => {
            const source = sourceOfItem(item.id)
            return {
              zoneId: zone.zoneId,
              itemId: item.id,
              entryId: source?.entryId ?? null,
              contentId: source?.contentId ?? null,
              kind: item.kind,
              durationSec: item.durationSec ?? null,
              priority: priorityOf.get(item.id) ?? PRIORITY_WORD[zone.priority]
            }
          })
        )
      : []
    const key = `${result.displayOn}|${rows.map((row) => `${row.zoneId}/${row.itemId}`).join(',')}`
    const last = spans.at(-1)
    if (last && last.key === key && last.end === at) last.end = next
    else spans.push({ start: at, end: next, displayOn: result.displayOn, key, rows })
    at = next
  }
  const iso = (ms: number) => new Date(ms).toISOString()
  return {
    from: iso(fromMs),
    to: iso(toMs),
    slots: spans.flatMap((span) => span.rows.map((row) => ({ start: iso(span.start), end: iso(span.end), ...row }))),
    displayOff: spans.filter((span) => !span.displayOn).map((span) => ({ start: iso(span.start), end: iso(span.end) }))
  }
}
