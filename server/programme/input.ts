// What people send to make playlists and schedule entries: zod schemas (the API reuses them for its
// OpenAPI document) and the checks a schema cannot say, each error naming its field in vi and en.
import { z } from 'zod'
import { Id, MAX_PLAYLIST_ITEMS, TimeOfDay } from '../../main/core/protocol/manifest'
import { Weekday } from '../../main/core/protocol/weekday'
import { humanText } from '../api/human-text'
import { invalid } from './errors'

/** A calendar day in Asia/Ho_Chi_Minh, YYYY-MM-DD. */
export const CalendarDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date is YYYY-MM-DD')
  .refine((day) => {
    const parsed = Date.parse(`${day}T00:00:00Z`)
    return !Number.isNaN(parsed) && new Date(parsed).toISOString().slice(0, 10) === day
  }, 'no such calendar day')
/** An "HH:MM" that may also be "24:00", the end of the day (a window's `to`, display hours' `off`). */
export const EndOfWindow = z.string().regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, 'time of day must be HH:MM (00:00–24:00)')
/** Content ids end up inside item ids (entry.index.content), which the manifest bounds at 200 characters. */
export const ContentId = Id.refine((id) => id.length <= 160, 'content ids are at most 160 characters')

export const PlaylistItemInput = z.object({
  contentId: ContentId,
  /** Seconds it shows; null: the content's own length (a video plays to its end). */
  durationSec: z.number().positive().max(24 * 3600).nullable().default(null)
})
export const PlaylistInput = z.object({
  unitId: z.string().min(1).max(200),
  name: humanText({ vi: 'Tên danh sách phát', en: 'The playlist name', max: 200 }),
  items: z.array(PlaylistItemInput).max(MAX_PLAYLIST_ITEMS)
})
export type PlaylistInput = z.infer<typeof PlaylistInput>
/** A new name only: what boards show is unchanged, so no entry needs approving again. */
export const PlaylistRename = PlaylistInput.pick({ name: true })

export const EntryPriority = z.enum(['thuong', 'uu-tien'])
export const Window = z.object({ from: TimeOfDay, to: EndOfWindow })
export type Window = z.infer<typeof Window>
/** Who an entry reaches (any of them), always within its own unit's subtree. Flat, so each list is scope-checked. */
export const targetFields = {
  /** Units: the boards placed in each one's subtree. */
  targetUnitIds: z.array(z.string().min(1).max(200)).max(1000).default([]),
  /** Tags of board placements (e.g. "chợ"). */
  targetTags: z.array(z.string().min(1).max(100)).max(1000).default([]),
  /** Boards by device id. */
  targetBoardIds: z.array(Id).max(10_000).default([])
}
export type Targets = { targetUnitIds: string[]; targetTags: string[]; targetBoardIds: string[] }

export const EntryInput = z.object({
  unitId: z.string().min(1).max(200),
  playlistId: Id,
  name: humanText({ vi: 'Tên lịch phát', en: 'The schedule entry name', max: 200 }),
  /** First and last day it plays (both included); null: no bound. */
  validFrom: CalendarDate.nullable().default(null),
  validTo: CalendarDate.nullable().default(null),
  /** ISO weekdays, 1 = Monday … 7 = Sunday; null: every day. */
  weekdays: z.array(Weekday).min(1).max(7).nullable().default(null),
  /** Daily windows [from, to); null: all day. */
  windows: z.array(Window).min(1).max(24).nullable().default(null),
  priority: EntryPriority.default('thuong'),
  /** The board's screen on/off hours while this entry is published; null: no say. */
  displayHours: z.object({ on: TimeOfDay, off: EndOfWindow }).nullable().default(null),
  ...targetFields
})
export type EntryInput = z.infer<typeof EntryInput>

/** Parses with a schema; the first issue becomes a bilingual error naming the field. */
export function parseInput<T>(schema: z.ZodType<T>, value: unknown, prefix = ''): T {
  const result = schema.safeParse(value)
  if (result.success) return result.data
  const issue = result.error.issues[0]
  const field = [prefix, ...(issue?.path ?? []).map(String)].filter(Boolean).join('.') || '(root)'
  throw invalid(field, `Giá trị của trường ${field} không hợp lệ: ${issue?.message ?? ''}`, `${field} is invalid: ${issue?.message ?? ''}`)
}

function minutes(time: string): number {
  return Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5))
}

/**
 * The checks across fields, for an entry as saved and again as compiled (a row edited by hand must not
 * publish either). `prefix` places the field: `entries.e1` when compiling.
 */
export function checkEntry(entry: Pick<EntryInput, 'validFrom' | 'validTo' | 'windows' | 'displayHours'>, prefix = ''): void {
  const at = (field: string) => (prefix ? `${prefix}.${field}` : field)
  if (entry.validFrom && entry.validTo && entry.validTo < entry.validFrom) {
    throw invalid(at('validTo'), 'Ngày kết thúc phải không sớm hơn ngày bắt đầu.', 'The last day must not be before the first day.')
  }
  entry.windows?.forEach((window, i) => {
    if (minutes(window.to) <= minutes(window.from)) {
      throw invalid(
        at(`windows.${i}.to`),
        `Khung giờ ${window.from}–${window.to} kết thúc trước khi bắt đầu (khung qua nửa đêm: tách thành hai khung, đến 24:00 và từ 00:00).`,
        `The window ${window.from}–${window.to} ends before it starts (for one across midnight, use two: up to 24:00 and from 00:00).`
      )
    }
  })
  const hours = entry.displayHours
  if (hours && minutes(hours.off) <= minutes(hours.on)) {
    throw invalid(at('displayHours.off'), `Giờ tắt màn hình ${hours.off} phải sau giờ bật ${hours.on}.`, `The screen-off time ${hours.off} must be after the on time ${hours.on}.`)
  }
}

/** Submitting asks more than saving a draft: something to play, and somewhere to play it. */
export function checkSubmittable(entry: Targets, playlistItems: number, prefix = ''): void {
  const at = (field: string) => (prefix ? `${prefix}.${field}` : field)
  if (entry.targetUnitIds.length + entry.targetTags.length + entry.targetBoardIds.length === 0) {
    throw invalid(at('targetUnitIds'), 'Chưa chọn nơi phát: đơn vị, nhãn hoặc bảng tin.', 'No target: choose units, tags or boards.')
  }
  if (playlistItems === 0) {
    throw invalid(at('playlistId'), 'Danh sách phát chưa có mục nào.', 'The playlist has no items.')
  }
}
