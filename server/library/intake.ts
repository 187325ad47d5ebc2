// Upload intake: an operator's file streams in (never whole in memory), is checked as it arrives
// (inspect-upload.ts), written under a temp name, probed (videos, ffprobe), then given its sha256 name and
// a row. Refused or cut uploads leave nothing; the same bytes uploaded twice make one file.
import { randomUUID } from 'node:crypto'
import type { Readable } from 'node:stream'
import { ensureSpace, isOutOfSpace, STORAGE_FULL } from '../storage-space'
import { inTransaction } from '../db/database'
import { LibraryError } from './errors'
import { checkText, NAME, nameFromFileName } from './fields'
import { UploadInspector, type Inspected } from './inspect-upload'
import { requireUnit, type Library, type LibraryActor } from './library'
import { MediaTemp } from './media-files'
import { decodeImage, ffmpegBeside, probeVideo, type VideoProbe } from './probe'
import { contentView, type ContentView } from './view'

export interface UploadInput {
  unitId: string
  /** The file's name as sent (only for the display name: the type comes from the bytes). */
  fileName?: string
  /** The display name; default: the file name without its extension. */
  name?: string
  body: AsyncIterable<Uint8Array> | Readable
  /** The body's declared length, when known: refused at once when the disk could not take it. */
  expectedBytes?: number
  /** Bytes received so far, after each chunk (a progress bar). */
  onProgress?: (bytes: number) => void
}

export interface Notice {
  code: string
  vi: string
  en: string
}

export interface UploadResult {
  item: ContentView
  /** The unit already had these exact bytes: this is the item it had (nothing new stored). */
  alreadyInLibrary: boolean
  /** Things the operator should know (a video stored without ffprobe's checks). */
  notices: Notice[]
}

const FIELD = 'file'
/** Free space is looked at again after every this many bytes written (statfs is cheap; disks fill meanwhile). */
const SPACE_CHECK_EVERY = 64 * 1024 * 1024

export const NOT_PROBED: Notice = {
  code: 'not-probed',
  vi: 'Máy chủ không có ffprobe nên chưa kiểm tra được thời lượng, độ phân giải và mã hoá của video; hãy xem thử trước khi phát.',
  en: 'The server has no ffprobe, so the video’s duration, resolution and codec were not checked; preview it before it plays.'
}

/** Codecs a board's Chromium decodes, by container. */
const PLAYABLE_CODECS: Record<string, ReadonlySet<string>> = {
  'video/mp4': new Set(['h264', 'vp9', 'av1']),
  'video/webm': new Set(['vp8', 'vp9', 'av1'])
}

export async function uploadMedia(library: Library, actor: LibraryActor, input: UploadInput): Promise<UploadResult> {
  requireUnit(actor, input.unitId)
  const name = checkText(input.name ?? nameFromFileName(input.fileName), NAME)
  const inspector = new UploadInspector(library.limits)
  const space = (incoming: number) => ensureSpace(library.mediaRoot, incoming, library.storageReserveBytes)
  await space(input.expectedBytes ?? 0).catch(storageFull)
  const temp = await MediaTemp.create(library.mediaRoot)
  try {
    let checkedAt = 0
    for await (const chunk of input.body as AsyncIterable<Uint8Array>) {
      inspector.feed(chunk)
      await temp.write(chunk)
      input.onProgress?.(temp.size)
      if (temp.size - checkedAt >= SPACE_CHECK_EVERY) {
        checkedAt = temp.size
        await space(0)
      }
    }
    const inspected = inspector.end()
    await temp.finish()
    const probe = inspected.type.kind === 'video' ? await checkVideo(library, temp.tempPath, inspected) : null
    if (inspected.type.kind === 'image') await checkImage(library, temp.tempPath, inspected)
    const stored = await temp.commit()
    return await recordUpload(library, actor, input.unitId, name, inspected, stored.sha256, probe)
  } catch (error) {
    await temp.abort()
    return storageFull(error)
  }
}

/** A full disk or database is the operator's named error, not a 500; anything else goes on as it was. */
function storageFull(error: unknown): never {
  if (isOutOfSpace(error)) throw new LibraryError(507, STORAGE_FULL.code, FIELD, STORAGE_FULL.vi, STORAGE_FULL.en)
  throw error
}

/** A picture is decoded once (where ffmpeg is): short compressed data behind intact markers is refused. */
async function checkImage(library: Library, path: string, inspected: Inspected): Promise<void> {
  const result = await decodeImage(path, inspected.type.mime, ffmpegBeside(library.ffprobe))
  if (result.status !== 'broken') return
  const label = inspected.type.label
  throw new LibraryError(400, 'broken-image', FIELD, `Tệp ${label} bị hỏng hoặc cắt dở (không giải mã được): bảng tin không hiển thị được. Hãy tải lên tệp gốc.`, `The ${label} file is broken or cut short (it does not decode): boards cannot show it. Upload the original file. (${result.detail})`)
}

