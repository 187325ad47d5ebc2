// What every library function works with: the database, the media folder, the limits, and the hook the
// playlists' owner (server/programme) gives so an item in use is not deleted.
import type { Db } from '../db/database'
import { LibraryError } from './errors'

export interface LibraryLimits {
  maxImageBytes: number
  maxVideoBytes: number
  /** Decoded pixels (width × height): a decoded image costs 4 bytes a pixel on a board's mini-PC. */
  maxImagePixels: number
  maxImageSide: number
  maxVideoSide: number
  maxVideoPixels: number
  maxVideoDurationSec: number
}

export const DEFAULT_LIMITS: LibraryLimits = {
  maxImageBytes: 50 * 1024 * 1024,
  maxVideoBytes: 4 * 1024 * 1024 * 1024,
  // 40 MP: an 8K picture (7680×4320 = 33 MP) passes; 20,000×20,000 (400 MP, 1.6 GB decoded) does not.
  maxImagePixels: 40_000_000,
  maxImageSide: 16_384,
  // What a board's Chromium decodes smoothly: 4K (3840×2160 or DCI 4096×2160), either orientation.
  maxVideoSide: 4096,
  maxVideoPixels: 4096 * 2304,
  // The protocol's longest item.
  maxVideoDurationSec: 24 * 3600
}

export interface Library {
  db: Db
  /** DATA/media (layout in media-files.ts). */
  mediaRoot: string
  limits: LibraryLimits
  /** ffprobe's command (PATH lookup by default); when it cannot run, videos are stored unprobed, with a warning. */
  ffprobe: string
  now: () => Date
  /**
   * The playlists (by name) that use a content item: server/programme answers it, reading through `db` (the
   * request's transaction: SQLite has one connection, the root handle would wait for it). Delete is refused
   * while it names any. Without it, delete is refused only by a foreign key from the playlists' own table.
   */
  contentInUse?: (contentId: string, db: Db) => Promise<string[]>
  /**
   * Called (through `db`, the same transaction) when an item changes in a way boards show (anything but its
   * name): server/programme sends the submitted or approved schedule entries that play it back to draft, since
   * an approval covers what was approved, and answers their ids. Without it, nothing is sent back.
   */
  contentChanged?: (contentId: string, db: Db) => Promise<string[]>
  /** Bytes an upload must leave free on the media folder's disk (default: 1 GiB or 5 % of the disk, the smaller). */
  storageReserveBytes?: number
}

export function createLibrary(options: Pick<Library, 'db' | 'mediaRoot'> & Partial<Omit<Library, 'db' | 'mediaRoot' | 'limits'>> & { limits?: Partial<LibraryLimits> }): Library {
  return {
    db: options.db,
    mediaRoot: options.mediaRoot,
    limits: { ...DEFAULT_LIMITS, ...options.limits },
    ffprobe: options.ffprobe ?? 'ffprobe',
    now: options.now ?? (() => new Date()),
    ...(options.contentInUse ? { contentInUse: options.contentInUse } : {}),
    ...(options.contentChanged ? { contentChanged: options.contentChanged } : {}),
    ...(options.storageReserveBytes !== undefined ? { storageReserveBytes: options.storageReserveBytes } : {})
  }
}

/** The units an actor may see and change (their unit's subtree, from server/access). */
export type UnitScope = ReadonlySet<string>

/** Who acts on the library: the console API's actor maps to this (userId, subtree); the CLI import has its own. */
export interface LibraryActor {
  /** A user id (or "cli" for imports); stored as created_by. */
  id: string
  scope: UnitScope
}

/** The actor may only put things in units of their subtree (an unknown unit is not in it either). */
export function requireUnit(actor: LibraryActor, unitId: string): void {
  if (!actor.scope.has(unitId)) {
    throw new LibraryError(404, 'no-such-unit', 'unitId', 'Không có đơn vị này trong phạm vi của bạn.', 'No such unit within your reach.')
  }
}
