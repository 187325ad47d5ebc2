// The library's part of the server's start and command line (the command itself belongs to server/product):
// opening the library in a data dir, what to do at start, and the `import-content` subcommand.
import { join } from 'node:path'
import type { Db } from '../db/database'
import { LibraryError } from './errors'
import { importContentFolder, type FolderImport } from './import-folder'
import { createLibrary, type Library, type LibraryLimits } from './library'
import { sweepMediaTemp } from './media-files'
import { ffprobeAvailable } from './probe'

/** The library of a data dir: media under DATA/media. */
export function libraryForDataDir(db: Db, dataDir: string, options: { limits?: Partial<LibraryLimits>; ffprobe?: string; contentInUse?: Library['contentInUse']; contentChanged?: Library['contentChanged']; storageReserveBytes?: number } = {}): Library {
  return createLibrary({ db, mediaRoot: join(dataDir, 'media'), ...options })
}

/**
 * Run once at start, before the server takes requests: sweeps temp files a killed upload left, and says
 * (one line each, for the log) what the operator should know.
 */
export async function startLibrary(library: Library): Promise<{ sweptTempFiles: number; ffprobe: boolean; lines: string[] }> {
  const sweptTempFiles = await sweepMediaTemp(library.mediaRoot)
  const ffprobe = await ffprobeAvailable(library.ffprobe)
  const lines: string[] = []
  if (sweptTempFiles > 0) lines.push(`library: removed ${sweptTempFiles} unfinished upload file(s) from ${library.mediaRoot}`)
  if (!ffprobe) lines.push(`library: ffprobe not found (${library.ffprobe}): videos are stored without their duration, resolution and codec checked`)
  return { sweptTempFiles, ffprobe, lines }
}

export const IMPORT_USAGE = 'import-content --unit UNIT_ID FOLDER   (FOLDER holds manifest.json and its files, like assets/demo)'

/**
 * `import-content --unit UNIT_ID FOLDER`: imports a content folder into a unit's library, as "cli".
 * Writes one line per item to `out`; throws a LibraryError (field named) on bad arguments or content.
 */
export async function importContentCommand(library: Library, args: readonly string[], out: (line: string) => void): Promise<FolderImport> {
  let unitId: string | undefined
  const rest: string[] = []
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string
    if (arg === '--unit') unitId = args[++i]
    else if (arg.startsWith('--unit=')) unitId = arg.slice('--unit='.length)
    else rest.push(arg)
  }
  if (!unitId || rest.length !== 1) {
    throw new LibraryError(400, 'usage', unitId ? 'folder' : 'unit', `Cách dùng: ${IMPORT_USAGE}`, `Usage: ${IMPORT_USAGE}`)
  }
  const unit = await library.db.selectFrom('units').select(['id', 'name']).where('id', '=', unitId).executeTakeFirst()
  if (!unit) throw new LibraryError(404, 'no-such-unit', 'unit', `Không có đơn vị «${unitId}».`, `No unit "${unitId}".`)
  const result = await importContentFolder(library, { id: 'cli', scope: new Set([unit.id]) }, rest[0] as string, unit.id)
  for (const item of result.items) out(`${item.status === 'imported' ? 'imported' : 'already in library'}: ${item.kind} “${item.name}” (${item.sourceId}) → ${item.contentId}`)
  out(`${result.items.filter((i) => i.status === 'imported').length} imported, ${result.items.filter((i) => i.status === 'already').length} already there, into unit ${unit.name}`)
  return result
}