async function checkVideo(library: Library, path: string, inspected: Inspected): Promise<VideoProbe | null> {
  const result = await probeVideo(path, library.ffprobe)
  const label = inspected.type.label
  const refuse = (code: string, vi: string, en: string) => new LibraryError(400, code, FIELD, vi, en)
  if (result.status === 'absent') return null
  if (result.status === 'unreadable') throw refuse('unreadable-video', `Tệp ${label} không đọc được: tệp hỏng hoặc bị cắt dở.`, `The ${label} file cannot be read: it is broken or cut short. (${result.detail})`)
  if (result.status === 'no-video-stream') throw refuse('no-video-stream', `Tệp ${label} không có hình (chỉ có tiếng?).`, `The ${label} file has no picture (sound only?).`)
  const { width, height, durationMs, codec } = result.video
  const { maxVideoSide, maxVideoPixels, maxVideoDurationSec } = library.limits
  if (!PLAYABLE_CODECS[inspected.type.mime]?.has(codec)) {
    throw refuse('unplayable-codec', `Video mã hoá ${codec}: bảng tin không phát được. Hãy chuyển sang H.264 (MP4) hoặc VP9 (WebM).`, `The video is ${codec}-encoded, which boards cannot play. Convert it to H.264 (MP4) or VP9 (WebM).`)
  }
  if (width > maxVideoSide || height > maxVideoSide || width * height > maxVideoPixels) {
    throw new LibraryError(413, 'video-too-large', FIELD, `Video ${width}×${height} quá lớn để bảng tin phát mượt (tối đa 4K): hãy giảm độ phân giải.`, `The ${width}×${height} video is too large for boards to play smoothly (at most 4K): lower its resolution.`)
  }
  if (durationMs !== null && durationMs > maxVideoDurationSec * 1000) {
    throw new LibraryError(413, 'video-too-long', FIELD, `Video dài quá (tối đa ${maxVideoDurationSec / 3600} giờ).`, `The video is too long (at most ${maxVideoDurationSec / 3600} hours).`)
  }
  return result.video
}

async function recordUpload(library: Library, actor: LibraryActor, unitId: string, name: string, inspected: Inspected, sha256: string, probe: VideoProbe | null): Promise<UploadResult> {
  const { db } = library
  const now = library.now().toISOString()
  const isVideo = inspected.type.kind === 'video'
  const notices = isVideo && !probe ? [NOT_PROBED] : []
  const existing = () =>
    db
      .selectFrom('library_content')
      .selectAll()
      .where('unit_id', '=', unitId)
      .where('media_sha256', '=', sha256)
      .executeTakeFirst()
  const inserted = await inTransaction(db, async (trx) => {
      await trx
        .insertInto('library_media')
        .values({
          sha256,
          size: inspected.size,
          mime: inspected.type.mime,
          width: probe?.width ?? inspected.dimensions?.width ?? null,
          height: probe?.height ?? inspected.dimensions?.height ?? null,
          duration_ms: probe?.durationMs ?? null,
          video_codec: probe?.codec ?? null,
          probed: probe ? 1 : 0,
          created_at: now
        })
        .onConflict((c) => c.column('sha256').doNothing())
        .execute()
      const already = await trx.selectFrom('library_content').select('id').where('unit_id', '=', unitId).where('media_sha256', '=', sha256).executeTakeFirst()
      if (already) return null
      const id = randomUUID()
      await trx
        .insertInto('library_content')
        .values({
          id,
          unit_id: unitId,
          kind: isVideo ? 'video' : 'image',
          name,
          media_sha256: sha256,
          title: null,
          body: null,
          url: null,
          fit: isVideo ? null : 'contain',
          speed: null,
          muted: isVideo ? 1 : null,
          volume: isVideo ? 1 : null,
          created_by: actor.id,
          created_at: now,
          updated_at: now
        })
        .execute()
      return id
    })
    .catch(async (error: unknown) => {
      // Another upload of the same bytes into the same unit won the race (the unique index): it is that item.
      if (await existing()) return null
      throw error
    })
  const row = inserted === null ? await existing() : await db.selectFrom('library_content').selectAll().where('id', '=', inserted).executeTakeFirst()
  const media = await db.selectFrom('library_media').selectAll().where('sha256', '=', sha256).executeTakeFirst()
  if (!row) throw new Error(`content for ${sha256} in unit ${unitId} vanished`)
  return { item: contentView(row, media), alreadyInLibrary: inserted === null, notices }
}
