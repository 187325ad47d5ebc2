// Attack finding 7 (updates): a hostile update feed on 127.0.0.1 driving the real electron-updater
// (DebUpdater: installs as root) through the player's adapter and controller. Only metadata signed with
// the board's configured update key may lead to a download; everything else is refused and reported.
import { spawnSync } from 'node:child_process'
import { createHash, createPrivateKey, randomBytes } from 'node:crypto'
import { chmod, mkdir, readdir, readFile, writeFile } from 'node:fs/promises'
import { createServer, request, type IncomingMessage, type RequestOptions, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join, resolve } from 'node:path'
import { DebUpdater } from 'electron-updater'
import { ElectronHttpExecutor } from 'electron-updater/out/electronHttpExecutor'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { memoryLogger } from '../../main/core/log'
import { generateSigningKey, trustedKeysFrom } from '../../main/core/protocol/signing'
import { startUpdates } from '../../main/electron/updates'
import { electronUpdaterPort } from '../../main/electron/updater/adapter'
import { UpdateController } from '../../main/electron/updater/controller'
import { signUpdateMetadata } from '../../main/electron/updater/metadata-signature'
import { fileRecordStore } from '../../main/electron/updater/record-store'
import { heartbeatUpdate, type UpdateState } from '../../main/electron/updater/state'
import { parseShellConfig } from '../../main/electron/shell-config'
import { useTempDirs } from '../helpers/temp-dir'

const REPO = resolve(__dirname, '../..')
const KEY_ID = 'tinh-capnhat-2026'
const PROVINCE = generateSigningKey()
const OTHER = generateSigningKey()
/** electron-updater's channel file for this machine (latest-linux.yml on x64). */
const CHANNEL_FILE = `latest-linux${process.arch === 'x64' ? '' : `-${process.arch}`}.yml`
const DEB = 'bangtin-player_1.1.0_amd64.deb'
const PAYLOAD = randomBytes(64 * 1024)
// 2026-03-02 12:00 in Asia/Ho_Chi_Minh: display hours, outside the install window, so nothing installs by time.
const NOON = Date.parse('2026-03-02T05:00:00Z')

function metadata(overrides: { version?: string; sha512?: string } = {}): string {
  const sha512 = overrides.sha512 ?? createHash('sha512').update(PAYLOAD).digest('base64')
  return [
    `version: ${overrides.version ?? '1.1.0'}`,
    'files:',
    `  - url: ${DEB}`,
    `    sha512: ${sha512}`,
    `    size: ${PAYLOAD.length}`,
    `path: ${DEB}`,
    `sha512: ${sha512}`,
    "releaseDate: '2026-03-01T00:00:00.000Z'",
    ''
  ].join('\n')
}

const signatureOf = (text: string, privateKeyPem = PROVINCE.privateKeyPem, keyId = KEY_ID): string =>
  JSON.stringify(signUpdateMetadata(CHANNEL_FILE, text, keyId, createPrivateKey(privateKeyPem)))

/** electron-updater's own executor with its one electron part, `net.request`, done by Node's http (same requests, same checks). */
class NodeNetExecutor extends ElectronHttpExecutor {
  override createRequest(options: RequestOptions, callback: (response: IncomingMessage) => void): ReturnType<ElectronHttpExecutor['createRequest']> {
    return request(options, callback) as unknown as ReturnType<ElectronHttpExecutor['createRequest']>
  }
}

/** The hostile (or honest) feed: whatever files it is given, and a log of every path asked for. */
async function startFeed(files: Map<string, string | Buffer>): Promise<{ url: string; requests: string[]; close(): Promise<void> }> {
  const requests: string[] = []
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://127.0.0.1').pathname.slice(1))
    requests.push(path)
    const body = files.get(path)
    if (body === undefined) {
      res.writeHead(404).end('not found')
      return
    }
    res.writeHead(200, { 'content-length': Buffer.byteLength(body) }).end(body)
  })
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  const { port } = server.address() as AddressInfo
  return { url: `http://127.0.0.1:${port}/`, requests, close: () => new Promise((done) => server.close(() => done())) }
}

