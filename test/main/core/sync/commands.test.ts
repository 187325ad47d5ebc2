// Remote commands through the real reference server and socket.io: every command is answered, carried
// out or refused with the reason (expired, unsigned, unknown, not supported).
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { memoryLogger } from '../../../../main/core/log'
import { generateSigningKey } from '../../../../main/core/protocol/signing'
import { startPlayer, type Player } from '../../../../main/core/start-player'
import { startReferenceServer, type ReferenceServer } from '../../../../e2e/server/reference-server'
import { useTempDirs } from '../../../helpers/temp-dir'

type CommandAck = { kind: string; id: string; ok?: boolean; detail?: string }

describe('remote commands', () => {
  const tempDir = useTempDirs()
  const cleanup: (() => Promise<void>)[] = []
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step()
  })

  async function setup(signed = false): Promise<{ server: ReferenceServer; player: Player; hookLog: string }> {
    const key = generateSigningKey()
    const server = await startReferenceServer({ port: 0, ...(signed ? { signingKey: { keyId: 'tinh', privateKeyPem: key.privateKeyPem } } : {}) })
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
        ...(signed ? { trustedKeys: [{ keyId: 'tinh', publicKey: key.publicKeyPem }] } : {})
      })
    )
    const player = await startPlayer({ dataDir, bundledContentDir: join(__dirname, '../../../../assets/demo'), mediaUrl: (s) => s, log: memoryLogger() })
    cleanup.push(() => player.stop())
    await expect.poll(() => player.sync?.status.push).toBe('connected')
    await expect.poll(() => player.sync?.status.activeVersion).toBe('v1')
    return { server, player, hookLog }
  }
  const answerTo = (server: ReferenceServer, id: string) => () => server.acks.map((a) => a.ack as CommandAck).find((a) => a.kind === 'command' && a.id === id)

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

  it('refuses expired, unknown and unsupported commands, saying why', async () => {
    const { server } = await setup()
    const expired = server.command('resync', {}, { expiresAt: '2020-01-01T00:00:00Z' })
    const unknown = server.command('format-disk')
    const unsupported = server.command('restart')
    await expect.poll(answerTo(server, expired.id)).toMatchObject({ ok: false, detail: expect.stringMatching(/expired/) })
    await expect.poll(answerTo(server, unknown.id)).toMatchObject({ ok: false, detail: expect.stringMatching(/unknown command/) })
    await expect.poll(answerTo(server, unsupported.id)).toMatchObject({ ok: false, detail: expect.stringMatching(/not supported/) })
  })

  it('a board with the province key refuses an unsigned command', async () => {
    const { server } = await setup(true)
    const signed = server.command('resync')
    await expect.poll(answerTo(server, signed.id)).toMatchObject({ ok: true })
    server.pushRaw('command', { id: 'gia-mao', kind: 'display-off', issuedAt: new Date().toISOString(), expiresAt: new Date(Date.now() + 60_000).toISOString() })
    await expect.poll(answerTo(server, 'gia-mao')).toMatchObject({ ok: false, detail: expect.stringMatching(/unsigned/) })
  })
})
