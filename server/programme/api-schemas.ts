// The programme's console API shapes: what its routes answer (inputs are input.ts's schemas), for the
// framework's output checks and the generated OpenAPI document.
import { z } from 'zod'
import { EndOfWindow, EntryInput, PlaylistItemInput, Window } from './input'

export const EntryStatus = z.enum(['draft', 'submitted', 'approved', 'returned'])

export const PlaylistOut = z.object({
  id: z.string(),
  unitId: z.string(),
  name: z.string(),
  items: z.array(PlaylistItemInput),
  createdBy: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string()
})

export const EntryOut = z.object({
  id: z.string(),
  unitId: z.string(),
  playlistId: z.string(),
  name: z.string(),
  validFrom: z.string().nullable(),
  validTo: z.string().nullable(),
  weekdays: z.array(z.number().int()).nullable(),
  windows: z.array(Window).nullable(),
  priority: EntryInput.shape.priority,
  displayHours: z.object({ on: z.string(), off: EndOfWindow }).nullable(),
  targetUnitIds: z.array(z.string()),
  targetTags: z.array(z.string()),
  targetBoardIds: z.array(z.string()),
  status: EntryStatus,
  createdBy: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string()
})

export const PlaySlotOut = z.object({
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

export const BoardProgrammeOut = z.object({
  deviceId: z.string(),
  /** The publication and document version the board was last given; null before any. */
  publicationId: z.number().nullable(),
  version: z.string().nullable(),
  from: z.string(),
  to: z.string(),
  slots: z.array(PlaySlotOut),
  displayOff: z.array(z.object({ start: z.string(), end: z.string() }))
})
