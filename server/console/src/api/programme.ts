// The shapes the schedule (Lịch phát) and approval (Duyệt) pages read: playlists, schedule entries, a board's
// week ("what plays when"), library items (only what these pages show) and approval submissions.
import { z } from 'zod'

export const PlaylistItem = z.object({ contentId: z.string(), durationSec: z.number().nullable() })
export type PlaylistItem = z.infer<typeof PlaylistItem>
export const Playlist = z.object({ id: z.string(), unitId: z.string(), name: z.string(), items: z.array(PlaylistItem), createdBy: z.string().nullable(), createdAt: z.string(), updatedAt: z.string() })
export type Playlist = z.infer<typeof Playlist>
export const Playlists = z.object({ playlists: z.array(Playlist) })
export const SavedPlaylist = z.object({ playlist: Playlist, entriesBackToDraft: z.array(z.string()) })

export const PRIORITIES = ['thuong', 'uu-tien'] as const
export const ENTRY_STATUSES = ['draft', 'submitted', 'approved', 'returned'] as const
export const Window = z.object({ from: z.string(), to: z.string() })
export const ScheduleEntry = z.object({
  id: z.string(),
  unitId: z.string(),
  playlistId: z.string(),
  name: z.string(),
  validFrom: z.string().nullable(),
  validTo: z.string().nullable(),
  weekdays: z.array(z.number()).nullable(),
  windows: z.array(Window).nullable(),
  priority: z.enum(PRIORITIES),
  displayHours: z.object({ on: z.string(), off: z.string() }).nullable(),
  targetUnitIds: z.array(z.string()),
  targetTags: z.array(z.string()),
  targetBoardIds: z.array(z.string()),
  status: z.enum(ENTRY_STATUSES),
  createdBy: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string()
})
export type ScheduleEntry = z.infer<typeof ScheduleEntry>
export const ScheduleEntries = z.object({ entries: z.array(ScheduleEntry) })

export const Slot = z.object({
  start: z.string(),
  end: z.string(),
  zoneId: z.string(),
  itemId: z.string(),
  entryId: z.string().nullable(),
  contentId: z.string().nullable(),
  kind: z.string(),
  durationSec: z.number().nullable(),
  priority: z.enum(['thuong', 'uu-tien', 'khan-cap'])
})
export type Slot = z.infer<typeof Slot>
export const Programme = z.object({
  deviceId: z.string(),
  publicationId: z.number().nullable(),
  version: z.string().nullable(),
  from: z.string(),
  to: z.string(),
  slots: z.array(Slot),
  displayOff: z.array(z.object({ start: z.string(), end: z.string() }))
})
export type Programme = z.infer<typeof Programme>

/** A library item as these pages need it (the content room owns the full shape). */
export const LibraryItem = z.looseObject({
  id: z.string(),
  unitId: z.string(),
  name: z.string(),
  kind: z.string(),
  title: z.string().optional(),
  body: z.string().optional(),
  text: z.string().optional(),
  file: z.looseObject({ durationSec: z.number().nullable().optional() }).optional()
})
export type LibraryItem = z.infer<typeof LibraryItem>
export const LibraryItems = z.object({ items: z.array(LibraryItem) })

export const Submission = z.object({
  id: z.number(),
  kind: z.string(),
  subjectId: z.string(),
  unitId: z.string(),
  summary: z.string(),
  state: z.enum(['submitted', 'publishing', 'approved', 'sent-back']),
  submittedBy: z.string(),
  submittedAt: z.string(),
  decidedBy: z.string().nullable(),
  decidedAt: z.string().nullable(),
  reason: z.string().nullable(),
  lastError: z.string().nullable()
})
export type Submission = z.infer<typeof Submission>
export const Submissions = z.object({ submissions: z.array(Submission) })
export const HistoryEvent = z.object({
  submissionId: z.number(),
  action: z.enum(['submit', 'approve', 'send-back', 'publish-failed', 'interrupted']),
  actor: z.string(),
  // Optional: a server before names were given answers without it.
  actorName: z.string().nullable().optional(),
  at: z.string(),
  reason: z.string().nullable(),
  selfApproved: z.boolean(),
  unitId: z.string()
})
export type HistoryEvent = z.infer<typeof HistoryEvent>
export const History = z.object({ events: z.array(HistoryEvent) })

export const SCHEDULE_ENTRY_KIND = 'schedule-entry'
