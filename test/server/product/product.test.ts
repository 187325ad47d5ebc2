// The product's start and its data: a private data dir and key file (refused otherwise, in Vietnamese and
// English), one server per data dir, and backup taken while it runs, restored elsewhere, serving the same.
import { once } from 'node:events'
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { paths } from '../../../main/core/protocol/api'
import { openSigned, trustedKeysFrom } from '../../../main/core/protocol/signing'
import { useTempDirs } from '../../helpers/temp-dir'
import { manifestFor, patternBytes, rawRequest, sha256 } from '../helpers'
import { admin, buildProduct, json, kill9, removeBuild, runProduct, startProduct, type Product } from './product-process'

async function finished(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = runProduct(args)
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  const [code] = (await once(child, 'exit')) as [number | null]
  return { code, stdout, stderr }
}

describe('product server', () => {
  const tempDir = useTempDirs()
  beforeAll(buildProduct)
  afterAll(removeBuild)
  const running: Product[] = []
  afterEach(async () => {
    await Promise.all(running.splice(0).map(kill9))
  })

  it('refuses a data dir or a key file others can read, saying so in Vietnamese and English', async () => {
    const root = await tempDir()
    const open = join(root, 'open')
    await mkdir(open, { mode: 0o755 })
    await chmod(open, 0o755)
    const dir = await finished(['--data-dir', open, '--port', '0'])
    expect(dir.code).toBe(1)
    expect(dir.stderr).toContain('Thư mục dữ liệu')
    expect(dir.stderr).toContain('readable by others')

    const key = join(root, 'key.pem')
    await writeFile(key, 'not read anyway', { mode: 0o644 })
    await chmod(key, 0o644)
    const keyed = await finished(['--data-dir', join(root, 'private'), '--port', '0', '--key-file', key])
    expect(keyed.code).toBe(1)
    expect(keyed.stderr).toContain('Tệp khoá')
    expect(keyed.stderr).toContain('chmod 600')
  })

  it('one server per data dir: a second start and a restore over it are refused while it runs', async () => {
    const dataDir = join(await tempDir(), 'data')
    running.push(await startProduct(dataDir))
    const second = await finished(['--data-dir', dataDir, '--port', '0'])
    expect(second.code).toBe(1)
    expect(second.stderr).toContain('Another server')
    const backupFile = join(await tempDir(), 'b.bangtin-backup')
    expect((await finished(['backup', backupFile, '--data-dir', dataDir])).code).toBe(0)
    const restored = await finished(['restore', backupFile, '--data-dir', dataDir, '--force'])
    expect(restored.code).toBe(1)
    expect(restored.stderr).toContain('dừng nó trước khi khôi phục')
  })

  it('gc is refused while a server runs (an upload may be half-recorded); stopped, it deletes only unused media; a start sweeps too', async () => {
    const root = await tempDir()
    const dataDir = join(root, 'data')
    let product = await startProduct(dataDir)
    running.push(product)
    const image = patternBytes(30_000)
    const folder = join(root, 'content')
    await mkdir(join(folder, 'media'), { recursive: true })
    await writeFile(join(folder, 'media', 'image-0.png'), image)
    await writeFile(join(folder, 'manifest.json'), JSON.stringify(manifestFor('ban-tin-1', [{ sha: sha256(image), size: image.length }])))
    expect((await admin(product, 'POST', '/admin/publish', { folder })).status).toBe(200)
    // Bytes under their final name, no row yet: what an upload in progress looks like.
    const orphanAt = async (seed: number) => {
      const bytes = patternBytes(1_000, seed)
      await mkdir(join(dataDir, 'media', sha256(bytes).slice(0, 2)), { recursive: true })
      const path = join(dataDir, 'media', sha256(bytes).slice(0, 2), sha256(bytes))
      await writeFile(path, bytes)
      return path
    }
    const exists = (path: string) => stat(path).then(() => true, () => false)
    const published = join(dataDir, 'media', sha256(image).slice(0, 2), sha256(image))
    const first = await orphanAt(11)
    const refused = await finished(['gc', '--data-dir', dataDir])
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain('Another server')
    expect(await exists(first)).toBe(true)
    await kill9(product)
    const swept = await finished(['gc', '--data-dir', dataDir])
    expect(swept.code, swept.stderr).toBe(0)
    expect(JSON.parse(swept.stdout)).toMatchObject({ deletedFiles: 1, deletedBytes: 1_000, keptFiles: 1 })
    expect([await exists(first), await exists(published)]).toEqual([false, true])
    const second = await orphanAt(12)
    product = await startProduct(dataDir)
    running.push(product)
    expect([await exists(second), await exists(published)]).toEqual([false, true])
  })

  it('a backup taken while the server runs, restored into a new data dir, serves the same boards, programme and emergency', async () => {
    const root = await tempDir()
    const dataDir = join(root, 'data')
    const product = await startProduct(dataDir)
    running.push(product)
    const image = patternBytes(300_000)
    const folder = join(root, 'content')
    await mkdir(join(folder, 'media'), { recursive: true })
    await writeFile(join(folder, 'media', 'image-0.png'), image)
    await writeFile(join(folder, 'manifest.json'), JSON.stringify(manifestFor('ban-tin-1', [{ sha: sha256(image), size: image.length }])))
    const { token } = json<{ token: string }>(await admin(product, 'POST', '/admin/devices', { deviceId: 'board-1' }))
    expect((await admin(product, 'POST', '/admin/publish', { folder })).status).toBe(200)
    const emergency = json<{ id: string }>(await admin(product, 'POST', '/admin/emergency', { title: 'Bão số 5', ttlSec: 3600 }))

    const backupFile = join(root, 'centre.bangtin-backup')
    const taken = await finished(['backup', backupFile, '--data-dir', dataDir])
    expect(taken.code, taken.stderr).toBe(0)
    // Something changes after the backup: the restore must not have it.
    expect((await admin(product, 'POST', '/admin/devices', { deviceId: 'board-later' })).status).toBe(201)

    const elsewhere = join(root, 'restored')
    const restored = await finished(['restore', backupFile, '--data-dir', elsewhere])
    expect(restored.code, restored.stderr).toBe(0)
    const again = await startProduct(elsewhere)
    running.push(again)
    expect(again.adminToken).toBe(product.adminToken)
    const res = await rawRequest(`${again.url}${paths.manifest('board-1')}`, { headers: { authorization: `Bearer ${token}` } })
    expect(res.status).toBe(200)
    // Signed with the same province key: it came along.
    const trusted = trustedKeysFrom([{ keyId: 'k1', publicKey: await readFile(join(dataDir, 'public-key.pem'), 'utf8') }])
    const manifest = openSigned(JSON.parse(res.body.toString()), trusted) as { version: string; assets: { url: string }[]; emergencies: { id: string }[] }
    expect(manifest.version).toBe('ban-tin-1')
    expect(manifest.emergencies.map((e) => e.id)).toEqual([emergency.id])
    const asset = await rawRequest(`${again.url}${manifest.assets[0]!.url}`, { headers: { authorization: `Bearer ${token}` } })
    expect(asset.body.equals(image)).toBe(true)
    const devices = json<{ devices: { deviceId: string }[] }>(await admin(again, 'GET', '/admin/devices'))
    expect(devices.devices.map((d) => d.deviceId)).toEqual(['board-1'])
    // Restoring over a data dir that has a database needs --force.
    await kill9(again)
    const over = await finished(['restore', backupFile, '--data-dir', elsewhere])
    expect(over.code).toBe(1)
    expect(over.stderr).toContain('--force')
  })
})
