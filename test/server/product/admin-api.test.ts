// The admin API in the product (the ADMIN_TOKEN printed at start bypasses roles and approval): it answers only
// on the server machine, even when the server listens on every address for the officers' browsers; every
// change it makes is in the audit log; `--admin-api off` turns it off. A real product child on a real port.
import SQLite from 'better-sqlite3'
import { networkInterfaces } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { useTempDirs } from '../../helpers/temp-dir'
import { rawRequest } from '../helpers'
import { ConsoleSession, startProductLines, type StartedProduct } from './console-client'
import { buildProduct, kill9, removeBuild } from './product-process'

/** An address of this machine that is not loopback (how a LAN neighbour reaches it), or null where there is none. */
function lanAddress(): string | null {
  for (const list of Object.values(networkInterfaces())) {
    for (const address of list ?? []) if (address.family === 'IPv4' && !address.internal) return address.address
  }
  return null
}

const auditOf = (dataDir: string) => {
  const db = new SQLite(join(dataDir, 'bangtin.sqlite'), { readonly: true, fileMustExist: true })
  try {
    return db.prepare("SELECT action, target, address, detail FROM audit_log WHERE action = 'admin-api' ORDER BY id").all() as { action: string; target: string; address: string; detail: string }[]
  } finally {
    db.close()
  }
}

describe('product: the admin API', () => {
  const tempDir = useTempDirs()
  beforeAll(buildProduct)
  afterAll(removeBuild)
  const running: StartedProduct[] = []
  afterEach(async () => {
    await Promise.all(running.splice(0).map(kill9))
  })

  const post = (url: string, token: string, path: string, body: unknown) =>
    rawRequest(`${url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) })

  it('answers on this machine and audits each change; refuses a neighbour on the LAN even with the token', async () => {
    const dataDir = join(await tempDir(), 'data')
    const product = await startProductLines(dataDir, ['--host', '0.0.0.0'])
    running.push(product)
    const port = new URL(product.url).port
    const local = await post(`http://127.0.0.1:${port}`, product.adminToken, '/admin/devices', { deviceId: 'bang-thu' })
    expect(local.status).toBe(201)
    // A wrong token is not audited (noise), but a refused change by the right token would be.
    expect((await post(`http://127.0.0.1:${port}`, 'sai', '/admin/devices', { deviceId: 'x' })).status).toBe(401)
    await expect.poll(() => auditOf(dataDir).length, { timeout: 20_000 }).toBe(1)
    expect(auditOf(dataDir)[0]).toMatchObject({ target: 'POST /admin/devices', address: expect.stringMatching(/127\.0\.0\.1/) })
    expect(JSON.parse(auditOf(dataDir)[0]!.detail)).toEqual({ status: 201, via: 'admin-token' })
    // The province's administrator reads it on Nhật ký (an entry of no unit); a district's administrator does not.
    const admin = await ConsoleSession.firstSignIn(product.url, product.firstAdmin!.username, product.firstAdmin!.password, 'quản-trị-tỉnh-2026')
    const province = (await admin.ok<{ unit: { id: string } }>('GET', '/console/api/me')).unit.id
    const log = await admin.ok<{ entries: { action: string; target: string; userName: string | null }[] }>('GET', '/console/api/audit')
    expect(log.entries.filter((e) => e.action === 'admin-api')).toEqual([expect.objectContaining({ target: 'POST /admin/devices', userName: null })])
    expect(log.entries.find((e) => e.action === 'password-changed')).toMatchObject({ userName: expect.any(String) })
    const district = await admin.ok<{ id: string }>('POST', '/console/api/units', { parentId: province, name: 'Huyện Ninh Phước' })
    const made = await admin.ok<{ password: string }>('POST', '/console/api/users', { unitId: district.id, username: 'qthuyen', displayName: 'Lê Văn Huyện', role: 'quan-tri' })
    const districtAdmin = await ConsoleSession.firstSignIn(product.url, 'qthuyen', made.password, 'quản-trị-huyện-2026')
    const theirs = await districtAdmin.ok<{ entries: { action: string }[] }>('GET', '/console/api/audit')
    expect(theirs.entries.some((e) => e.action === 'admin-api')).toBe(false)

    const lan = lanAddress()
    if (lan === null) return // no LAN address on this machine: only loopback could be tried
    const neighbour = await post(`http://${lan}:${port}`, product.adminToken, '/admin/emergency', { title: 'GIẢ MẠO', ttlSec: 600 })
    expect(neighbour.status).toBe(403)
    expect(JSON.parse(neighbour.body.toString()).error).toMatchObject({ code: 'admin-api-loopback-only' })
    // The console is still reachable from the LAN (it has its own sign-in).
    expect((await rawRequest(`http://${lan}:${port}/console/api/me`)).status).toBe(401)
  }, 60_000)

  it('--admin-api off: the token is not printed and the API answers 404', async () => {
    const product = await startProductLines(join(await tempDir(), 'data'), ['--admin-api', 'off'])
    running.push(product)
    expect(product.adminToken).toBe('-')
    const res = await rawRequest(`${product.url}/admin/devices`)
    expect(res.status).toBe(404)
    expect(JSON.parse(res.body.toString()).error.code).toBe('admin-api-off')
  }, 60_000)
})
