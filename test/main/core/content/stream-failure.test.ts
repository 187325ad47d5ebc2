// A live stream that does not play (a dead address, an expired link) reaches the province: a real core against
// the test server, its screen saying the stream failed at each of its turns; reported once in a while, not at
// every turn, naming the stream's host and path but never its query (a link may carry a key).
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { startTestServer } from '../../../../server/testing/test-server'
import { useTempDirs } from '../../../helpers/temp-dir'
import { startBoard } from '../../../server/editorial/boards'

const STREAM_MANIFEST = {
  schema: 'bangtin.manifest/v1',
  version: 'v1',
  playlists: [
    {
      id: 'chinh',
      name: 'Chính',
      items: [
        { id: 'lich-tiem', kind: 'text', body: 'Lịch tiêm chủng', durationSec: 10 },
        { id: 'truc-tiep', kind: 'stream', url: 'https://truyenhinh.example.vn/kenh1/index.m3u8?key=bi-mat', durationSec: 60 }
      ]
    }
  ],
  assets: []
}

describe('a live stream that fails on screen', () => {
  const tempDir = useTempDirs()
  const cleanup: (() => Promise<void>)[] = []
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step()
  })

  it('is reported to the server once, with where it is and why, and not again at its next turn', async () => {
    const server = await startTestServer({ port: 0 })
    cleanup.push(() => server.close())
    server.publish(STREAM_MANIFEST, new Map())
    const dir = join(await tempDir(), 'bang')
    await mkdir(dir)
    const board = await startBoard(server, 'bang-truc-tiep', dir, cleanup)
    const failed = () => board.screen.fromScreen('itemFailed', { itemId: 'truc-tiep', programVersion: 'v1/chinh', reason: 'stream failed: networkError manifestLoadError', cause: 'other' })
    failed()
    const reported = () => server.problems.filter((p) => (p.problem as { ref?: string }).ref === 'truc-tiep').map((p) => p.problem as { kind: string; detail: string })
    await expect.poll(reported, { timeout: 20_000 }).toHaveLength(1)
    expect(reported()[0]).toMatchObject({ kind: 'download-failed', detail: expect.stringMatching(/truyenhinh\.example\.vn\/kenh1\/index\.m3u8.*manifestLoadError/) })
    expect(reported()[0]!.detail).not.toContain('bi-mat')
    // Its next turn fails the same way: no second report within the half hour (a later one would be).
    failed()
    board.screen.fromScreen('itemFailed', { itemId: 'lich-tiem', programVersion: 'v1/chinh', reason: 'not ready', cause: 'timeout' })
    // A marker after both: once it has arrived, anything the two failures sent would have too (one socket, in order).
    board.player.session!.problem('clock-skew', 'marker', 'marker')
    await expect.poll(() => server.problems.some((p) => (p.problem as { ref?: string }).ref === 'marker'), { timeout: 20_000 }).toBe(true)
    expect(reported()).toHaveLength(1)
  })
})
