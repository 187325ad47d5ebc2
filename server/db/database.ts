// The source server's database: an embedded SQLite file by default, reached only through Kysely so the
// same queries serve PostgreSQL later (no engine-specific SQL strings outside server/db/dialects).
import SQLite from 'better-sqlite3'
import { Kysely, Migrator, SqliteDialect, type MigrationResult } from 'kysely'
import { MIGRATIONS } from './migrations'
import type { Database } from './schema'

export type Db = Kysely<Database>

export interface OpenedDatabase {
  db: Db
  /** The raw SQLite handle, for what only the engine can do (online backup). Null on other engines. */
  sqlite: SQLite.Database | null
  close(): Promise<void>
}

/** Opens (creating if needed) a SQLite database file, or ':memory:', and brings its schema up to date. */
export async function openSqlite(file: string): Promise<OpenedDatabase> {
  const sqlite = new SQLite(file)
  // WAL: readers never wait for the writer, and a kill -9 mid-transaction leaves the last commit intact.
  sqlite.pragma('journal_mode = WAL')
  // FULL: a commit the server acknowledged survives a power cut too, not only a process kill.
  sqlite.pragma('synchronous = FULL')
  sqlite.pragma('foreign_keys = ON')
  sqlite.pragma('busy_timeout = 5000')
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) })
  try {
    await migrate(db)
  } catch (error) {
    await db.destroy()
    throw error
  }
  return { db, sqlite, close: () => db.destroy() }
}

/** Applies every migration not yet applied, in order; throws with the failing one's name. */
export async function migrate(db: Db): Promise<MigrationResult[]> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => MIGRATIONS } })
  const { error, results } = await migrator.migrateToLatest()
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')
    throw new Error(`database migration ${failed?.migrationName ?? '?'} failed: ${error instanceof Error ? error.message : String(error)}`)
  }
  return results ?? []
}

/**
 * db.transaction().execute(fn), keeping fn's own error: SQLite rolls a transaction back by itself on some
 * errors (SQLITE_FULL, SQLITE_IOERR), and Kysely's rollback then fails with "no transaction is active",
 * which would hide the cause (a full disk must be reported as one).
 */
export async function inTransaction<T>(db: Db, fn: (trx: Db) => Promise<T>): Promise<T> {
  let failed: { error: unknown } | null = null
  try {
    return await db.transaction().execute(async (trx) => {
      try {
        return await fn(trx)
      } catch (error) {
        failed = { error }
        throw error
      }
    })
  } catch (error) {
    throw failed ? (failed as { error: unknown }).error : error
  }
}

