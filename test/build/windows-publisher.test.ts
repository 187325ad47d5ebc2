// Attack finding 7 (Windows half): a Windows build without a publisher name would let boards install any
// installer (electron-updater skips the signer check). The real electron-builder CLI packs `--win dir`
// offline against a stub Electron (a small real PE from node_modules carrying a fuse wire): no Windows tools.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const REPO = resolve(__dirname, '../..')
const require = createRequire(join(REPO, 'package.json'))
const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX'
const ELECTRON_DEFAULT_FUSES = '10110001'
const REFUSED = /Không build bản Windows khi thiếu tên nhà phát hành.*Refusing a Windows build without a publisher name/

describe('electron-builder --win dir: the publisher name is required', () => {
  let work: string
  let stub: string

  beforeAll(() => {
    if (!existsSync(join(REPO, 'out/main/index.js')) || !existsSync(join(REPO, 'out/renderer/index.html'))) {
      const build = spawnSync('npx', ['electron-vite', 'build'], { cwd: REPO, encoding: 'utf8' })
      if (build.status !== 0) throw new Error(`electron-vite build failed: ${build.stderr}`)
    }
    work = mkdtempSync(join(tmpdir(), 'bangtin-win-'))
    stub = join(work, 'electron-dist')
    mkdirSync(join(stub, 'locales'), { recursive: true })
    for (const locale of ['vi', 'en-US']) writeFileSync(join(stub, 'locales', `${locale}.pak`), '')
    // Any PE with a version resource will do (electron-builder edits resources and asar integrity in it).
    const pe = readFileSync(require.resolve('electron-winstaller/vendor/candle.exe'))
    writeFileSync(join(stub, 'electron.exe'), Buffer.concat([pe, Buffer.from(SENTINEL), Buffer.from([1, 8]), Buffer.from(ELECTRON_DEFAULT_FUSES)]))
  }, 120_000)

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true })
  })

  function buildWindows(publisher: string | undefined, name: string) {
    const env: NodeJS.ProcessEnv = { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1', CSC_IDENTITY_AUTO_DISCOVERY: 'false' }
    for (const key of Object.keys(env)) if (/^(WIN_)?CSC_(LINK|KEY_PASSWORD)$|^BANGTIN_(WIN_|TIMESTAMP)/.test(key)) delete env[key]
    if (publisher !== undefined) env['BANGTIN_WIN_PUBLISHER'] = publisher
    const output = join(work, name)
    const cli = require.resolve('electron-builder/cli.js')
    const result = spawnSync(
      process.execPath,
      [cli, '--win', 'dir', `-c.electronDist=${stub}`, '-c.npmRebuild=false', `-c.directories.output=${output}`, '--publish', 'never'],
      { cwd: REPO, encoding: 'utf8', timeout: 90_000, env }
    )
    return { status: result.status, log: `${result.stdout}\n${result.stderr}`, output }
  }

  it('refuses when BANGTIN_WIN_PUBLISHER is unset, saying so in both languages', () => {
    const { status, log, output } = buildWindows(undefined, 'unset')
    expect(status).not.toBe(0)
    expect(log).toMatch(REFUSED)
    expect(existsSync(join(output, 'win-unpacked', 'bangtin-player.exe'))).toBe(false)
  }, 120_000)

  it('refuses when BANGTIN_WIN_PUBLISHER is blank', () => {
    const { status, log } = buildWindows('  ', 'blank')
    expect(status).not.toBe(0)
    expect(log).toMatch(REFUSED)
  }, 120_000)

  it('builds with a publisher name, expanded from the environment (never the literal ${env…} text)', () => {
    const publisher = 'CN=Sở Thông tin và Truyền thông tỉnh Thử, O=UBND tỉnh Thử, C=VN'
    const { status, log, output } = buildWindows(publisher, 'named')
    expect(status, log).toBe(0)
    expect(log).toContain(`windows publisher checked  publisherName=${JSON.stringify(publisher)}`)
    expect(log).not.toContain('${env.')
    expect(existsSync(join(output, 'win-unpacked', 'bangtin-player.exe'))).toBe(true)
  }, 120_000)
})
