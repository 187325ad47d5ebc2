// A bad file never holds back a manifest: against the real reference server, a file with the wrong bytes,
// an empty file behind the server's headers, or an empty answer from another host is left out (reported),
// the rest activates at once, and the file is tried again after a growing back-off.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { truncate, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { TestServer } from '../../../../server/testing/test-server'
import type { Manifest } from '../../../../main/core/protocol/manifest'
import { useTempDirs } from '../../../helpers/temp-dir'
import { filesOf, makeAsset, manifestWith, startDevice, startServer, type Device } from './sync-fixture'

type SentProblem = { kind: string; detail: string; ref?: string }

describe('files set aside, manifests not held back', () => {
  const tempDir = useTempDirs()
  const cleanup: (() => Promise<void>)[] = []
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step()
  })
  async function server(): Promise<TestServer> {
    const s = await startServer()
    cleanup.push(() => s.close())
    s.addDevice('bang-tin-01', 'token-bang-tin-01-0123456789')
    return s
  }
  async function device(s: TestServer, arrived: Manifest[] = []): Promise<Device> {
    // Back-offs short enough for a test; the order of events is what is checked, not their timing.
    const d = await startDevice(s, await tempDir(), { engine: { setAsideBaseMs: 300, onFilesArrived: (m) => arrived.push(m) } })
    cleanup.push(() => d.stop())
    return d
  }
  const problemsFor = (s: TestServer, sha: string) => () =>
    s.problems.map((p) => p.problem as SentProblem).filter((p) => p.ref === sha)
  const itemIds = (m: Manifest | null | undefined) => m?.playlists.flatMap((p) => p.items.map((i) => i.id)) ?? []

  it('a file with the wrong bytes does not delay a notice published after it; the file comes once it is right', async () => {
    const s = await server()
    const good = makeAsset(20_000)
    const bad = makeAsset(20_000)
    s.faults.corruptAssets.add(bad.sha256)
    s.publish(manifestWith('v1', [good, bad]), filesOf([good, bad]))
    const arrived: Manifest[] = []
    const d = await device(s, arrived)
    await expect.poll(() => d.activated.map((m) => m.version)).toEqual(['v1'])
    expect(d.cache.has(good.sha256)).toBe(true)
    expect(d.cache.has(bad.sha256)).toBe(false)
    await expect.poll(problemsFor(s, bad.sha256)).toContainEqual(expect.objectContaining({ kind: 'asset-quarantined' }))

    // A new notice 30 s later (here: at once) is on the board without waiting for the bad file's back-off.
    s.publish(manifestWith('v2', [good, bad]), filesOf([good, bad]))
    await expect.poll(() => d.activated.map((m) => m.version)).toEqual(['v1', 'v2'])
    expect(itemIds(d.engine.activeManifest)).toContain('t-v2')

    // The server's file is put right: after its back-off the board has it, and says so.
    s.faults.corruptAssets.delete(bad.sha256)
    await expect.poll(() => d.cache.has(bad.sha256), { timeout: 20_000 }).toBe(true)
    await expect.poll(() => arrived.map((m) => m.version)).toContain('v2')
    expect(d.activated.map((m) => m.version)).toEqual(['v1', 'v2'])
  })

  it('an empty file behind the server’s headers is reported and left out after a few fruitless tries, then fetched once it is there', async () => {
    const s = await server()
    const text = makeAsset(5_000)
    const video = makeAsset(30_000)
    // Published from a file that is then emptied on the server's disk: the headers promise 30 000 bytes, none come.
    const path = join(await tempDir(), 'video.mp4')
    await writeFile(path, video.bytes)
    s.publish(manifestWith('v1', [text, video]), new Map<string, Buffer | string>([[text.sha256, text.bytes], [video.sha256, path]]))
    await truncate(path, 0)
    const d = await device(s)
    await expect.poll(() => d.activated.map((m) => m.version), { timeout: 20_000 }).toEqual(['v1'])
    expect(d.cache.has(text.sha256)).toBe(true)
    expect(d.cache.has(video.sha256)).toBe(false)
    expect(problemsFor(s, video.sha256)()).toContainEqual(
      expect.objectContaining({ kind: 'download-failed', detail: expect.stringMatching(/left out.*sent none of its 30000 bytes in 3 tries/) })
    )

    await writeFile(path, video.bytes)
    await expect.poll(() => d.cache.has(video.sha256), { timeout: 20_000 }).toBe(true)
  })

  it('a 0-byte answer from another host (Content-Length: 0) is the wrong file at the first try, not a cut to retry forever', async () => {
    const s = await server()
    let body: Buffer = Buffer.alloc(0)
    const cdn: Server = createServer((_req, res) => res.writeHead(200, { 'Content-Length': body.length }).end(body))
    await new Promise<void>((resolve) => cdn.listen(0, '127.0.0.1', resolve))
    cleanup.push(() => new Promise<void>((resolve) => cdn.close(() => resolve())))
    const text = makeAsset(5_000)
    const image = makeAsset(8_000)
    const doc = manifestWith('v1', [text, image]) as { assets: { url: string }[] }
    doc.assets[1]!.url = `http://127.0.0.1:${(cdn.address() as AddressInfo).port}/anh.png`
    s.publish(doc, filesOf([text]))
    const d = await device(s)
    await expect.poll(() => d.activated.map((m) => m.version)).toEqual(['v1'])
    expect(d.cache.has(image.sha256)).toBe(false)
    // Judged on the bytes (a verification failure), not after a count of fruitless tries.
    expect(problemsFor(s, image.sha256)()[0]).toMatchObject({ kind: 'asset-quarantined', detail: expect.stringMatching(/img-1-\w+ left out.*got 0 bytes/) })

    body = image.bytes
    await expect.poll(() => d.cache.has(image.sha256), { timeout: 20_000 }).toBe(true)
  })

  it('a busy server (503) holds the manifest back instead: nothing is set aside, and all of it comes when the server recovers', async () => {
    const s = await server()
    const image = makeAsset(8_000)
    let busy = true
    let asked = 0
    const cdn: Server = createServer((_req, res) => {
      asked += 1
      if (busy) res.writeHead(503, { 'Content-Length': 0 }).end()
      else res.writeHead(200, { 'Content-Length': image.bytes.length }).end(image.bytes)
    })
    await new Promise<void>((resolve) => cdn.listen(0, '127.0.0.1', resolve))
    cleanup.push(() => new Promise<void>((resolve) => cdn.close(() => resolve())))
    const doc = manifestWith('v1', [image]) as { assets: { url: string }[] }
    doc.assets[0]!.url = `http://127.0.0.1:${(cdn.address() as AddressInfo).port}/anh.png`
    s.publish(doc, new Map())
    const d = await device(s)
    await expect.poll(() => asked, { timeout: 20_000 }).toBeGreaterThan(4)
    expect(d.activated).toEqual([])
    expect(problemsFor(s, image.sha256)()).toEqual([])
    busy = false
    await expect.poll(() => d.activated.map((m) => m.version), { timeout: 20_000 }).toEqual(['v1'])
    expect(d.cache.has(image.sha256)).toBe(true)
  })
})
