import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { bundleLogs } from '../../../../main/core/reporting/log-bundle'
import { useTempDirs } from '../../../helpers/temp-dir'

describe('bundleLogs', () => {
  const tempDir = useTempDirs()

  it('packs every file under its name, oldest first, when they fit', async () => {
    const dir = await tempDir()
    await writeFile(join(dir, 'player.1.log'), 'cũ\n')
    await writeFile(join(dir, 'player.log'), 'mới\n')
    const bundle = await bundleLogs([join(dir, 'player.1.log'), join(dir, 'player.log'), join(dir, 'gone.log')], 1000)
    expect(gunzipSync(bundle.gz).toString()).toBe('==> player.1.log <==\ncũ\n==> player.log <==\nmới\n')
    expect(bundle).toMatchObject({ files: 2, omittedBytes: 0, includedBytes: Buffer.byteLength('cũ\nmới\n') })
  })

  it('spends the budget on the newest lines and says what it left out', async () => {
    const dir = await tempDir()
    await writeFile(join(dir, 'old.log'), 'a'.repeat(500))
    await writeFile(join(dir, 'new.log'), 'b'.repeat(300))
    const bundle = await bundleLogs([join(dir, 'old.log'), join(dir, 'new.log')], 400)
    const text = gunzipSync(bundle.gz).toString()
    expect(text).toBe(`==> old.log (last 100 of 500 bytes) <==\n${'a'.repeat(100)}==> new.log <==\n${'b'.repeat(300)}`)
    expect(bundle).toMatchObject({ includedBytes: 400, omittedBytes: 400, files: 2 })
  })
})
