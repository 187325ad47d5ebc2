import { readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { writeFileAtomic } from '../../../main/core/fs-atomic'
import { useTempDirs } from '../../helpers/temp-dir'

describe('writeFileAtomic', () => {
  const tempDir = useTempDirs()

  it('replaces the file and leaves no temp file behind', async () => {
    const dir = await tempDir()
    const target = join(dir, 'state.json')
    await writeFile(target, 'old')
    await writeFileAtomic(target, 'mới')
    expect(await readFile(target, 'utf8')).toBe('mới')
    expect(await readdir(dir)).toEqual(['state.json'])
  })

  it('keeps the old file when the write cannot happen', async () => {
    const dir = await tempDir()
    const target = join(dir, 'missing-dir', 'state.json')
    await expect(writeFileAtomic(target, 'x')).rejects.toThrow()
    expect(await readdir(dir)).toEqual([])
  })
})
