// The content manifest (protocol v1 subset): what a board should play and which files it needs.
// Bundled demo content and synced content share this schema, so both go through one cache/schedule path.
import { z } from 'zod'

export const Sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'sha256 must be 64 lowercase hex digits')

export const AssetMime = z.enum(['image/jpeg', 'image/png', 'image/webp', 'video/mp4', 'video/webm'])

export const Asset = z.object({
  sha256: Sha256,
  size: z.number().int().positive().max(8 * 1024 ** 3),
  mime: AssetMime,
  /**
   * Where to get the bytes: relative to the manifest (a bundled folder or the server URL).
   * Never trusted as a file name: the cache stores by sha256 only.
   */
  url: z.string().min(1).max(2000)
})
export type Asset = z.infer<typeof Asset>

const ItemId = z.string().min(1).max(200)
const DurationSec = z.number().positive().max(24 * 3600)

export const ManifestItem = z.discriminatedUnion('kind', [
  z.object({
    id: ItemId,
    kind: z.literal('text'),
    title: z.string().max(500).optional(),
    body: z.string().min(1).max(20000),
    durationSec: DurationSec
  }),
  z.object({
    id: ItemId,
    kind: z.literal('image'),
    asset: Sha256,
    fit: z.enum(['contain', 'cover']).default('contain'),
    durationSec: DurationSec
  }),
  z.object({
    id: ItemId,
    kind: z.literal('video'),
    asset: Sha256,
    /** Omitted: play the video to its end once. */
    durationSec: DurationSec.optional(),
    muted: z.boolean().default(true)
  })
])
export type ManifestItem = z.infer<typeof ManifestItem>

export const Manifest = z
  .object({
    schema: z.literal('bangtin.manifest/v1'),
    version: z.string().min(1).max(200),
    board: z.object({ name: z.string().min(1).max(200) }).optional(),
    playlist: z.object({
      id: ItemId,
      name: z.string().max(200),
      items: z.array(ManifestItem).max(1000)
    }),
    assets: z.array(Asset).max(10000)
  })
  .superRefine((manifest, ctx) => {
    const known = new Set(manifest.assets.map((a) => a.sha256))
    const ids = new Set<string>()
    manifest.playlist.items.forEach((item, index) => {
      if (ids.has(item.id)) {
        ctx.addIssue({ code: 'custom', path: ['playlist', 'items', index, 'id'], message: `duplicate item id ${item.id}` })
      }
      ids.add(item.id)
      if (item.kind !== 'text' && !known.has(item.asset)) {
        ctx.addIssue({ code: 'custom', path: ['playlist', 'items', index, 'asset'], message: 'asset not listed in assets' })
      }
    })
  })
export type Manifest = z.infer<typeof Manifest>

/** Parses untrusted manifest JSON; throws a ManifestError whose message says what is wrong and where. */
export function parseManifest(json: unknown): Manifest {
  const result = Manifest.safeParse(json)
  if (!result.success) {
    const where = result.error.issues
      .slice(0, 5)
      .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
      .join('; ')
    throw new ManifestError(`invalid manifest: ${where}`)
  }
  return result.data
}

export class ManifestError extends Error {
  override name = 'ManifestError'
}
