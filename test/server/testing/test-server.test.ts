// The reference server's test extension for real: the faults the sync engine's tests rely on (a failing or
// hanging API; cut, throttled and corrupted asset bodies), and that the product server carries none of it.
import { describe, expect, it } from 'vitest'
import { ApiError, paths } from '../../../main/core/protocol/api'
import { startReferenceServer } from '../../../server/reference-server'
import { bearer, manifestFor, patternBytes, rawRequest, sha256, useReferenceServers } from '../helpers'

const image = patternBytes(100_000)
const imageSha = sha256(image)
const files = () => new Map([[imageSha, image]])

describe('test server (the reference server with fault hooks)', () => {
  const servers = useReferenceServers()

  async function withBoard() {
    const server = await servers.start()
    server.addDevice('board-1', 'token-board-1')
    return { server, manifestUrl: `${server.url}${paths.manifest('board-1')}` }
  }

  it('is the product server wrapped: the product server itself has no fault hooks, no override and no raw push', async () => {
    const product = await startReferenceServer()
    try {
      for (const hook of ['faults', 'pushRaw', 'overrideManifestBody']) expect(hook in product, hook).toBe(false)
    } finally {
      await product.close()
    }
    const { server } = await withBoard()
    for (const hook of ['faults', 'pushRaw', 'overrideManifestBody']) expect(hook in server, hook).toBe(true)
  })

  it('cuts a body after N bytes, and a Range request resumes it', async () => {
    const { server } = await withBoard()
    server.publish(manifestFor('v1', [{ sha: imageSha, size: image.length }]), files())
    const url = `${server.url}${paths.asset(imageSha)}`
    server.faults.cutAssetAfterBytes = 30_000
    const cut = await rawRequest(url, { headers: bearer('token-board-1') })
    expect(cut.status).toBe(200)
    expect(cut.complete).toBe(false)
    expect(cut.body.length).toBe(30_000)
    expect(cut.body.equals(image.subarray(0, 30_000))).toBe(true)
    server.faults.cutAssetAfterBytes = null
    const rest = await rawRequest(url, { headers: { ...bearer('token-board-1'), Range: `bytes=${cut.body.length}-` } })
    expect(rest.status).toBe(206)
    expect(Buffer.concat([cut.body, rest.body]).equals(image)).toBe(true)
  })

  it('throttles asset bodies, and lifting the throttle mid-download finishes it', async () => {
    const { server } = await withBoard()
    server.publish(manifestFor('v1', [{ sha: imageSha, size: image.length }]), files())
    server.faults.assetBytesPerSec = 20_000
    const download = rawRequest(`${server.url}${paths.asset(imageSha)}`, { headers: bearer('token-board-1') })
    await new Promise((resolve) => setTimeout(resolve, 200))
    // An upper bound only (a slow machine sends less, never more): at most ~0.2 s of 20 kB/s plus one slice.
    expect(server.stats.assetBytesSent).toBeLessThan(image.length / 2)
    server.faults.assetBytesPerSec = null
    const res = await download
    expect(res.body.equals(image)).toBe(true)
  })

  it('serves same-length wrong bytes for corrupted assets', async () => {
    const { server } = await withBoard()
    server.publish(manifestFor('v1', [{ sha: imageSha, size: image.length }]), files())
    server.faults.corruptAssets.add(imageSha)
    const res = await rawRequest(`${server.url}${paths.asset(imageSha)}`, { headers: bearer('token-board-1') })
    expect(res.status).toBe(200)
    expect(res.body.length).toBe(image.length)
    expect(sha256(res.body)).not.toBe(imageSha)
  })

  it('answers every API request with the failApi status, or never when hanging; the admin API still works', async () => {
    const { server, manifestUrl } = await withBoard()
    server.publish(manifestFor('v1', []), new Map())
    server.faults.failApi = 500
    const failed = await rawRequest(manifestUrl, { headers: bearer('token-board-1') })
    expect(failed.status).toBe(500)
    expect(ApiError.safeParse(JSON.parse(failed.body.toString())).success).toBe(true)
    expect((await rawRequest(`${server.url}/admin/devices`, { headers: bearer(server.adminToken) })).status).toBe(200)

    server.faults.failApi = 'hang'
    const hung = await Promise.race([
      rawRequest(manifestUrl, { headers: bearer('token-board-1') }).catch(() => 'dropped'),
      new Promise((resolve) => setTimeout(() => resolve('no answer'), 300))
    ])
    expect(hung).toBe('no answer')
    server.faults.failApi = null
    expect((await rawRequest(manifestUrl, { headers: bearer('token-board-1') })).status).toBe(200)
  })

  it('drops a request it holds (failApi hang) when the server stops', async () => {
    const { server, manifestUrl } = await withBoard()
    server.faults.failApi = 'hang'
    const held = rawRequest(manifestUrl, { headers: bearer('token-board-1') }).then(
      (res) => `answered ${res.status}`,
      () => 'dropped'
    )
    await expect.poll(() => server.heldRequests(), { timeout: 20_000 }).toBe(1)
    await server.stop()
    expect(await held).toBe('dropped')
    await expect.poll(() => server.heldRequests(), { timeout: 20_000 }).toBe(0)
  })
})
