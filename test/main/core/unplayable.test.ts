// An item the screen cannot play is left out and reported, against the real reference server and a real
// video file: the manifest, the file and an item playing the same bytes correctly are untouched, and
// content published after the failure reaches the screen at once.
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { startTestServer as startReferenceServer, type TestServer as ReferenceServer } from '../../../server/testing/test-server'
import { memoryLogger } from '../../../main/core/log'
import { assemblePlayer, type PlayerParts } from '../../../main/core/start-player'
import { MemoryScreenLink } from '../../helpers/memory-link'
import { useTempDirs } from '../../helpers/temp-dir'

const DEMO = join(__dirname, '../../../assets/demo')
const CLIP = { sha256: '27b0f6ba7e8c4e97ca8c365eacb54466fc6bfbc6da5fa6962e87b02ab608cfa9', size: 150321, path: join(DEMO, 'clip.mp4') }

/** A video, once as a video item and once mislabelled as an image item (the same bytes). */
function manifest(version: string, notices: string[]): object {
  return {
    schema: 'bangtin.manifest/v1',
    version,
    playlists: [
      {
        id: 'chinh',
        name: 'Chính',
        items: [
          ...notices.map((id) => ({ id, kind: 'text', body: `Thông báo ${id}`, durationSec: 10 })),
          { id: 'clip', kind: 'video', asset: CLIP.sha256 },
          { id: 'nham', kind: 'image', asset: CLIP.sha256, durationSec: 5 }
        ]
      }
    ],
    assets: [{ sha256: CLIP.sha256, size: CLIP.size, mime: 'video/mp4', url: 'clip.mp4' }]
  }
}

describe('an item the screen cannot play', () => {
  const tempDir = useTempDirs()
  const cleanup: (() => Promise<void>)[] = []
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step()
  })

  async function setup(): Promise<{ server: ReferenceServer; player: PlayerParts }> {
    const server = await startReferenceServer({ port: 0 })
    cleanup.push(() => server.close())
    const { deviceId, token } = server.addDevice('bang-01', 'token-bang-01-0123456789')
    server.publish(manifest('v1', ['t1']), new Map([[CLIP.sha256, CLIP.path]]))
    const dataDir = await tempDir()
    await writeFile(join(dataDir, 'config.json'), JSON.stringify({ serverUrl: server.url, allowInsecureHttp: true, deviceId, token, trustedKeys: server.trustedKeys() }), { mode: 0o600 })
    const player = await assemblePlayer({ dataDir, bundledContentDir: DEMO, mediaUrl: (sha) => `/media/${sha}`, log: memoryLogger() })
    cleanup.push(() => player.stop())
    return { server, player }
  }
  const shown = (player: PlayerParts) => () => player.host.currentView.zones[0]?.program?.items.map((i) => i.id) ?? []

  it('is left out and reported; the same bytes still play as a video, and a notice published later shows at once', async () => {
    const { server, player } = await setup()
    await expect.poll(shown(player), { timeout: 20_000 }).toEqual(['t1', 'clip', 'nham'])
    await expect.poll(() => player.session?.status.push, { timeout: 20_000 }).toBe('connected')

    const screen = new MemoryScreenLink()
    player.host.attach(screen)
    screen.fromScreen('itemFailed', { itemId: 'nham', programVersion: 'v1/main/chinh', reason: 'image could not be decoded', cause: 'broken' })
    await expect.poll(shown(player)).toEqual(['t1', 'clip'])
    expect(player.cache.has(CLIP.sha256)).toBe(true)
    await expect
      .poll(() => server.problems.map((p) => p.problem as { kind: string; detail: string; ref?: string }))
      .toContainEqual(expect.objectContaining({ ref: CLIP.sha256, detail: expect.stringMatching(/item nham \(image, video\/mp4\) left out/) }))

    server.publish(manifest('v2', ['t1', 't2']), new Map())
    await expect.poll(() => player.content?.status.activeVersion, { timeout: 20_000 }).toBe('v2')
    expect(shown(player)()).toEqual(['t1', 't2', 'clip'])
  })
})
