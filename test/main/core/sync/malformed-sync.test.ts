// Every malformed manifest the server could send is refused and reported; the last good one keeps playing.
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { TestServer } from '../../../../server/testing/test-server'
import { useTempDirs } from '../../../helpers/temp-dir'
import { MALFORMED, validManifest } from '../protocol/malformed-manifests'
import { filesOf, makeAsset, manifestWith, startDevice, startServer, type Device } from './sync-fixture'

describe('malformed manifests from the server', () => {
  const tempDir = useTempDirs()
  let server: TestServer
  let device: Device

  beforeAll(async () => {
    server = await startServer()
    const a = makeAsset(5_000)
    server.addDevice('bang-tin-01', 'token-bang-tin-01-0123456789')
    server.publish(manifestWith('good', [a]), filesOf([a]))
  })
  afterAll(async () => {
    await device?.stop()
    await server?.close()
  })

  async function refused(body: string): Promise<void> {
    const before = server.problems.length
    server.overrideManifestBody(body)
    await device.engine.syncNow('test')
    expect(device.engine.activeManifest?.version).toBe('good')
    // The refusal is reported to the server (over the push channel, so it may land a moment later).
    await expect.poll(() => server.problems.length).toBeGreaterThan(before)
  }

  it('starts from a good manifest', async () => {
    device = await startDevice(server, await tempDir())
    await expect.poll(() => device.activated.map((m) => m.version)).toEqual(['good'])
    await expect.poll(() => device.session.status.push).toBe('connected')
  })

  it.each(MALFORMED)('refuses a manifest with %s', async (_name, mutate) => {
    // Signed, so it is the manifest's own shape that is refused, not a missing signature.
    await refused(server.signedBody(mutate(validManifest()), { kind: 'manifest', deviceId: 'bang-tin-01' }))
  })

  it.each(['', 'not json', '{"schema":', '\u0000\u0001', '[]'])('refuses a body of %j', async (body) => {
    await refused(body)
  })

  it('refuses generated near-miss manifests (fast-check)', async () => {
    // Valid manifests with one field replaced by an arbitrary JSON value of the wrong shape.
    const fields = ['schema', 'playlists', 'assets', 'layout', 'emergencies', 'displayHours']
    const samples = fc.sample(
      fc.tuple(fc.constantFrom(...fields), fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.integer(), { minLength: 1 }), fc.dictionary(fc.string(), fc.integer(), { minKeys: 1 }))),
      { numRuns: 25, seed: 2026 }
    )
    let tried = 0
    for (const [field, value] of samples) {
      const candidate: Record<string, unknown> = { ...validManifest(), [field]: value }
      await refused(server.signedBody(candidate, { kind: 'manifest', deviceId: 'bang-tin-01' }))
      tried++
    }
    expect(tried).toBe(25)
  })
})
