// A backup holds the library's media too, not only what boards were given: an image uploaded through the
// console API and not yet published comes back, whole, from a restore into a new data dir.
import { once } from 'node:events'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { craftPng } from '../library/fixtures/media'
import { useTempDirs } from '../../helpers/temp-dir'
import { sha256 } from '../helpers'
import { ConsoleSession, startProductLines, type StartedProduct } from './console-client'
import { buildProduct, kill9, removeBuild, runProduct } from './product-process'

async function finished(args: string[]): Promise<{ code: number | null; stderr: string }> {
  const child = runProduct(args)
  let stderr = ''
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  child.stdout.resume()
  const [code] = (await once(child, 'exit')) as [number | null]
  return { code, stderr }
}

describe('backup and the library', () => {
  const tempDir = useTempDirs()
  beforeAll(buildProduct)
  afterAll(removeBuild)
  const running: StartedProduct[] = []
  afterEach(async () => {
    await Promise.all(running.splice(0).map(kill9))
  })

  it('an uploaded image not yet published is in the backup and comes back with a restore', async () => {
    const root = await tempDir()
    const product = await startProductLines(join(root, 'data'))
    running.push(product)
    const admin = await ConsoleSession.firstSignIn(product.url, product.firstAdmin!.username, product.firstAdmin!.password, 'quản-trị-tỉnh-2026')
    const province = (await admin.ok<{ unit: { id: string } }>('GET', '/console/api/me')).unit.id
    const png = craftPng(120, 90)
    const uploaded = await admin.ok<{ item: { id: string } }>('POST', `/console/api/library/uploads?unitId=${province}&fileName=anh.png`, undefined, { bytes: png, contentType: 'application/octet-stream' })

    const backupFile = join(root, 'centre.bangtin-backup')
    const taken = await finished(['backup', backupFile, '--data-dir', join(root, 'data')])
    expect(taken.code, taken.stderr).toBe(0)
    const restored = await finished(['restore', backupFile, '--data-dir', join(root, 'restored')])
    expect(restored.code, restored.stderr).toBe(0)
    const sha = sha256(png)
    expect(sha256(await readFile(join(root, 'restored', 'media', sha.slice(0, 2), sha)))).toBe(sha)

    const again = await startProductLines(join(root, 'restored'))
    running.push(again)
    // The first administrator was in the backup: no new one is made.
    expect(again.firstAdmin).toBeNull()
    const back = await ConsoleSession.signIn(again.url, product.firstAdmin!.username, 'quản-trị-tỉnh-2026')
    expect((await back.call('GET', `/console/api/library/items/${uploaded.item.id}`)).status).toBe(200)
  })
})
