// `backup FILE` and `restore FILE`: one file holding the database (SQLite's online backup, taken while the
// server runs) and, in a table of its own, the files the database points at (media, uploads) and the
// signing key. Engine-specific on purpose: the online backup API is SQLite's.
import SQLite from 'better-sqlite3'
import { Kysely, SqliteDialect } from 'kysely'
import { copyFile, readFile, rename, rm, stat } from 'node:fs/promises'
import { isAbsolute, join, normalize, resolve } from 'node:path'
import type { Database } from '../db/schema'
import { writeAtomically } from '../store/files'
import { DATABASE_FILE, ProductError, runningServer } from './data-dir'
import { PRIVATE_KEY_FILE, PUBLIC_KEY_FILE } from '../key-files'

interface BackupTables {
  backup_files: { path: string; bytes: Buffer }
}
type BackupDb = Kysely<Database & BackupTables>

function openFile(file: string): { db: BackupDb; sqlite: SQLite.Database } {
  const sqlite = new SQLite(file)
  return { db: new Kysely<Database & BackupTables>({ dialect: new SqliteDialect({ database: sqlite }) }), sqlite }
}

/** Paths the rows hold are relative to the data dir; anything else in a backup is refused, not written. */
function inside(dataDir: string, path: string): string {
  const clean = normalize(path)
  if (isAbsolute(clean) || clean.startsWith('..')) throw new ProductError(`Bản sao lưu chứa đường dẫn không hợp lệ: ${path}`, `The backup holds an invalid path: ${path}`)
  return join(dataDir, clean)
}

/** Takes a consistent copy while the server keeps running (and writing). Returns how many files went in. */
export async function backup(dataDir: string, file: string): Promise<{ file: string; files: number }> {
  const target = resolve(file)
  const tmp = `${target}.partial`
  await rm(tmp, { force: true })
  const live = new SQLite(join(dataDir, DATABASE_FILE), { fileMustExist: true })
  try {
    await live.backup(tmp)
  } finally {
    live.close()
  }
  const { db, sqlite } = openFile(tmp)
  let count = 0
  try {
    // One self-contained file, not a WAL pair.
    sqlite.pragma('journal_mode = DELETE')
    await db.schema.createTable('backup_files').addColumn('path', 'text', (c) => c.primaryKey()).addColumn('bytes', 'blob', (c) => c.notNull()).execute()
    const assets = await db.selectFrom('device_assets').select('path').execute()
    const uploads = await db.selectFrom('device_uploads').select('path').execute()
    const paths = new Set([...assets, ...uploads].map((row) => row.path))
    // The library's media (server/library/media-files.ts: media/ab/abcdef…), published or not yet.
    const library = await db.selectFrom('library_content').select('media_sha256').where('media_sha256', 'is not', null).distinct().execute()
    for (const { media_sha256: sha } of library) if (sha && /^[0-9a-f]{64}$/.test(sha)) paths.add(`media/${sha.slice(0, 2)}/${sha}`)
    for (const key of [PRIVATE_KEY_FILE, PUBLIC_KEY_FILE]) if (await stat(join(dataDir, key)).catch(() => null)) paths.add(key)
    for (const path of paths) {
      const bytes = await readFile(inside(dataDir, path)).catch(() => null)
      if (bytes === null) continue
      await db.insertInto('backup_files').values({ path, bytes }).execute()
      count++
    }
  } finally {
    await db.destroy()
  }
  await rename(tmp, target)
  return { file: target, files: count }
}

/**
 * Puts a backup into a data dir. Refused while a server runs on it, and over an existing database unless
 * `force` (the operator says the data there may go).
 */
export async function restore(file: string, dataDir: string, opts: { force?: boolean } = {}): Promise<{ files: number }> {
  const pid = await runningServer(dataDir)
  if (pid !== null) {
    throw new ProductError(`Máy chủ (pid ${pid}) đang chạy trên ${dataDir}: dừng nó trước khi khôi phục.`, `A server (pid ${pid}) is running on ${dataDir}: stop it before restoring.`)
  }
  const databaseFile = join(dataDir, DATABASE_FILE)
  if (!opts.force && (await stat(databaseFile).catch(() => null))) {
    throw new ProductError(`${dataDir} đã có cơ sở dữ liệu; thêm --force để ghi đè.`, `${dataDir} already holds a database; add --force to overwrite it.`)
  }
  const tmp = join(dataDir, `${DATABASE_FILE}.restoring`)
  await copyFile(resolve(file), tmp)
  const { db } = openFile(tmp)
  let count = 0
  try {
    const rows = await db.selectFrom('backup_files').select('path').execute()
    for (const { path } of rows) {
      const row = await db.selectFrom('backup_files').select('bytes').where('path', '=', path).executeTakeFirstOrThrow()
      await writeAtomically(inside(dataDir, path), [row.bytes])
      count++
    }
    await db.schema.dropTable('backup_files').execute()
  } finally {
    await db.destroy()
  }
  for (const suffix of ['-wal', '-shm', '']) await rm(`${databaseFile}${suffix}`, { force: true })
  await rename(tmp, databaseFile)
  return { files: count }
}