describe('attack 7: a hostile update feed', () => {
  const tempDir = useTempDirs()
  const cleanup: (() => Promise<void>)[] = []
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step()
  })

  /** A board on 1.0.0 (deb install) whose shell.json trusts the province's update key, checking `files`. */
  async function board(files: Map<string, string | Buffer>, options: { allowUnsigned?: boolean; keys?: boolean } = {}) {
    const feed = await startFeed(files)
    cleanup.push(() => feed.close())
    const dir = await tempDir()
    const userData = join(dir, 'user-data')
    const cache = join(dir, 'cache')
    await mkdir(userData, { recursive: true })
    // What electron-builder bakes into resources/: used for the updater's cache folder.
    await writeFile(join(dir, 'app-update.yml'), `provider: generic\nurl: https://updates.bangtin.invalid/\nupdaterCacheDirName: bangtin-player-updater\n`)
    const appEvents: string[] = []
    const updater = new DebUpdater(null, {
      version: '1.0.0',
      name: 'bangtin-player',
      isPackaged: true,
      appUpdateConfigPath: join(dir, 'app-update.yml'),
      userDataPath: userData,
      baseCachePath: cache,
      whenReady: async () => undefined,
      relaunch: () => void appEvents.push('relaunch'),
      quit: () => void appEvents.push('quit'),
      onQuit: () => undefined
    })
    // electron's net module is the one part not here (see NodeNetExecutor).
    ;(updater as unknown as { httpExecutor: ElectronHttpExecutor }).httpExecutor = new NodeNetExecutor()
    const log = memoryLogger()
    const states: UpdateState[] = []
    const shell = parseShellConfig({
      updates: {
        trustedKeys: options.keys === false ? [] : [{ keyId: KEY_ID, publicKey: PROVINCE.publicKeyPem }],
        allowUnsigned: options.allowUnsigned ?? false
      }
    })
    const port = electronUpdaterPort({
      app: { getPath: () => userData, relaunch: () => void appEvents.push('relaunch'), exit: () => void appEvents.push('exit'), quit: () => void appEvents.push('quit') },
      updater,
      feedUrl: feed.url,
      deviceId: () => 'bang-tin-01',
      log,
      onEvent: (event) => controller.handle(event),
      platform: 'linux',
      trust: { keys: trustedKeysFrom(shell.updates.trustedKeys), allowUnsigned: shell.updates.allowUnsigned }
    })
    const controller: UpdateController = new UpdateController({
      port,
      store: fileRecordStore(join(userData, 'update-record.json')),
      runningVersion: '1.0.0',
      settings: shell.updates,
      timeZone: 'Asia/Ho_Chi_Minh',
      screen: () => ({ displayOn: true, emergencyOnScreen: false }),
      log,
      now: () => NOON,
      onChange: (state) => states.push(state)
    })
    /** One scheduled check, then wait (generously) until the updater has settled: ready or failed. */
    const checkOnce = async (): Promise<UpdateState> => {
      await controller.tick()
      await vi.waitFor(() => expect(['ready', 'failed']).toContain(controller.state.kind), { timeout: 20_000, interval: 20 })
      return controller.state
    }
    const updaterCache = join(cache, 'bangtin-player-updater')
    /** Every .deb the updater holds, by path. */
    const downloadedFiles = async (): Promise<string[]> =>
      (await readdir(updaterCache, { recursive: true }).catch(() => [] as string[])).filter((f) => f.endsWith('.deb')).map((f) => join(updaterCache, f))
    return { feed, checkOnce, downloadedFiles, states, appEvents, log }
  }

  /** What every refusal must look like: reported in the heartbeat in both languages, nothing fetched, nothing installed. */
  async function expectRefused(b: Awaited<ReturnType<typeof board>>, state: UpdateState, why: RegExp): Promise<void> {
    expect(state).toMatchObject({ kind: 'failed', phase: 'check' })
    const report = heartbeatUpdate(state)
    expect(report).toMatchObject({ state: 'failed', phase: 'check' })
    const reason = (report as { reason: string }).reason
    expect(reason).toMatch(/^Từ chối bản cập nhật: .*\/ Update refused: /)
    expect(reason).toMatch(why)
    expect(b.feed.requests).not.toContain(DEB)
    expect(await b.downloadedFiles()).toEqual([])
    expect(b.states.map((s) => s.kind)).not.toContain('downloading')
    expect(b.states.map((s) => s.kind)).not.toContain('installing')
    expect(b.appEvents).toEqual([])
    expect(b.log.records.some((r) => r.level === 'error' && r.message === 'update failed')).toBe(true)
  }

  it('(a) metadata signed with the province key (by scripts/sign-update.ts) proceeds: downloaded, verified, ready', async () => {
    const dir = await tempDir()
    const keyPath = join(dir, 'update-signing-key.pem')
    await writeFile(keyPath, PROVINCE.privateKeyPem, { mode: 0o600 })
    await chmod(keyPath, 0o600)
    const text = metadata()
    await writeFile(join(dir, CHANNEL_FILE), text)
    const signed = spawnSync(process.execPath, [join(REPO, 'node_modules/tsx/dist/cli.mjs'), join(REPO, 'scripts/sign-update.ts'), '--key', keyPath, '--key-id', KEY_ID, join(dir, CHANNEL_FILE)], {
      encoding: 'utf8',
      timeout: 60_000
    })
    expect(signed.status, signed.stderr).toBe(0)
    expect(signed.stdout).toContain(`${CHANNEL_FILE} (version 1.1.0) signed with key ${KEY_ID}`)
    const sig = await readFile(join(dir, `${CHANNEL_FILE}.sig`), 'utf8')

    const b = await board(new Map<string, string | Buffer>([[CHANNEL_FILE, text], [`${CHANNEL_FILE}.sig`, sig], [DEB, PAYLOAD]]))
    const state = await b.checkOnce()
    expect(state, JSON.stringify(state)).toMatchObject({ kind: 'ready', version: '1.1.0' })
    expect(b.feed.requests).toEqual(expect.arrayContaining([CHANNEL_FILE, `${CHANNEL_FILE}.sig`, DEB]))
    const downloaded = await b.downloadedFiles()
    expect(downloaded).toHaveLength(1)
    expect((await readFile(downloaded[0]!)).equals(PAYLOAD)).toBe(true)
    expect(b.appEvents).toEqual([])
  })

  it('(b) metadata without a signature is refused and reported; nothing is downloaded or installed', async () => {
    const b = await board(new Map<string, string | Buffer>([[CHANNEL_FILE, metadata()], [DEB, PAYLOAD]]))
    await expectRefused(b, await b.checkOnce(), /không có chữ ký của tỉnh.*is not signed by the province/)
  })

  it('(c) metadata signed by another key (claiming the province key id) is refused', async () => {
    const text = metadata()
    const b = await board(new Map<string, string | Buffer>([[CHANNEL_FILE, text], [`${CHANNEL_FILE}.sig`, signatureOf(text, OTHER.privateKeyPem)], [DEB, PAYLOAD]]))
    await expectRefused(b, await b.checkOnce(), /không khớp.*does not match/)
  })

  it.each([
    ['the version', { version: '1.2.0' }],
    ['the sha512', { sha512: createHash('sha512').update('the attacker’s own build').digest('base64') }]
  ])('(d) metadata altered after signing (%s changed) is refused', async (_what, change) => {
    const b = await board(new Map<string, string | Buffer>([[CHANNEL_FILE, metadata(change)], [`${CHANNEL_FILE}.sig`, signatureOf(metadata())], [DEB, PAYLOAD]]))
    await expectRefused(b, await b.checkOnce(), /tệp đã bị sửa hoặc giả mạo.*altered or forged/)
  })

  it('the lab setting updates.allowUnsigned lets unsigned metadata through, and says so at every check', async () => {
    const b = await board(new Map<string, string | Buffer>([[CHANNEL_FILE, metadata()], [DEB, PAYLOAD]]), { allowUnsigned: true, keys: false })
    expect(await b.checkOnce()).toMatchObject({ kind: 'ready', version: '1.1.0' })
    expect(b.log.records.filter((r) => r.level === 'warn' && /CẬP NHẬT KHÔNG KÝ.*UNSIGNED update metadata accepted/.test(r.message))).toHaveLength(1)
  })
})

