// The library's API shapes in zod (inputs and outputs of server/library/routes.ts; the OpenAPI document is
// generated from them). No shape carries a hash: items are known by id and name.
import { z } from 'zod'
import { TEXT_SCHEMES, TEXT_SIZES } from '../../main/core/protocol/manifest'
import { TICKER_SPEEDS } from './fields'

const common = {
  id: z.string(),
  unitId: z.string(),
  name: z.string(),
  createdBy: z.string(),
  createdAt: z.string(),
  updatedAt: z.string()
}
const FileFacts = z.object({
  format: z.string().describe('JPEG, PNG, WebP, MP4 or WebM: what the bytes are'),
  bytes: z.number(),
  width: z.number().nullable(),
  height: z.number().nullable()
})

export const ContentViewSchema = z.discriminatedUnion('kind', [
  z.object({ ...common, kind: z.literal('image'), fit: z.enum(['contain', 'cover']), file: FileFacts }),
  z.object({
    ...common,
    kind: z.literal('video'),
    muted: z.boolean(),
    volume: z.number(),
    file: FileFacts.extend({ durationSec: z.number().nullable(), codec: z.string().nullable(), probed: z.boolean().describe('false: stored without ffprobe') })
  }),
  z.object({ ...common, kind: z.literal('text'), title: z.string(), body: z.string(), scheme: z.enum(TEXT_SCHEMES), size: z.enum(TEXT_SIZES) }),
  z.object({ ...common, kind: z.literal('ticker'), text: z.string(), speed: z.number() }),
  z.object({ ...common, kind: z.literal('stream'), url: z.string() })
])

export const ContentKindSchema = z.enum(['image', 'video', 'text', 'ticker', 'stream'])
const Speed = z.union([z.enum(Object.keys(TICKER_SPEEDS) as [keyof typeof TICKER_SPEEDS]), z.number()]).describe('cham | vua | nhanh, or ticker heights per second')

// Checked by the library (fields.ts) so a bad value is refused with its bilingual wording.
const Scheme = z.string().max(40).describe('Text notices: thuong (thường, ordinary) | canh-bao (cảnh báo, warning) | trang-trong (trang trọng, formal)')
const Size = z.string().max(40).describe('Text notices: lon (lớn, as large as fits) | vua (vừa, 70 % of that)')

// Lengths and formats are checked by the library itself (fields.ts), after NFC, with its own wording;
// the schemas here give types and generous outer bounds.
const Text = (max: number) => z.string().max(max * 4)

export const UploadQuery = z.object({
  unitId: z.string().min(1).max(200),
  name: Text(200).optional().describe('Display name; default: the file name without its extension'),
  fileName: z.string().max(1000).optional().describe('The file’s name (for the default display name only: the type comes from the bytes)')
})
export const UploadReply = z.object({
  item: ContentViewSchema,
  alreadyInLibrary: z.boolean().describe('The unit already had these exact bytes: this is that item'),
  notices: z.array(z.object({ code: z.string(), vi: z.string(), en: z.string() }))
})

export const TextNoticeBody = z.strictObject({ unitId: z.string().min(1).max(200), name: Text(200).optional(), title: Text(500).optional(), body: Text(20000), scheme: Scheme.optional(), size: Size.optional() })
export const TickerBody = z.strictObject({ unitId: z.string().min(1).max(200), name: Text(200).optional(), text: Text(5000), speed: Speed.optional() })
export const StreamBody = z.strictObject({ unitId: z.string().min(1).max(200), name: Text(200), url: z.string().max(2000) })
export const PatchBody = z.strictObject({
  name: Text(200).optional(),
  title: Text(500).optional(),
  body: Text(20000).optional(),
  text: Text(5000).optional(),
  speed: Speed.optional(),
  scheme: Scheme.optional(),
  size: Size.optional(),
  url: z.string().max(2000).optional(),
  fit: z.enum(['contain', 'cover']).optional(),
  muted: z.boolean().optional(),
  volume: z.number().min(0).max(1).optional()
})
export const IdParams = z.object({ id: z.string().min(1).max(200) })
export const ListQuery = z.object({ unitId: z.string().min(1).max(200).optional(), kind: ContentKindSchema.optional() })
export const ListReply = z.object({ items: z.array(ContentViewSchema) })
