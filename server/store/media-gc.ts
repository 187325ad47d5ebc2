// Media garbage collection: deletes files under DATA/media that nothing can still ask for. Run only while no
// server serves the data dir (at the product's start, before it loads or listens; or `gc`, which takes the
// data dir's lock), so no upload or publication is half-way between writing its file and recording it.
import { readdir, rm, stat } from 'node:fs/promises'
import { join } from 'node:path'
import type { Db } from '../db/database'

const SHA256 = /[0-9a-f]{64}/g
const FILE_NAME = /^[0-9a-f]{64}$/

function shasIn(text: string, into: Set<string>): void {
  for (const match of text.matchAll(SHA256)) into.add(match[0])
}

/**
 * The media still live: a library item's file; any file a stored publication or sealed manifest lists (a
 * board may still be fetching it; documents are scanned whole for hashes, so nothing they name is missed);
 * an unexpired emergency's image.
 */
export async function liveMedia(db: Db, now: number): Promise<Set<string>> {
  const live = new Set<string>()
  for (const row of await db.selectFrom('library_content').select('media_sha256').where('media_sha256', 'is not', null).execute()) if (row.media_sha256) live.add(row.media_sha256)
  for (const row of await db.selectFrom('device_publications').select('document').execute()) shasIn(row.document, live)
  for (const row of await db.selectFrom('device_sealed').select('body').execute()) shasIn(row.body, live)
  for (const row of await db.selectFrom('device_emergencies').select('emergency').where('expires_at', '>', now).execute()) shasIn(row.emergency, live)
  return live
}

export interface MediaSweep {
  /** Files deleted, and their bytes. */
  deletedFiles: number
  deletedBytes: number
  keptFiles: number
}

/**
 * Deletes the media nothing live names. The published-file rows go first, in one transaction, so a kill
 * midway leaves unnamed files (swept next time), never a row naming a missing file. Temp files are not
 * its business (removeLeftovers); names that are not a sha256 are left alone.
 */
export async function sweepMedia(db: Db, dataDir: string, now: number): Promise<MediaSweep> {
  const root = join(dataDir, 'media')
  const live = await liveMedia(db, now)
  const dead = new Map<string, { path: string; size: number }>()
  let keptFiles = 0
  for (const entry of await readdir(root, { withFileTypes: true, recursive: true }).catch(() => [])) {
    if (!entry.isFile() || !FILE_NAME.test(entry.name)) continue
    if (live.has(entry.name)) {
      keptFiles++
      continue
    }
    const path = join(entry.parentPath, entry.name)
    const size = (await stat(path).catch(() => null))?.size ?? 0
    dead.set(entry.name, { path, size })
  }
  // Rows naming a file nothing lists go too (whether or not the file is still there): a later publication of
  // those bytes must store them again, not trust a row.
  const rows = await db.selectFrom('device_assets').select('sha256').execute()
  const shas = [...new Set([...dead.keys(), ...rows.map((row) => row.sha256).filter((sha) => !live.has(sha))])]
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < shas.length; i += 500) await trx.deleteFrom('device_assets').where('sha256', 'in', shas.slice(i, i + 500)).execute()
  })
  let deletedBytes = 0
  for (const { path, size } of dead.values()) {
    await rm(path, { force: true })
    deletedBytes += size
  }
  return { deletedFiles: dead.size, deletedBytes, keptFiles }
}
