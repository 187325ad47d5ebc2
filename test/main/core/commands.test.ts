// Remote commands through the real reference server and socket.io: every command is answered, carried
// out or refused with the reason (expired, unsigned, unknown, not supported).
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import jpeg from 'jpeg-js'
import { afterEach, describe, expect, it } from 'vitest'
import { memoryLogger } from '../../../main/core/log'
import { RotatingLog } from '../../../main/core/reporting/rotating-log'
import type { ShellControls } from '../../../main/core/shell-controls'
import { assemblePlayer, type PlayerParts } from '../../../main/core/start-player'
import { MemoryScreenLink } from '../../helpers/memory-link'
import { startTestServer, type TestServer } from '../../../server/testing/test-server'
import { useTempDirs } from '../../helpers/temp-dir'

type CommandAck = { kind: string; id: string; ok?: boolean; detail?: string }

describe('remote commands', () => {
  const tempDir = useTempDirs()
  const cleanup: (() => Promise<void>)[] = []
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step()
  })

  async function setup(shell?: ShellControls): Promise<{ server: TestServer; player: PlayerParts; hookLog: string; dataDir: string }> {
    // The test server signs as a province does; the board trusts its key.
    const server = await startTestServer({ port: 0 })
    cleanup.push(() => server.close())
    const { deviceId, token } = server.addDevice('lenh-01', 'token-lenh-01-0123456789')
    server.publish({ schema: 'bangtin.manifest/v1', version: 'v1', playlists: [{ id: 'p', name: 'p', items: [{ id: 't', kind: 'text', body: 'Tin', durationSec: 5 }] }], assets: [] }, new Map())
    const dataDir = await tempDir()
    const hookLog = join(dataDir, 'display.log')
    await writeFile(
      join(dataDir, 'config.json'),
      JSON.stringify({
        serverUrl: server.url,
        allowInsecureHttp: true,
        deviceId,
        token,
        displayOffCommand: `echo off >> '${hookLog}'`,
        trustedKeys: server.trustedKeys()
      }),
      { mode: 0o600 }
    )
    const player = await assemblePlayer({ dataDir, bundledContentDir: join(__dirname, '../../../assets/demo'), mediaUrl: (s) => s, log: memoryLogger(), shell })
    cleanup.push(() => player.stop())
    await expect.poll(() => player.session?.status.push).toBe('connected')
    await expect.poll(() => player.content?.status.activeVersion).toBe('v1')
    return { server, player, hookLog, dataDir }
  }
  const answerTo = (server: TestServer, id: string) => () => server.acks.map((a) => a.ack as CommandAck).find((a) => a.kind === 'command' && a.id === id)

  it('carries out a command and acknowledges it with the result', async () => {
    const { server, hookLog } = await setup()
    const before = server.stats.manifestRequests
    const resync = server.command('resync')
    await expect.poll(answerTo(server, resync.id)).toMatchObject({ ok: true })
    await expect.poll(() => server.stats.manifestRequests).toBeGreaterThan(before)
    const off = server.command('display-off')
    await expect.poll(answerTo(server, off.id)).toMatchObject({ ok: true })
    const { readFile } = await import('node:fs/promises')
    expect((await readFile(hookLog, 'utf8')).trim()).toBe('off')
  })

  it('clears an emergency on command', async () => {
    const { server, player } = await setup()
    const emergency = server.emergency({ title: 'Bão', ttlSec: 600 }) as { id: string }
    await expect.poll(() => player.host.currentView.emergency?.id).toBe(emergency.id)
    const clear = server.command('clear-emergency', { id: emergency.id })
    await expect.poll(answerTo(server, clear.id)).toMatchObject({ ok: true })
    expect(player.host.currentView.emergency).toBeNull()
  })

  it('refuses expired, unknown and unsupported commands and missing arguments, saying why', async () => {
    const { server } = await setup()
    const expired = server.command('resync', {}, { expiresAt: '2020-01-01T00:00:00Z' })
    const unknown = server.command('format-disk')
    const unsupported = server.command('restart')
    const noCapture = server.command('screenshot')
    const noLogs = server.command('upload-logs')
    const noId = server.command('clear-emergency')
    await expect.poll(answerTo(server, expired.id)).toMatchObject({ ok: false, detail: expect.stringMatching(/expired/) })
    await expect.poll(answerTo(server, unknown.id)).toMatchObject({ ok: false, detail: expect.stringMatching(/unknown command/) })
    // This shell offers no restart, capture or log files: each is refused with that reason.
    await expect.poll(answerTo(server, unsupported.id)).toMatchObject({ ok: false, detail: expect.stringMatching(/cannot restart itself/) })
    await expect.poll(answerTo(server, noCapture.id)).toMatchObject({ ok: false, detail: expect.stringMatching(/cannot capture/) })
    await expect.poll(answerTo(server, noLogs.id)).toMatchObject({ ok: false, detail: expect.stringMatching(/no log files/) })
    // Arguments are checked against the kind's schema before anything runs.
    await expect.poll(answerTo(server, noId.id)).toMatchObject({ ok: false, detail: 'refused: id is missing' })
  })

  it('a board with the province key refuses an unsigned command', async () => {
    const { server } = await setup()
    const signed = server.command('resync')
    await expect.poll(answerTo(server, signed.id)).toMatchObject({ ok: true })
    server.pushRaw('command', { id: 'gia-mao', kind: 'display-off', issuedAt: new Date().toISOString(), expiresAt: new Date(Date.now() + 60_000).toISOString() })
    await expect.poll(answerTo(server, 'gia-mao')).toMatchObject({ ok: false, detail: expect.stringMatching(/unsigned/) })
  })

  it('reloads the screens, sets the volume (kept across a restart) and refuses a bad one', async () => {
    const { server, player, dataDir } = await setup()
    const screen = new MemoryScreenLink()
    player.host.attach(screen)
    screen.fromScreen('ready', { userAgent: 'test' })
    const reload = server.command('reload')
    await expect.poll(answerTo(server, reload.id)).toMatchObject({ ok: true, detail: expect.stringMatching(/1 screen/) })
    expect(screen.received.map((m) => m.verb)).toContain('reload')

    const volume = server.command('set-volume', { volume: 0.3 })
    await expect.poll(answerTo(server, volume.id)).toMatchObject({ ok: true, detail: 'volume set to 30 %' })
    expect(screen.received.filter((m) => m.verb === 'show').at(-1)?.payload).toMatchObject({ volume: 0.3 })
    const bads: Record<string, string | number>[] = [{ volume: 2 }, { volume: '0.5' }, {}]
    for (const bad of bads) {
      const refused = server.command('set-volume', bad)
      await expect.poll(answerTo(server, refused.id)).toMatchObject({ ok: false, detail: expect.stringMatching(/volume must be a number from 0 to 1/) })
    }
    expect(player.host.masterVolume).toBe(0.3)
    await player.stop()
    const again = await assemblePlayer({ dataDir, bundledContentDir: join(__dirname, '../../../assets/demo'), mediaUrl: (s) => s, log: memoryLogger() })
    cleanup.push(() => again.stop())
    expect(again.host.masterVolume).toBe(0.3)
  })

  it('takes a screenshot on command and uploads it; uploads the log files; restarts after answering', async () => {
    // The shell's capture is the one thing this test provides: a real JPEG of a known picture.
    const width = 64
    const height = 36
    const pixels = Buffer.alloc(width * height * 4, 0xff)
    for (let i = 0; i < width * height; i++) pixels.writeUInt32BE(i % width < width / 2 ? 0xd0101aff : 0x1030c0ff, i * 4)
    const picture = jpeg.encode({ data: pixels, width, height }, 80).data
    const logDir = await tempDir()
    const fileLog = new RotatingLog({ dir: logDir, scope: 'test', maxFileBytes: 16 * 1024, maxFiles: 3 })
    for (let i = 0; i < 1500; i++) fileLog.error('dòng nhật ký', { i })
    const restarts: number[] = []
    const { server } = await setup({
      capture: async ({ maxWidth }) => {
        expect(maxWidth).toBe(960)
        return { jpeg: Buffer.from(picture), width, height }
      },
      logFiles: async () => fileLog.files(),
      restart: () => restarts.push(Date.now())
    })

    const shot = server.command('screenshot')
    await expect.poll(answerTo(server, shot.id)).toMatchObject({ ok: true, detail: expect.stringMatching(/^screenshot shot-.* \(64×36, \d+ bytes\) queued/) })
    await expect.poll(() => [...server.uploads.values()].find((u) => u.meta.kind === 'screenshot')?.meta).toMatchObject({ commandId: shot.id, width, height })
    const uploaded = [...server.uploads.values()].find((u) => u.meta.kind === 'screenshot')!
    expect(uploaded.bytes.equals(Buffer.from(picture))).toBe(true)

    const logs = server.command('upload-logs')
    await expect.poll(answerTo(server, logs.id)).toMatchObject({ ok: true, detail: expect.stringMatching(/^logs logs-.*: 3 file\(s\)/) })
    await expect.poll(() => [...server.uploads.values()].find((u) => u.meta.kind === 'logs')).toBeTruthy()
    const text = gunzipSync([...server.uploads.values()].find((u) => u.meta.kind === 'logs')!.bytes).toString('utf8')
    // The newest line is in the bundle, under its file's header; the log's bound of 3 × 16 kB dropped the oldest.
    expect(text).toContain('==> player.log <==')
    expect(text).toContain('"i":1499')
    expect(text).not.toContain('"i":0}')
    expect(Buffer.byteLength(text)).toBeLessThan(3 * 16 * 1024 + 300)

    const before = Date.now()
    const restart = server.command('restart')
    await expect.poll(answerTo(server, restart.id)).toMatchObject({ ok: true, detail: expect.stringMatching(/restarting/) })
    expect(restarts).toEqual([])
    await expect.poll(() => restarts.length, { timeout: 5000 }).toBe(1)
    expect(restarts[0]! - before).toBeGreaterThanOrEqual(1000)
    expect((await readFile(join(logDir, 'player.log'), 'utf8')).length).toBeGreaterThan(0)
  })

  it('carries out a command delivered twice only once, even across a restart, and answers the repeat', async () => {
    const restarts: string[] = []
    const { server, player, dataDir } = await setup({ restart: () => restarts.push('first') })
    const command = { id: 'khoi-dong-lai-1', kind: 'restart', issuedAt: new Date().toISOString(), expiresAt: new Date(Date.now() + 600_000).toISOString(), args: {} }
    const answers = () => server.acks.map((a) => a.ack as CommandAck).filter((a) => a.kind === 'command' && a.id === command.id)
    server.pushRaw('command', JSON.parse(server.signedBody(command, { kind: 'command', deviceId: 'lenh-01' })))
    await expect.poll(answers).toHaveLength(1)
    server.pushRaw('command', JSON.parse(server.signedBody(command, { kind: 'command', deviceId: 'lenh-01' })))
    await expect.poll(answers).toHaveLength(2)
    expect(answers()[1]).toMatchObject({ ok: true, detail: expect.stringMatching(/^already carried out: restarting/) })
    await expect.poll(() => restarts, { timeout: 5000 }).toEqual(['first'])

    // The board comes back (same data folder); the server, never having seen an answer, sends it again.
    await player.stop()
    const again = await assemblePlayer({
      dataDir,
      bundledContentDir: join(__dirname, '../../../assets/demo'),
      mediaUrl: (s) => s,
      log: memoryLogger(),
      shell: { restart: () => restarts.push('again') }
    })
    cleanup.push(() => again.stop())
    await expect.poll(() => again.session?.status.push).toBe('connected')
    server.pushRaw('command', JSON.parse(server.signedBody(command, { kind: 'command', deviceId: 'lenh-01' })))
    await expect.poll(answers).toHaveLength(3)
    expect(answers()[2]).toMatchObject({ ok: true, detail: expect.stringMatching(/^already carried out/) })
    await new Promise((r) => setTimeout(r, 1800))
    expect(restarts).toEqual(['first'])
  })
})