describe('attack 7: who may name the feed and the keys', () => {
  const tempDir = useTempDirs()

  /** startUpdates as the packaged shell calls it, with this shell.json (written with `mode`) in userData. */
  async function start(shellJson: unknown, mode: number, dirMode = 0o700) {
    const userData = await tempDir()
    await writeFile(join(userData, 'shell.json'), JSON.stringify(shellJson))
    await chmod(join(userData, 'shell.json'), mode)
    await chmod(userData, dirMode)
    const log = memoryLogger()
    const app = { isPackaged: true, getVersion: () => '1.0.0', getPath: () => userData, relaunch: () => undefined, exit: () => undefined, quit: () => undefined }
    const updates = await startUpdates({ app, shell: parseShellConfig(shellJson), player: null, log })
    return { updates, log, userData }
  }

  const withKey = { updates: { trustedKeys: [{ keyId: KEY_ID, publicKey: PROVINCE.publicKeyPem }] } }

  it.each([
    ['group-writable', 0o664, 0o700, /shell\.json có quyền 0664: người dùng khác sửa được.*shell\.json has mode 0664: other users can write it, so updates are off/],
    ['world-writable', 0o646, 0o700, /có quyền 0646.*has mode 0646/],
    ['in a directory others can write', 0o600, 0o777, /thư mục .* có quyền 0777.*directory .* has mode 0777: others can replace the config/]
  ])('a shell.json %s turns updates off before anything is fetched, saying why in both languages', async (_what, mode, dirMode, why) => {
    const { updates, log } = await start(withKey, mode, dirMode)
    expect(updates.state.kind).toBe('disabled')
    expect(heartbeatUpdate(updates.state)).toMatchObject({ state: 'disabled', reason: expect.stringMatching(why) })
    expect(log.records).toContainEqual(expect.objectContaining({ level: 'error', message: 'updates refused' }))
  })

  it('without an update key (and not in the lab) updates are off and say what to configure', async () => {
    const { updates } = await start({}, 0o600)
    expect(heartbeatUpdate(updates.state)).toMatchObject({
      state: 'disabled',
      reason: expect.stringMatching(/chưa cấu hình khoá cập nhật.*updates\.trustedKeys.*no province update key configured/)
    })
  })
})
