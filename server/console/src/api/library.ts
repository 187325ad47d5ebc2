// The library's answers as the console reads them (server/library/schemas.ts, over HTTP: the console never
// imports the server's modules). Loose on purpose where the server may add fields.
import { z } from 'zod'

const common = { id: z.string(), unitId: z.string(), name: z.string(), createdBy: z.string(), createdAt: z.string(), updatedAt: z.string() }
const FileFacts = z.object({ format: z.string(), bytes: z.number(), width: z.number().nullable(), height: z.number().nullable() })

export const ContentItem = z.discriminatedUnion('kind', [
  z.object({ ...common, kind: z.literal('image'), fit: z.enum(['contain', 'cover']), file: FileFacts }),
  z.object({ ...common, kind: z.literal('video'), muted: z.boolean(), volume: z.number(), file: FileFacts.extend({ durationSec: z.number().nullable() }) }),
  z.object({ ...common, kind: z.literal('text'), title: z.string(), body: z.string(), scheme: z.string().optional(), size: z.string().optional() }),
  z.object({ ...common, kind: z.literal('ticker'), text: z.string(), speed: z.number() }),
  z.object({ ...common, kind: z.literal('stream'), url: z.string() })
])
export type ContentItem = z.infer<typeof ContentItem>
export type ContentKind = ContentItem['kind']
export const CONTENT_KINDS: readonly ContentKind[] = ['text', 'image', 'video', 'ticker', 'stream']

export const ContentList = z.object({ items: z.array(ContentItem) })
export const Uploaded = z.object({ item: ContentItem, alreadyInLibrary: z.boolean(), notices: z.array(z.object({ code: z.string(), vi: z.string(), en: z.string() })) })
export type Uploaded = z.infer<typeof Uploaded>
export const Deleted = z.object({ deleted: z.literal(true) })

/** The ticker's speed presets (server/library/fields.ts TICKER_SPEEDS). */
export const TICKER_SPEEDS = ['cham', 'vua', 'nhanh'] as const
export type TickerSpeed = (typeof TICKER_SPEEDS)[number]

/** The address of an image item's picture (thumbnails). */
export const imageUrl = (id: string): string => `/console/api/library/items/${encodeURIComponent(id)}/image`
