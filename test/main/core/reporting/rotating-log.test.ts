// Bounded logs: however many lines, the folder stays within its file count and bytes, newest kept.
import { readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { RotatingLog } from '../../../../main/core/reporting/rotating-log'
import { useTempDirs } from '../../../helpers/temp-dir'

async function folderSize(dir: string): Promise<{ files: number; bytes: number }> {
  const names = await readdir(dir)
  let bytes = 0
  for (const name of names) bytes += (await stat(join(dir, name))).size
  return { files: names.length, bytes }
}

describe('RotatingLog', () => {
  const tempDir = useTempDirs()

  it('keeps 100,000 error lines within 5 files of 64 KiB, newest lines kept', async () => {
    const dir = await tempDir()
    const log = new RotatingLog({ dir, maxFiles: 5, maxFileBytes: 64 * 1024, scope: 'test' })
    for (let n = 0; n < 100_000; n++) log.error('tải xuống thất bại', { n, url: 'https://example.vn/a.mp4' })
    log.close()
    const { files, bytes } = await folderSize(dir)
    expect(files).toBeLessThanOrEqual(5)
    expect(bytes).toBeLessThanOrEqual(5 * 64 * 1024)
    const newest = (await readFile(join(dir, 'player.log'), 'utf8')).trim().split('\n')
    expect(JSON.parse(newest.at(-1)!)).toMatchObject({ level: 'error', scope: 'test', message: 'tải xuống thất bại', n: 99_999 })
    // Every line in every file is whole JSON, and the files run oldest to newest without gaps.
    const numbers = (await Promise.all(log.files().map((f) => readFile(f, 'utf8'))))
      .flatMap((text) => text.trim().split('\n'))
      .map((line) => (JSON.parse(line) as { n: number }).n)
    expect(numbers.at(-1)).toBe(99_999)
    numbers.forEach((value, index) => index > 0 && expect(value).toBe(numbers[index - 1]! + 1))
  })

  it('continues the current file after a restart and removes files beyond a smaller bound', async () => {
    const dir = await tempDir()
    await writeFile(join(dir, 'player.7.log'), 'old\n')
    const first = new RotatingLog({ dir, maxFiles: 3, maxFileBytes: 32 * 1024 })
    first.info('first run')
    first.close()
    const second = new RotatingLog({ dir, maxFiles: 3, maxFileBytes: 32 * 1024 })
    second.warn('second run')
    expect(second.files()).toEqual([join(dir, 'player.log')])
    second.close()
    const lines = (await readFile(join(dir, 'player.log'), 'utf8')).trim().split('\n')
    expect(lines.map((l) => (JSON.parse(l) as { message: string }).message)).toEqual(['first run', 'second run'])
    expect(await readdir(dir)).toEqual(['player.log'])
  })

  it('cuts an enormous record instead of letting it take a file', async () => {
    const dir = await tempDir()
    const log = new RotatingLog({ dir, maxFiles: 2, maxFileBytes: 32 * 1024 })
    log.error('x'.repeat(100_000), { blob: 'y'.repeat(100_000) })
    log.error('after')
    log.close()
    const lines = (await readFile(join(dir, 'player.log'), 'utf8')).trim().split('\n')
    expect(JSON.parse(lines[0]!)).toMatchObject({ truncated: true })
    expect(lines[0]!.length).toBeLessThan(3000)
    expect(JSON.parse(lines[1]!)).toMatchObject({ message: 'after' })
  })

  it('never throws when its folder goes away: it starts a fresh file there, or counts the lines it lost', async () => {
    const parent = join(await tempDir(), 'data')
    const dir = join(parent, 'logs')
    const log = new RotatingLog({ dir, maxFileBytes: 64 * 1024, maxFiles: 2 })
    // Removed before the first write (a data folder wiped by hand, a test's temp folder).
    await rm(dir, { recursive: true, force: true })
    log.info('sau khi xóa')
    expect(() => log.flush()).not.toThrow()
    expect(await readFile(join(dir, 'player.log'), 'utf8')).toContain('sau khi xóa')
    // A file where the folder's parent should be: not even root can create the folder again.
    const stuck = new RotatingLog({ dir, maxFileBytes: 64 * 1024, maxFiles: 2 })
    await rm(parent, { recursive: true, force: true })
    await writeFile(parent, 'not a folder')
    stuck.error('không ghi được')
    expect(() => stuck.flush()).not.toThrow()
    expect(stuck.lostLines).toBe(1)
  })

  it('writes buffered lines on its own shortly after', async () => {
    const dir = await tempDir()
    const log = new RotatingLog({ dir, flushAfterMs: 10 })
    log.info('soon')
    await new Promise((r) => setTimeout(r, 50))
    expect(await readFile(join(dir, 'player.log'), 'utf8')).toContain('soon')
    log.close()
  })
})
