// The installer config, checked offline with electron-builder's own validation, and a real `--linux dir`
// package built against a stub Electron (a shell script carrying a fuse wire), whose app.asar, fuses and
// app-update.yml are inspected. AppImage, deb and NSIS need tool downloads and are not built here.
import { spawnSync } from 'node:child_process'
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const REPO = resolve(__dirname, '../..')
const require = createRequire(join(REPO, 'package.json'))
const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX'
/** Electron's shipped defaults, fuse by fuse: RunAsNode on, cookie encryption off, NODE_OPTIONS on, … */
const ELECTRON_DEFAULT_FUSES = '10110001'

describe('electron-builder.yml', () => {
  it('passes app-builder-lib validation and keeps secrets out of the repo', async () => {
    const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config')
    const { DebugLogger } = require('builder-util')
    const config = await getConfig(REPO, join(REPO, 'electron-builder.yml'), null)
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined()
    expect(config.publish).toMatchObject({ provider: 'generic' })
    expect(config.nsis).toMatchObject({ perMachine: true, oneClick: true, runAfterFinish: true, include: 'build/installer.nsh' })
    expect(config.linux.target).toEqual(['AppImage', 'deb'])
    expect(config.deb.afterInstall).toBe('build/linux/after-install.sh')
    expect(config.electronFuses).toMatchObject({ runAsNode: false, onlyLoadAppFromAsar: true, enableEmbeddedAsarIntegrityValidation: true })
    const text = readFileSync(join(REPO, 'electron-builder.yml'), 'utf8')
    expect(text).not.toMatch(/cscKeyPassword|certificatePassword|certificateFile|BEGIN (RSA |EC )?PRIVATE KEY/)
  }, 30_000)

  it('ships a systemd unit that restarts the player and has a watchdog', () => {
    const unit = readFileSync(join(REPO, 'build/linux/bangtin-player.service'), 'utf8')
    expect(unit).toMatch(/^Restart=always$/m)
    expect(unit).toMatch(/^WatchdogSec=\d+$/m)
    expect(unit).toMatch(/^NotifyAccess=all$/m)
  })
})

describe('electron-builder --linux dir (stub Electron, offline)', () => {
  let work: string
  let appDir: string
  let files: string[]

  beforeAll(() => {
    if (!existsSync(join(REPO, 'out/main/index.js')) || !existsSync(join(REPO, 'out/renderer/index.html'))) {
      const build = spawnSync('npx', ['electron-vite', 'build'], { cwd: REPO, encoding: 'utf8' })
      if (build.status !== 0) throw new Error(`electron-vite build failed: ${build.stderr}`)
    }
    work = mkdtempSync(join(tmpdir(), 'bangtin-pack-'))
    const stub = join(work, 'electron-dist')
    mkdirSync(join(stub, 'locales'), { recursive: true })
    for (const locale of ['vi', 'en-US', 'fr']) writeFileSync(join(stub, 'locales', `${locale}.pak`), '')
    const electron = join(stub, 'electron')
    writeFileSync(electron, Buffer.concat([Buffer.from('#!/bin/sh\nexit 0\n# '), Buffer.from(SENTINEL), Buffer.from([1, 8]), Buffer.from(ELECTRON_DEFAULT_FUSES + '\n')]))
    chmodSync(electron, 0o755)
    const cli = require.resolve('electron-builder/cli.js')
    const result = spawnSync(
      process.execPath,
      [cli, '--linux', 'dir', `-c.electronDist=${stub}`, '-c.npmRebuild=false', `-c.directories.output=${join(work, 'dist')}`, '--publish', 'never'],
      // No network: nothing in a --dir build should need it, and a retry loop must not stall the suite.
      { cwd: REPO, encoding: 'utf8', timeout: 90_000, env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1', CSC_IDENTITY_AUTO_DISCOVERY: 'false' } }
    )
    if (result.status !== 0) throw new Error(`electron-builder failed (${result.status}): ${result.stdout}\n${result.stderr}`)
    appDir = join(work, 'dist', 'linux-unpacked')
    const asar = require('@electron/asar') as { listPackage(path: string): string[] }
    files = asar.listPackage(join(appDir, 'resources', 'app.asar')).map((f) => f.replaceAll('\\', '/'))
  }, 120_000)

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true })
  })

  it('puts main, preload, renderer and package.json in app.asar', () => {
    for (const file of ['/package.json', '/out/main/index.js', '/out/preload/index.js', '/out/renderer/index.html']) expect(files).toContain(file)
    expect(existsSync(join(appDir, 'resources/assets/demo/manifest.json'))).toBe(true)
    expect(existsSync(join(appDir, 'resources/linux/bangtin-player.service'))).toBe(true)
    // The bundled fonts' licence (SIL OFL 1.1) ships beside them.
    for (const licence of ['BeVietnamPro-OFL.txt', 'NotoSans-OFL.txt']) {
      expect(readFileSync(join(appDir, 'resources/licenses', licence), 'utf8')).toMatch(/SIL Open Font License, Version 1\.1/)
    }
  })

  it('holds production dependencies only, and no tests, sources, maps or secrets', () => {
    const modules = new Set(files.filter((f) => f.startsWith('/node_modules/')).map((f) => f.split('/').slice(2, f.startsWith('/node_modules/@') ? 4 : 3).join('/')))
    for (const needed of ['electron-updater', 'zod', 'socket.io-client']) expect(modules).toContain(needed)
    for (const dev of ['electron', 'vitest', 'electron-builder', 'react', 'typescript', 'playwright-core', '@playwright/test']) expect(modules).not.toContain(dev)
    const own = files.filter((f) => !f.startsWith('/node_modules/'))
    expect(own.filter((f) => /\.(ts|tsx|map|pem|key|p12|pfx)$|\/\.env|config\.json$/.test(f))).toEqual([])
    expect(own.filter((f) => /^\/(test|e2e|bench|scripts|main|renderer|contract|docs|server|lib)\//.test(f))).toEqual([])
    expect(files).not.toContain('/out/main/browser.js')
    // The reference server's build (npm run build) is no part of a board.
    expect(own.filter((f) => f.startsWith('/out/server/'))).toEqual([])
    expect(files.length).toBeLessThan(1500)
  })

  it('writes app-update.yml for the generic feed', () => {
    const feed = readFileSync(join(appDir, 'resources/app-update.yml'), 'utf8')
    expect(feed).toMatch(/^provider: generic$/m)
    expect(feed).toMatch(/^url: https:\/\//m)
  })

  it('flips the fuses: no RunAsNode, no NODE_OPTIONS or inspect, asar only, asar integrity on', () => {
    const binary = readFileSync(join(appDir, 'bangtin-player'))
    const at = binary.indexOf(SENTINEL) + SENTINEL.length
    const wire = binary.subarray(at + 2, at + 2 + binary[at + 1]!).toString('latin1')
    // RunAsNode, CookieEncryption, NodeOptions, NodeCliInspect, AsarIntegrity, OnlyLoadAppFromAsar, V8Snapshot, FileProtocolExtra
    expect(wire).toBe('01001100')
  })
})
