// Protocol v1: proof of play, the records a board uploads in POST reports (see api.ts ReportBody):
// each says that an item was on screen from one instant to another.
import { z } from 'zod'

/** An item was actually on screen from startedAt to endedAt (epoch ms); the screen reports it as the contract's `played`. */
export const PlayEvent = z.object({
  itemId: z.string().min(1).max(200),
  programVersion: z.string().min(1).max(200),
  startedAt: z.number().int().nonnegative(),
  endedAt: z.number().int().nonnegative()
})
export type PlayEvent = z.infer<typeof PlayEvent>

/** One journal entry as uploaded. `id` is globally unique and stable across re-sends, so the server de-duplicates by it. */
export const PlayRecord = PlayEvent.extend({
  id: z.string().min(1).max(300),
  seq: z.number().int().positive()
})
export type PlayRecord = z.infer<typeof PlayRecord>

/** The body of one proof-of-play upload. `dropped` is cumulative, so a lost or repeated batch never miscounts it. */
export const PlayBatch = z.object({
  batchId: z.string().min(1).max(300),
  entries: z.array(PlayRecord).max(10_000),
  dropped: z.object({ entries: z.number().int().nonnegative(), segments: z.number().int().nonnegative() })
})
export type PlayBatch = z.infer<typeof PlayBatch>
