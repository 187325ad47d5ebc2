// The shapes the operations pages read (emergencies, pairings, reports), mirroring docs/console-api.json.
import { z } from 'zod'

export const TemplateField = z.object({ key: z.string(), vi: z.string(), en: z.string(), example: z.string(), maxLength: z.number() })
export const Template = z.object({ id: z.string(), vi: z.string(), en: z.string(), title: z.string(), body: z.string(), defaultTtlSec: z.number(), fields: z.array(TemplateField) })
export type Template = z.infer<typeof Template>
export const Templates = z.object({ templates: z.array(Template) })

export const Emergency = z.object({
  id: z.string(),
  templateId: z.string(),
  title: z.string(),
  body: z.string(),
  ttlSec: z.number(),
  issuedAt: z.string(),
  expiresAt: z.string(),
  sentBy: z.string(),
  unitIds: z.array(z.string()),
  clearedAt: z.string().nullable(),
  clearedBy: z.string().nullable()
})
export type Emergency = z.infer<typeof Emergency>
export const Emergencies = z.object({ emergencies: z.array(Emergency) })

export const DELIVERY_STATES = ['pending', 'received', 'shown', 'clearing', 'cleared', 'expired'] as const
export const BoardDelivery = z.object({
  deviceId: z.string(),
  state: z.enum(DELIVERY_STATES),
  firstSentAt: z.string(),
  lastSentAt: z.string(),
  sends: z.number(),
  receivedAt: z.string().nullable(),
  shownAt: z.string().nullable(),
  shownAfterSec: z.number().nullable(),
  clearSentAt: z.string().nullable(),
  clearedAt: z.string().nullable()
})
export type BoardDelivery = z.infer<typeof BoardDelivery>
export const Delivery = z.object({ emergency: Emergency, boards: z.array(BoardDelivery) })
export const Cleared = z.object({ clearedFor: z.array(z.string()) })
export const Pushed = z.object({ pushedTo: z.array(z.string()) })

export const Pairings = z.object({ pairings: z.array(z.object({ code: z.string(), expiresAt: z.string() })) })
export const Unplaced = z.object({ boards: z.array(z.object({ deviceId: z.string(), connected: z.boolean(), lastSeen: z.string().nullable() })) })

export const ReportTable = z.object({
  name: z.string(),
  title: z.object({ vi: z.string(), en: z.string() }),
  about: z.object({ from: z.string(), to: z.string(), timeZone: z.string(), generatedAt: z.string() }),
  columns: z.array(z.object({ key: z.string(), vi: z.string(), en: z.string(), type: z.enum(['text', 'number']) })),
  rows: z.array(z.record(z.string(), z.union([z.string(), z.number(), z.null()])))
})
export type ReportTable = z.infer<typeof ReportTable>

/** An active emergency: not cleared for all and not yet expired. */
export function isActive(emergency: Emergency, now = Date.now()): boolean {
  return emergency.clearedAt === null && Date.parse(emergency.expiresAt) > now
}

/** A time as the officer reads it (Vietnam time), e.g. 14:05:09 30/11. */
export function clock(iso: string | null, lang: 'vi' | 'en'): string {
  if (!iso) return '—'
  return new Date(iso).toLocaleString(lang === 'vi' ? 'vi-VN' : 'en-GB', { timeZone: 'Asia/Ho_Chi_Minh', hour: '2-digit', minute: '2-digit', second: '2-digit', day: '2-digit', month: '2-digit' })
}

export const BoardStatus = z.object({
  deviceId: z.string(),
  connected: z.boolean(),
  lastSeen: z.string().nullable(),
  publishedVersion: z.string().nullable(),
  heartbeat: z
    .object({
      sentAt: z.string(),
      appVersion: z.string(),
      appUptimeSec: z.number(),
      playState: z.string(),
      itemId: z.string().nullable(),
      programVersion: z.string().nullable(),
      emergencyId: z.string().nullable(),
      display: z.string(),
      diskUsedBytes: z.number(),
      diskQuotaBytes: z.number().nullable(),
      clockOffsetMs: z.number().nullable(),
      syncState: z.string()
    })
    .nullable(),
  problems: z.array(z.string()),
  /** The board's own problem reports of the last day (optional: a server before them answers without). */
  reported: z.array(z.object({ kind: z.string(), detail: z.string(), at: z.string() })).optional()
})
export type BoardStatus = z.infer<typeof BoardStatus>
export const BoardStatuses = z.object({ boards: z.array(BoardStatus) })
export const BoardDetail = BoardStatus.extend({ uptime: z.array(z.object({ date: z.string(), upSeconds: z.number(), downSeconds: z.number(), expectedSeconds: z.number() })) })

export const BoardCommand = z.object({
  id: z.string(),
  kind: z.string(),
  sentAt: z.string(),
  sentBy: z.string().nullable(),
  result: z.object({ ok: z.boolean().nullable(), detail: z.string().nullable(), at: z.string() }).nullable()
})
export const BoardCommands = z.object({
  commands: z.array(BoardCommand),
  screenshot: z.object({ takenAt: z.string(), commandId: z.string().nullable(), width: z.number(), height: z.number() }).nullable()
})
