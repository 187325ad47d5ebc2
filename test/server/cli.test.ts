// The reference server's command line for real, as built for plain Node (out/server/cli.js, no tsx):
// `serve` in a child process, its first stdout line, the admin API it protects, and client subcommands.
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { once } from 'node:events'
import { readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { publicKeyFrom } from '../../main/core/protocol/signing'
import { useTempDirs } from '../helpers/temp-dir'
import { commandArg } from '../../server/admin-client'
import { startReferenceServer } from '../../server/reference-server'
import { COMMAND_KINDS, COMMAND_SPECS, commandArgsHint } from '../../main/core/protocol/command-kinds'
import { bearer, rawRequest } from './helpers'

const ROOT = join(__dirname, '..', '..')
const CLI = join(ROOT, 'out', 'server', 'cli.js')

function runCli(args: string[], env: Record<string, string> = {}): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, [CLI, ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: 'pipe' })
}

describe('reference server CLI', () => {
  const tempDir = useTempDirs()
  beforeAll(() => {
    const built = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build-server.mjs')], { cwd: ROOT, encoding: 'utf8' })
    if (built.status !== 0) throw new Error(`building the server failed: ${built.stderr}`)
  })
  const children: ChildProcessWithoutNullStreams[] = []
  afterEach(async () => {
    await Promise.all(
      children.splice(0).map(async (child) => {
        if (child.exitCode !== null || child.signalCode !== null) return
        const exited = once(child, 'exit')
        child.kill('SIGTERM')
        await exited
      })
    )
  })

  it('serves: prints the URL and admin token, generates a key, and answers its admin API and client subcommands', async () => {
    const keys = join(await tempDir(), 'keys')
    const server = runCli(['serve', '--port', '0', '--device', 'board-1:token-board-1', '--generate-key', keys, '--publish', 'assets/demo'])
    children.push(server)
    let stderr = ''
    server.stderr.on('data', (data: Buffer) => (stderr += data.toString()))
    const lines = createInterface({ input: server.stdout })[Symbol.asyncIterator]()
    const first = (await lines.next()).value as string | undefined
    const match = /^BANGTIN_SOURCE_URL (http:\/\/127\.0\.0\.1:\d+) ADMIN_TOKEN (\S+)$/.exec(first ?? '')
    expect(match, `first line: ${first}\nstderr: ${stderr}`).not.toBeNull()
    const [, url = '', adminToken = ''] = match ?? []
    const rest: string[] = []
    for (let next = await lines.next(); !next.done; next = await lines.next()) {
      rest.push(next.value as string)
      if (next.value === '-----END PUBLIC KEY-----') break
    }
    expect(rest).toContain('DEVICE board-1 TOKEN token-board-1')
    expect(rest).toContain('PUBLISHED demo-1')
    const spki = /PUBLIC_KEY_SPKI_BASE64 (\S+)/.exec(rest.join('\n'))?.[1] ?? ''
    expect(publicKeyFrom(spki).asymmetricKeyType).toBe('ed25519')
    expect((await stat(join(keys, 'signing-key.pem'))).mode & 0o777).toBe(0o600)
    expect(await readFile(join(keys, 'public-key.pem'), 'utf8')).toContain('BEGIN PUBLIC KEY')

    const devices = await rawRequest(`${url}/admin/devices`, { headers: bearer(adminToken) })
    expect(devices.status).toBe(200)
    expect(JSON.parse(devices.body.toString())).toMatchObject({ devices: [{ deviceId: 'board-1', manifestVersion: 'demo-1' }] })
    expect((await rawRequest(`${url}/api/v1/devices/board-1/manifest`, { headers: bearer('token-board-1') })).status).toBe(200)

    const client = runCli(['add-device', 'board-2', 'token-board-2'], { BANGTIN_SOURCE_URL: url, BANGTIN_ADMIN_TOKEN: adminToken })
    children.push(client)
    let out = ''
    client.stdout.on('data', (data: Buffer) => (out += data.toString()))
    const [code] = (await once(client, 'exit')) as [number | null]
    expect(code).toBe(0)
    expect(JSON.parse(out)).toEqual({ deviceId: 'board-2', token: 'token-board-2' })
    expect(stderr).toContain('"event":"device-added"')

    // A board uploads a screenshot; the operator lists and downloads it from the command line.
    const jpegBytes = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 7, 7, 7, 0xff, 0xd9])
    const query = 'kind=screenshot&id=shot-cli&takenAt=2026-11-22T03%3A00%3A00%2B07%3A00&contentType=image%2Fjpeg&width=4&height=3'
    const posted = await rawRequest(`${url}/api/v1/devices/board-1/uploads?${query}`, {
      method: 'POST',
      headers: { ...bearer('token-board-1'), 'Content-Type': 'image/jpeg' },
      body: jpegBytes
    })
    expect(posted.status).toBe(204)
    const env = { BANGTIN_SOURCE_URL: url, BANGTIN_ADMIN_TOKEN: adminToken }
    const listed = await runToEnd(['uploads', '--kind', 'screenshot'], env)
    expect(JSON.parse(listed)).toMatchObject({ uploads: [{ id: 'shot-cli', deviceId: 'board-1', width: 4, bytes: jpegBytes.length }] })
    const file = join(await tempDir(), 'shot.jpg')
    await runToEnd(['download', 'shot-cli', file], env)
    expect((await readFile(file)).equals(jpegBytes)).toBe(true)
  })

  it('runs through `npm run source-server` (built, then plain Node)', () => {
    const run = spawnSync('npm', ['run', '--silent', 'source-server', '--', 'help'], { cwd: ROOT, encoding: 'utf8' })
    expect(run.status, run.stderr).toBe(0)
    expect(run.stdout).toContain('Reference source server for Bảng tin điện tử (protocol v1)')
  })

  it('sends numbers and booleans in command arguments as such (set-volume volume=0.3)', () => {
    expect(commandArg('0.3')).toBe(0.3)
    expect(commandArg('true')).toBe(true)
    expect(commandArg('bao-so-3')).toBe('bao-so-3')
    expect(commandArg('')).toBe('')
    expect(commandArg('1e400')).toBe('1e400')
  })

  it('lists every command kind a board knows, with its arguments and what it does, and refuses others before sending', async () => {
    const help = runCli(['help'])
    children.push(help)
    let usage = ''
    help.stdout.on('data', (data: Buffer) => (usage += data.toString()))
    expect(((await once(help, 'exit')) as [number | null])[0]).toBe(0)
    for (const kind of COMMAND_KINDS) {
      const { vi, en } = COMMAND_SPECS[kind]
      expect(usage).toMatch(new RegExp(`\\n {6}${`${kind} ${commandArgsHint(kind)}`.trim()} +${vi} / ${en.replace(/[()]/g, '\\$&')}\\n`))
    }
    // No server is asked: a mistyped kind or argument is refused here, with the usage.
    const env = { BANGTIN_SOURCE_URL: 'http://127.0.0.1:9', BANGTIN_ADMIN_TOKEN: 'khong-dung' }
    for (const [args, message] of [
      [['command', 'format-disk'], 'unknown command kind format-disk'],
      [['command', 'set-volume', 'volume=3'], 'command set-volume: volume must be a number from 0 to 1, got 3']
    ] as const) {
      const refused = runCli([...args], env)
      children.push(refused)
      let err = ''
      refused.stderr.on('data', (data: Buffer) => (err += data.toString()))
      expect(((await once(refused, 'exit')) as [number | null])[0]).toBe(2)
      expect(err).toContain(message)
    }
  })

  it('approve refuses a code under a paired device id unless told --rekey, saying so in Vietnamese and English', async () => {
    const server = await startReferenceServer()
    try {
      server.addDevice('bang-tin-01', 'token-of-the-real-board')
      const { code } = JSON.parse((await rawRequest(`${server.url}/api/v1/pairings`, { method: 'POST' })).body.toString()) as { code: string }
      const env = { BANGTIN_SOURCE_URL: server.url, BANGTIN_ADMIN_TOKEN: server.adminToken }
      const refused = runCli(['approve', code, 'bang-tin-01'], env)
      children.push(refused)
      let err = ''
      refused.stderr.on('data', (data: Buffer) => (err += data.toString()))
      expect(((await once(refused, 'exit')) as [number | null])[0]).toBe(1)
      expect(err).toContain('409')
      expect(err).toContain('đã được ghép nối')
      expect(err).toContain('is already paired')
      expect((await rawRequest(`${server.url}/api/v1/devices/bang-tin-01/manifest`, { headers: bearer('token-of-the-real-board') })).status).toBe(404)
      expect(JSON.parse(await runToEnd(['approve', code, 'bang-tin-01', '--rekey'], env))).toEqual({ deviceId: 'bang-tin-01', approved: true })
      expect((await rawRequest(`${server.url}/api/v1/devices/bang-tin-01/manifest`, { headers: bearer('token-of-the-real-board') })).status).toBe(401)
    } finally {
      await server.close()
    }
  })

  async function runToEnd(args: string[], env: Record<string, string>): Promise<string> {
    const child = runCli(args, env)
    children.push(child)
    let out = ''
    let err = ''
    child.stdout.on('data', (data: Buffer) => (out += data.toString()))
    child.stderr.on('data', (data: Buffer) => (err += data.toString()))
    const [code] = (await once(child, 'exit')) as [number | null]
    expect(code, err).toBe(0)
    return out
  }
})
