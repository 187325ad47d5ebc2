// Crash safety, for real: a child process syncing large assets is killed with SIGKILL at random
// points, again and again. After every kill the cache holds no corrupt or partial file in place, the
// stored manifests are readable, and in the end the board reaches the newest manifest.
import { spawn, type ChildProcess } from 'node:child_process'
import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ContentCache } from '../../../../main/core/cache/content-cache'
import { ManifestStore } from '../../../../main/core/content/manifest-store'
import { memoryLogger } from '../../../../main/core/log'
import type { TestServer } from '../../../../server/testing/test-server'
import { useTempDirs } from '../../../helpers/temp-dir'
import { filesOf, makeAsset, manifestWith, startServer } from './sync-fixture'

const CHILD = join(__dirname, 'fixtures', 'sync-child.ts')
const KILLS = 50

function startChild(server: TestServer, dataDir: string, token: string) {
  const [key] = server.trustedKeys()
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', CHILD, server.url, dataDir, 'crash-board', token, key!.keyId, key!.publicKey], {
    stdio: ['ignore', 'pipe', 'ignore']
  })
  const lines: string[] = []
  createInterface({ input: child.stdout! }).on('line', (line) => lines.push(line))
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  return { child, lines, exited }
}

describe('sync survives kill -9 at random points', () => {
  const tempDir = useTempDirs()
  let server: TestServer
  beforeAll(async () => {
    server = await startServer()
  })
  afterAll(async () => server?.close())

  it(`${KILLS} kills, then the newest manifest is reached with every file verified`, async () => {
    const dataDir = await tempDir()
    const { token } = server.addDevice('crash-board', 'token-crash-board-0123456789')
    const v1 = [makeAsset(6_000_000), makeAsset(6_000_000), makeAsset(3_000_000)]
    const v2 = [v1[0]!, makeAsset(6_000_000), makeAsset(3_000_000)]
    server.publish(manifestWith('v1', v1), filesOf(v1))
    // Slow enough that most kills land in the middle of a download.
    server.faults.assetBytesPerSec = 3_000_000

    let killedMidDownload = 0
    for (let i = 0; i < KILLS; i++) {
      if (i === KILLS / 2) server.publish(manifestWith('v2', v2), filesOf(v2))
      const run = startChild(server, dataDir, token)
      if (i % 4 === 0) {
        // Anywhere in start-up: boot verification, reading stored manifests, the manifest fetch.
        await Promise.race([run.exited, new Promise((r) => setTimeout(r, Math.random() * 700))])
      } else {
        // Deep in a download: after bytes started moving, at a random moment. However slowly the child
        // starts on a loaded machine, it either moves bytes or finds nothing left to fetch.
        await expect
          .poll(() => run.lines.some((l) => l.startsWith('PROGRESS') || l === 'UP-TO-DATE'), { timeout: 30_000 })
          .toBe(true)
          .catch(() => {})
        await new Promise((r) => setTimeout(r, Math.random() * 400))
      }
      const progressed = run.lines.some((l) => l.startsWith('PROGRESS'))
      run.child.kill('SIGKILL')
      await run.exited
      if (progressed) killedMidDownload++

      // Nothing corrupt or partial is in place: every object's bytes match its name.
      const cache = new ContentCache(join(dataDir, 'cache'))
      await cache.open()
      expect(await cache.verifyAll(), `kill ${i}: corrupt objects`).toEqual([])
      const names = await readdir(join(dataDir, 'cache', 'objects'), { recursive: true })
      expect(names.filter((n) => /\.(part|tmp)$/.test(n)), `kill ${i}: partial files among objects`).toEqual([])
      // The stored manifests are whole (atomic writes), whatever moment the kill hit.
      const log = memoryLogger()
      const store = new ManifestStore(join(dataDir, 'state'), log)
      await store.load('active')
      await store.load('pending')
      expect(log.records.filter((r) => r.level === 'error'), `kill ${i}: unreadable stored manifest`).toEqual([])
    }
    console.info(`crash test: ${KILLS} kills, ${killedMidDownload} of them mid-download`)
    expect(killedMidDownload).toBeGreaterThanOrEqual(KILLS / 4)

    server.faults.assetBytesPerSec = null
    const last = startChild(server, dataDir, token)
    await expect.poll(() => last.lines.includes('ACTIVE v2') || last.lines.includes('STARTED v2'), { timeout: 30_000 }).toBe(true)
    last.child.kill('SIGKILL')
    await last.exited
    const cache = new ContentCache(join(dataDir, 'cache'))
    await cache.open()
    expect(await cache.verifyAll()).toEqual([])
    for (const asset of v2) expect(cache.has(asset.sha256)).toBe(true)
  }, 180_000)
})
