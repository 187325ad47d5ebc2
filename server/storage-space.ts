// Running out of disk: a check before accepting bytes (statfs against a reserve), and one named, bilingual
// answer (507 storage-full) for it and for any write the disk or the database refused for lack of space.
import { statfs } from 'node:fs/promises'
import { dirname } from 'node:path'

const GIB = 1024 ** 3

/** The default reserve: the smaller of 1 GiB and 5 % of the file system (a small disk is not refused outright). */
export function defaultReserve(totalBytes: number): number {
  return Math.min(GIB, Math.floor(totalBytes * 0.05))
}

export const STORAGE_FULL = {
  code: 'storage-full',
  vi: 'Máy chủ hết dung lượng lưu trữ: chưa lưu gì, dữ liệu cũ vẫn nguyên. Hãy báo quản trị viên giải phóng ổ đĩa rồi thử lại.',
  en: 'The server is out of storage: nothing was saved and what was stored is intact. Ask the administrator to free disk space, then try again.'
} as const

/** Accepting these bytes would leave less than the reserve free. */
export class StorageFullError extends Error {
  constructor(
    readonly freeBytes: number,
    readonly reserveBytes: number
  ) {
    super(`${STORAGE_FULL.en} (${freeBytes} bytes free, ${reserveBytes} kept in reserve)`)
  }
}

const OUT_OF_SPACE_CODES = new Set(['ENOSPC', 'EDQUOT', 'SQLITE_FULL'])

/** The disk (ENOSPC), a quota (EDQUOT) or SQLite (SQLITE_FULL) refused a write for lack of space; causes followed. */
export function isOutOfSpace(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (e instanceof StorageFullError) return true
    const code = (e as { code?: unknown }).code
    if (typeof code === 'string' && OUT_OF_SPACE_CODES.has(code)) return true
  }
  return false
}

/**
 * Throws StorageFullError when writing `incomingBytes` under `dir` (or its nearest existing parent) would
 * leave less than `reserveBytes` free (default: defaultReserve of the file system's size).
 */
export async function ensureSpace(dir: string, incomingBytes: number, reserveBytes?: number): Promise<void> {
  let at = dir
  let fs = await statfs(at).catch(() => null)
  while (!fs && dirname(at) !== at) {
    at = dirname(at)
    fs = await statfs(at).catch(() => null)
  }
  if (!fs) return
  const free = fs.bavail * fs.bsize
  const reserve = reserveBytes ?? defaultReserve(fs.blocks * fs.bsize)
  if (free - incomingBytes < reserve) throw new StorageFullError(free, reserve)
}
