// Content sync through the source session against the real reference server on 127.0.0.1: HTTP, ETag, Range, socket.io push.
import { afterEach, describe, expect, it } from 'vitest'
import { sealAddressed } from '../../../../main/core/protocol/addressed'
import { generateSigningKey, signDocument } from '../../../../main/core/protocol/signing'
import type { ReferenceServerOptions } from '../../../../server/reference-server'
import type { TestServer } from '../../../../server/testing/test-server'
import { useTempDirs } from '../../../helpers/temp-dir'
import { filesOf, makeAsset, manifestWith, startDevice, startServer, type Device } from './sync-fixture'

describe('content sync with the reference server', () => {
  const tempDir = useTempDirs()
  const cleanup: (() => Promise<void>)[] = []
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step()
  })
  async function server(options: ReferenceServerOptions = {}): Promise<TestServer> {
    const s = await startServer(options)
    cleanup.push(() => s.close())
    return s
  }
  async function device(s: TestServer, dataDir: string, opts = {}): Promise<Device> {
    const d = await startDevice(s, dataDir, opts)
    cleanup.push(() => d.stop())
    return d
  }

  it('first sync downloads everything, verifies it and activates the manifest', async () => {
    const s = await server()
    const assets = [makeAsset(200_000), makeAsset(50_000)]
    s.addDevice('bang-tin-01', 'token-bang-tin-01-0123456789')
    s.publish(manifestWith('v1', assets), filesOf(assets))
    const d = await device(s, await tempDir())
    await expect.poll(() => d.activated.map((m) => m.version)).toEqual(['v1'])
    for (const asset of assets) expect(d.cache.has(asset.sha256)).toBe(true)
    expect((await d.store.load('active'))?.manifest.version).toBe('v1')
    expect(d.engine.status).toMatchObject({ state: 'up-to-date', activeVersion: 'v1', pendingVersion: null })
    expect(d.session.status.clockOffsetMs).not.toBeNull()
    await expect.poll(() => s.acks.map((a) => (a.ack as { id: string }).id)).toContain('v1')
  })

  it('a push brings a newly published manifest without waiting for the poll', async () => {
    const s = await server()
    const a = makeAsset(10_000)
    s.addDevice('bang-tin-01', 'token-bang-tin-01-0123456789')
    s.publish(manifestWith('v1', [a]), filesOf([a]))
    const d = await device(s, await tempDir())
    await expect.poll(() => d.activated.length).toBe(1)
    await expect.poll(() => d.session.status.push).toBe('connected')
    const b = makeAsset(10_000)
    s.publish(manifestWith('v2', [a, b]), filesOf([a, b]))
    // The poll interval is an hour: only the push can explain v2 arriving now.
    await expect.poll(() => d.activated.map((m) => m.version)).toEqual(['v1', 'v2'])
  })

  it('an unchanged manifest costs a 304 and no downloads', async () => {
    const s = await server()
    const a = makeAsset(30_000)
    s.addDevice('bang-tin-01', 'token-bang-tin-01-0123456789')
    s.publish(manifestWith('v1', [a]), filesOf([a]))
    const d = await device(s, await tempDir())
    await expect.poll(() => d.activated.length).toBe(1)
    const assetRequests = s.stats.assetRequests
    await d.engine.syncNow('test')
    await d.engine.syncNow('test')
    expect(s.stats.manifest304).toBeGreaterThanOrEqual(2)
    expect(s.stats.assetRequests).toBe(assetRequests)
    expect(d.activated).toHaveLength(1)
  })

  it('resumes a cut download with HTTP Range instead of starting over', async () => {
    const s = await server()
    const big = makeAsset(1_000_000)
    // Every response is cut after 300 kB: only resuming where the last one stopped can ever finish.
    s.faults.cutAssetAfterBytes = 300_000
    s.addDevice('bang-tin-01', 'token-bang-tin-01-0123456789')
    s.publish(manifestWith('v1', [big]), filesOf([big]))
    const d = await device(s, await tempDir())
    await expect.poll(() => d.activated.map((m) => m.version), { timeout: 15_000 }).toEqual(['v1'])
    expect(d.cache.has(big.sha256)).toBe(true)
    expect(s.stats.rangeRequests).toBeGreaterThanOrEqual(3)
    // Bytes in flight at each cut are lost, but nothing like a restart from zero.
    expect(s.stats.assetBytesSent).toBeLessThan(big.bytes.length * 1.6)
  })

  it('quarantines an asset with the wrong bytes and reports it; the manifest activates without it', async () => {
    const s = await server()
    const good = makeAsset(20_000)
    s.addDevice('bang-tin-01', 'token-bang-tin-01-0123456789')
    s.publish(manifestWith('v1', [good]), filesOf([good]))
    const d = await device(s, await tempDir())
    await expect.poll(() => d.activated.length).toBe(1)
    const bad = makeAsset(20_000)
    s.faults.corruptAssets.add(bad.sha256)
    s.publish(manifestWith('v2', [good, bad]), filesOf([good, bad]))
    await expect.poll(() => d.activated.map((m) => m.version)).toEqual(['v1', 'v2'])
    expect(d.cache.isQuarantined(bad.sha256)).toBe(true)
    expect(d.cache.has(bad.sha256)).toBe(false)
    expect(d.engine.status).toMatchObject({ state: 'up-to-date', activeVersion: 'v2', pendingVersion: null })
    const problem = s.problems.map((p) => p.problem as { kind: string; detail: string; ref?: string }).find((p) => p.ref === bad.sha256)
    expect(problem).toMatchObject({ kind: 'asset-quarantined', detail: expect.stringMatching(/img-1-\w+ left out.*bytes do not match/) })
  })

  it('server down: a restarted board plays its stored manifest offline, then recovers when the server returns', async () => {
    const s = await server()
    const dataDir = await tempDir()
    const a = makeAsset(40_000)
    s.addDevice('bang-tin-01', 'token-bang-tin-01-0123456789')
    s.publish(manifestWith('v1', [a]), filesOf([a]))
    const first = await startDevice(s, dataDir)
    await expect.poll(() => first.activated.length).toBe(1)
    await first.stop()

    await s.stop()
    const offline = await device(s, dataDir)
    // Offline, the stored manifest is what plays (its files verified at boot)…
    expect(offline.engine.activeManifest?.version).toBe('v1')
    expect(offline.cache.has(a.sha256)).toBe(true)
    await expect.poll(() => offline.engine.status.state).toBe('retrying')
    expect(offline.engine.status.lastError).toBeTruthy()

    // …and the board catches up by itself once the server is back.
    await s.start()
    const b = makeAsset(40_000)
    s.publish(manifestWith('v2', [b]), filesOf([b]))
    await expect.poll(() => offline.activated.map((m) => m.version), { timeout: 10_000 }).toEqual(['v2'])
  })

  it('evicts files no manifest needs any more to stay within the disk quota, never the playing ones', async () => {
    const s = await server()
    const [a, b, c] = [makeAsset(100_000), makeAsset(100_000), makeAsset(100_000)]
    s.addDevice('bang-tin-01', 'token-bang-tin-01-0123456789')
    s.publish(manifestWith('v1', [a, b]), filesOf([a, b]))
    const d = await device(s, await tempDir(), { quotaBytes: 250_000 })
    await expect.poll(() => d.activated.length).toBe(1)
    s.publish(manifestWith('v2', [a]), filesOf([a]))
    await expect.poll(() => d.activated.length).toBe(2)
    expect(d.cache.has(b.sha256)).toBe(true) // unreferenced, but kept while there is room
    s.publish(manifestWith('v3', [a, c]), filesOf([a, c]))
    await expect.poll(() => d.activated.map((m) => m.version)).toEqual(['v1', 'v2', 'v3'])
    expect(d.cache.has(a.sha256)).toBe(true)
    expect(d.cache.has(c.sha256)).toBe(true)
    expect(d.cache.has(b.sha256)).toBe(false)
    expect(d.cache.stats().verifiedBytes).toBeLessThanOrEqual(250_000)
  })

  it('reports a file too big for the quota and plays the rest of its manifest without it', async () => {
    const s = await server()
    const small = makeAsset(10_000)
    s.addDevice('bang-tin-01', 'token-bang-tin-01-0123456789')
    s.publish(manifestWith('v1', [small]), filesOf([small]))
    const d = await device(s, await tempDir(), { quotaBytes: 100_000 })
    await expect.poll(() => d.activated.length).toBe(1)
    const huge = makeAsset(200_000)
    s.publish(manifestWith('v2', [small, huge]), filesOf([small, huge]))
    await expect.poll(() => s.problems.map((p) => (p.problem as { kind: string }).kind)).toContain('quota-exceeded')
    await expect.poll(() => d.engine.activeManifest?.version).toBe('v2')
    expect(d.cache.has(small.sha256)).toBe(true)
    expect(d.cache.has(huge.sha256)).toBe(false)
  })

  it('a failing or hanging server changes nothing on screen, and the board recovers when it answers again', async () => {
    const s = await server()
    const a = makeAsset(5_000)
    s.addDevice('bang-tin-01', 'token-bang-tin-01-0123456789')
    s.publish(manifestWith('v1', [a]), filesOf([a]))
    const d = await device(s, await tempDir())
    await expect.poll(() => d.activated.length).toBe(1)

    s.faults.failApi = 500
    s.publish(manifestWith('v2', [a]), filesOf([a]))
    await d.engine.syncNow('test')
    expect(d.engine.status).toMatchObject({ state: 'retrying', activeVersion: 'v1' })
    expect(d.engine.status.lastError).toMatch(/500/)

    s.faults.failApi = 'hang'
    await d.engine.syncNow('test')
    expect(d.engine.status.lastError).toMatch(/no answer .* within 2000 ms/)
    expect(d.engine.activeManifest?.version).toBe('v1')

    s.faults.failApi = null
    await expect.poll(() => d.activated.map((m) => m.version), { timeout: 10_000 }).toEqual(['v1', 'v2'])
  })

  it.each(['file:///etc/passwd', 'ftp://127.0.0.1/x.png', 'javascript:alert(1)', 'data:image/png;base64,AAAA'])(
    'refuses to fetch an asset from %s: the item is left out and reported',
    async (url) => {
      const s = await server()
      const a = makeAsset(5_000)
      s.addDevice('bang-tin-01', 'token-bang-tin-01-0123456789')
      s.publish(manifestWith('v1', [a]), filesOf([a]))
      const d = await device(s, await tempDir())
      await expect.poll(() => d.activated.length).toBe(1)
      const evil = makeAsset(5_000)
      const doc = manifestWith('v-evil', [evil]) as { assets: { url: string }[] }
      doc.assets[0]!.url = url
      s.overrideManifestBody(s.signedBody(doc, { kind: 'manifest', deviceId: 'bang-tin-01' }))
      await d.engine.syncNow('test')
      await expect.poll(() => s.problems.map((p) => (p.problem as { kind: string }).kind)).toContain('download-failed')
      // The manifest's text notice plays; the item with the refused file does not.
      await expect.poll(() => d.engine.activeManifest?.version).toBe('v-evil')
      expect(d.cache.has(evil.sha256)).toBe(false)
    }
  )

  it('reports a device clock that disagrees with the server (a dead RTC), once', async () => {
    // A number, as the option asks (a Date here once made every served expiry equal its issue time).
    const s = await server({ now: () => Date.now() + 3_600_000 })
    const a = makeAsset(5_000)
    s.addDevice('bang-tin-01', 'token-bang-tin-01-0123456789')
    s.publish(manifestWith('v1', [a]), filesOf([a]))
    const d = await device(s, await tempDir())
    await expect.poll(() => d.activated.length).toBe(1)
    await d.engine.syncNow('test')
    expect(d.session.status.clockOffsetMs).toBeGreaterThan(3_590_000)
    await expect.poll(() => s.problems.filter((p) => (p.problem as { kind: string }).kind === 'clock-skew').length).toBe(1)
  })

  describe('signed content', () => {
    const key = generateSigningKey()

    async function signedSetup() {
      const s = await server({ signingKey: { keyId: 'tinh-2026', privateKeyPem: key.privateKeyPem } })
      const a = makeAsset(5_000)
      s.addDevice('bang-tin-01', 'token-bang-tin-01-0123456789')
      s.publish(manifestWith('v1', [a]), filesOf([a]))
      const d = await device(s, await tempDir())
      await expect.poll(() => d.activated.map((m) => m.version)).toEqual(['v1'])
      return { s, d, a }
    }
    const refusals = (s: TestServer) =>
      s.problems.filter((p) => (p.problem as { kind: string }).kind === 'signature-refused').map((p) => (p.problem as { detail: string }).detail)

    it('accepts a manifest signed by the province key', async () => {
      await signedSetup()
    })

    it('refuses an unsigned manifest', async () => {
      const { s, d, a } = await signedSetup()
      s.overrideManifestBody(JSON.stringify(manifestWith('v-unsigned', [a])))
      await d.engine.syncNow('test')
      await expect.poll(() => refusals(s).join()).toMatch(/unsigned/)
      expect(d.engine.activeManifest?.version).toBe('v1')
    })

    it('refuses a tampered manifest', async () => {
      const { s, d, a } = await signedSetup()
      const envelope = signDocument(manifestWith('v-real', [a]), 'tinh-2026', key.privateKeyPem)
      s.overrideManifestBody(JSON.stringify({ ...envelope, payload: envelope.payload.replace('v-real', 'v-fake') }))
      await d.engine.syncNow('test')
      await expect.poll(() => refusals(s).join()).toMatch(/altered or forged/)
      expect(d.engine.activeManifest?.version).toBe('v1')
    })

    it('refuses a manifest signed by an unknown key', async () => {
      const { s, d, a } = await signedSetup()
      const other = generateSigningKey()
      s.overrideManifestBody(JSON.stringify(signDocument(manifestWith('v-other', [a]), 'ke-gian', other.privateKeyPem)))
      await d.engine.syncNow('test')
      await expect.poll(() => refusals(s).join()).toMatch(/unknown key/)
      expect(d.engine.activeManifest?.version).toBe('v1')
    })

    it('refuses an expired (replayed) manifest', async () => {
      const { s, d, a } = await signedSetup()
      const validity = { issuedAt: Date.parse('2019-12-01T00:00:00Z'), expiresAt: Date.parse('2020-01-01T00:00:00Z') }
      const old = sealAddressed('manifest', { deviceIds: ['bang-tin-01'] }, manifestWith('v-old', [a]), validity, { keyId: 'tinh-2026', privateKey: key.privateKeyPem })
      s.overrideManifestBody(JSON.stringify(old))
      await d.engine.syncNow('test')
      await expect.poll(() => refusals(s).join()).toMatch(/expired/)
      expect(d.engine.activeManifest?.version).toBe('v1')
    })
  })
})
