// The product's data dir: created private (0700), refused when others can read it or the key file, and
// locked by the running server (server.pid) so a restore never overwrites a live server's data.
import { constants } from 'node:fs'
import { mkdir, open, readFile, rm, stat } from 'node:fs/promises'
import { join, resolve } from 'node:path'

export const DATABASE_FILE = 'bangtin.sqlite'
export const LOCK_FILE = 'server.pid'

/** A refusal the operator must act on, in Vietnamese and English. */
export class ProductError extends Error {
  constructor(
    readonly vi: string,
    readonly en: string
  ) {
    super(`${vi} / ${en}`)
  }
}

function othersCanRead(mode: number): boolean {
  return (mode & 0o077) !== 0
}

/** Creates the data dir 0700 when missing; refuses one that others can read (it holds the signing key and the database). */
export async function prepareDataDir(dir: string): Promise<string> {
  const root = resolve(dir)
  await mkdir(root, { recursive: true, mode: 0o700 })
  const info = await stat(root)
  if (!info.isDirectory()) throw new ProductError(`${root} không phải là thư mục.`, `${root} is not a directory.`)
  if (othersCanRead(info.mode)) {
    throw new ProductError(
      `Thư mục dữ liệu ${root} đang cho người khác đọc (quyền ${(info.mode & 0o777).toString(8)}); nó chứa khoá ký và cơ sở dữ liệu. Chạy: chmod 700 ${root}`,
      `The data dir ${root} is readable by others (mode ${(info.mode & 0o777).toString(8)}); it holds the signing key and the database. Run: chmod 700 ${root}`
    )
  }
  return root
}

/** A key file others can read is a province key anyone on the machine can sign with: refused. */
export async function checkKeyFile(path: string): Promise<void> {
  const info = await stat(path).catch(() => null)
  if (!info?.isFile()) throw new ProductError(`Không có tệp khoá ${path}.`, `No key file ${path}.`)
  if (othersCanRead(info.mode)) {
    throw new ProductError(
      `Tệp khoá ${path} đang cho người khác đọc (quyền ${(info.mode & 0o777).toString(8)}). Chạy: chmod 600 ${path}`,
      `The key file ${path} is readable by others (mode ${(info.mode & 0o777).toString(8)}). Run: chmod 600 ${path}`
    )
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** The pid of the server running on this data dir, or null (a lock left by a killed server is stale). */
export async function runningServer(dir: string): Promise<number | null> {
  const text = await readFile(join(dir, LOCK_FILE), 'utf8').catch(() => null)
  const pid = text === null ? NaN : Number(text.trim())
  return Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid) ? pid : null
}

/** Takes the data dir for this process; refuses when another live server holds it. Returns the release. */
export async function lockDataDir(dir: string): Promise<() => Promise<void>> {
  const other = await runningServer(dir)
  if (other !== null) {
    throw new ProductError(`Một máy chủ khác (pid ${other}) đang chạy trên ${dir}.`, `Another server (pid ${other}) is running on ${dir}.`)
  }
  const path = join(dir, LOCK_FILE)
  await rm(path, { force: true })
  const handle = await open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600)
  await handle.writeFile(`${process.pid}\n`)
  await handle.sync()
  await handle.close()
  return async () => {
    const text = await readFile(path, 'utf8').catch(() => '')
    if (Number(text.trim()) === process.pid) await rm(path, { force: true })
  }
}
