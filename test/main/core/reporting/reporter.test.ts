// The reporting chain for real: the core (startPlayer) against the reference server on 127.0.0.1,
// a screen attached through an in-memory link that plays, answers pings, and reports what it showed.
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { memoryLogger } from '../../../../main/core/log'
import type { ShellControls } from '../../../../main/core/shell-controls'
import { assemblePlayer, type PlayerParts } from '../../../../main/core/start-player'
import { startTestServer, type TestServer } from '../../../../server/testing/test-server'
import { MemoryScreenLink } from '../../../helpers/memory-link'
import { useTempDirs } from '../../../helpers/temp-dir'

describe('Reporter with the reference server', () => {
  const tempDir = useTempDirs()
  const cleanup: (() => Promise<void>)[] = []
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step()
  })

  async function setup(
    options: { config?: object; shell?: ShellControls; before?: (dataDir: string) => Promise<void> } = {}
  ): Promise<{ server: TestServer; player: PlayerParts; screen: MemoryScreenLink }> {
    const server = await startTestServer({ port: 0 })
    cleanup.push(() => server.close())
    const { deviceId, token } = server.addDevice('bao-cao-01', 'token-bao-cao-01-0123456789')
    server.publish(
      { schema: 'bangtin.manifest/v1', version: 'v1', playlists: [{ id: 'p', name: 'p', items: [{ id: 'tin', kind: 'text', body: 'Bản tin', durationSec: 10 }] }], assets: [] },
      new Map()
    )
    const dataDir = await tempDir()
    await writeFile(join(dataDir, 'config.json'), JSON.stringify({ serverUrl: server.url, allowInsecureHttp: true, deviceId, token, boardName: 'UBND xã Phú An', trustedKeys: server.trustedKeys(), ...options.config }),
      { mode: 0o600 }
    )
    await options.before?.(dataDir)
    const player = await assemblePlayer({
      dataDir,
      bundledContentDir: join(__dirname, '../../../../assets/demo'),
      mediaUrl: (s) => `/media/${s}`,
      log: memoryLogger(),
      appVersion: '9.9.9',
      shell: options.shell
    })
    cleanup.push(() => player.stop())
    const screen = new MemoryScreenLink()
    player.host.attach(screen)
    screen.fromScreen('ready', { userAgent: 'test screen' })
    return { server, player, screen }
  }

  it('sends a heartbeat with the fields a district centre needs', async () => {
    const { server, player } = await setup()
    await expect.poll(() => player.content?.status.activeVersion).toBe('v1')
    await expect.poll(() => server.latestHeartbeat('bao-cao-01')).not.toBeNull()
    const heartbeat = server.latestHeartbeat('bao-cao-01')!
    expect(heartbeat).toMatchObject({ deviceId: 'bao-cao-01', deviceName: 'UBND xã Phú An', app: { version: '9.9.9' } })
    expect(heartbeat.os.platform).toBe(process.platform)
    expect(heartbeat.appUptimeSec).toBeGreaterThanOrEqual(0)
    for (const field of ['bootAt', 'screen', 'emergency', 'network', 'sync', 'cache', 'display', 'clock', 'update']) expect(heartbeat).toHaveProperty(field)
  })

  it('sends a heartbeat as soon as the state changes, not only every minute', async () => {
    const { server, player } = await setup()
    await expect.poll(() => player.content?.status.activeVersion).toBe('v1')
    const emergency = server.emergency({ title: 'Cảnh báo lũ', ttlSec: 600 }) as { id: string }
    await expect.poll(() => player.host.currentView.emergency?.id).toBe(emergency.id)
    // The interval is a minute; the change is reported within the next status tick (+ the 5 s flood guard).
    await expect.poll(() => server.latestHeartbeat('bao-cao-01')?.emergency?.id, { timeout: 15_000 }).toBe(emergency.id)
  }, 30_000)

  it('uploads the uptime ledger kept from before a restart as soon as it is connected', async () => {
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' }).format(new Date())
    const { server } = await setup({
      before: async (dataDir) => {
        await mkdir(join(dataDir, 'state'), { recursive: true })
        const ledger = { version: 1, days: { [today]: { upMs: 3_000_000, downMs: 600_000 } }, last: null, session: null, clockUnset: { upMs: 0, downMs: 0 } }
        await writeFile(join(dataDir, 'state', 'uptime.json'), JSON.stringify(ledger))
      }
    })
    await expect.poll(() => server.uptimeDays('bao-cao-01')).toContainEqual({ date: today, upSeconds: 3000, downSeconds: 600, expectedSeconds: 3600, percent: 83.3 })
  })

  it('tells the screen its status: device, server, network, versions', async () => {
    const { server, screen } = await setup()
    await expect
      .poll(() => screen.received.filter((m) => m.verb === 'status').at(-1)?.payload, { timeout: 10_000 })
      .toMatchObject({ deviceId: 'bao-cao-01', serverUrl: server.url, network: 'connected', versions: { app: '9.9.9' }, sync: { activeVersion: 'v1' } })
    const status = screen.received.filter((m) => m.verb === 'status').at(-1)!.payload as { disk: { freeBytes: number; totalBytes: number } | null }
    expect(status.disk?.totalBytes).toBeGreaterThan(0)
  })

  it('keeps the newest screenshots while the server is unreachable, then delivers them', async () => {
    let n = 0
    const { server, player } = await setup({
      config: { screenshotsKept: 3 },
      // The shell's capture: a tiny real JPEG (SOI … EOI) per call, each with its own byte.
      shell: { capture: async () => ({ jpeg: Buffer.from([0xff, 0xd8, 0xff, 0xe0, ++n, 0xff, 0xd9]), width: 4, height: 3 }) }
    })
    await expect.poll(() => player.session?.status.push).toBe('connected')
    server.faults.failApi = 500
    for (let i = 0; i < 5; i++) await player.screenshots.take()
    expect(server.uploads.size).toBe(0)
    server.faults.failApi = null
    await expect.poll(() => server.uploads.size, { timeout: 20_000 }).toBe(3)
    // The two oldest were dropped to stay within the bound; the heartbeat says so.
    expect([...server.uploads.values()].map((u) => u.bytes[4]).sort()).toEqual([3, 4, 5])
    expect(player.reporter.heartbeat().reporting).toMatchObject({ pendingUploads: 0, droppedUploads: 2 })
  })

  it('drops an upload the server refuses for good (413), so the screenshots behind it still go up', async () => {
    const sizes = [9 * 1024 * 1024, 100]
    const { server, player } = await setup({
      shell: {
        capture: async () => {
          const jpeg = Buffer.alloc(sizes.shift() ?? 100, 0x11)
          jpeg.set([0xff, 0xd8, 0xff], 0)
          return { jpeg, width: 4, height: 3 }
        }
      }
    })
    await expect.poll(() => player.session?.status.push).toBe('connected')
    const tooBig = await player.screenshots.take()
    const small = await player.screenshots.take()
    await expect.poll(() => [...server.uploads.values()].map((u) => u.meta.id), { timeout: 15_000 }).toEqual([small.id])
    expect(tooBig.bytes).toBeGreaterThan(8 * 1024 * 1024)
    // The server keeps the upload before it answers; the board takes it off its queue once the answer arrives.
    await expect.poll(() => player.reporter.heartbeat().reporting).toMatchObject({ pendingUploads: 0, droppedUploads: 1 })
  })

  it('delivers every played item to the server, at least once, deduplicated by id', async () => {
    const { server, screen } = await setup()
    for (let i = 0; i < 20; i++) {
      screen.fromScreen('played', { itemId: 'tin', programVersion: 'v1/main/p', startedAt: 1_700_000_000_000 + i * 10_000, endedAt: 1_700_000_010_000 + i * 10_000 })
    }
    await expect.poll(() => server.playRecords('bao-cao-01').length, { timeout: 10_000 }).toBe(20)
    const csv = server.playsCsv('bao-cao-01', 'Asia/Ho_Chi_Minh')
    expect(csv.split('\n')[0]).toMatch(/date/)
    expect(csv).toContain('tin')
  })

  it('pings the screen: a silent screen is reported down, an answering one is not', async () => {
    const { player, screen } = await setup()
    const ping = () => screen.received.find((m) => m.verb === 'ping')
    await expect.poll(ping, { timeout: 12_000 }).toBeDefined()
    expect(player.reporter.heartbeat().screen.playState).toBe('renderer-down')
    const { seq } = ping()!.payload as { seq: number }
    screen.fromScreen('pong', { seq, frames: 120 })
    expect(player.reporter.heartbeat().screen.playState).toBe('playing')
  }, 20_000)
})
