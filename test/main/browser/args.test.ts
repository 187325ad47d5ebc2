import { describe, expect, it } from 'vitest'
import { defaultDataDir, parseShellArgs } from '../../../main/browser/args'

describe('parseShellArgs', () => {
  it('defaults to launching Chromium with the XDG data dir', () => {
    const args = parseShellArgs([], { XDG_DATA_HOME: '/data' })
    expect(args).toMatchObject({ dataDir: '/data/bangtin-player', port: 0, launchBrowser: true, headless: false, chromiumArgs: [], memoryCeilingMb: 1536 })
  })

  it('takes a memory ceiling for Chromium within the Electron shell’s bounds', () => {
    expect(parseShellArgs(['--memory-ceiling-mb', '800'])).toMatchObject({ memoryCeilingMb: 800 })
    expect(() => parseShellArgs(['--memory-ceiling-mb', '100'])).toThrow(/256–65536, got 100/)
    expect(() => parseShellArgs(['--memory-ceiling-mb', '1.5GB'])).toThrow(/memory-ceiling-mb/)
  })

  it('takes provisioning flags and repeated Chromium flags', () => {
    const args = parseShellArgs(['--board-name', 'Xã A', '--time-zone', 'Asia/Bangkok', '--no-browser', '--chromium-arg=--a', '--chromium-arg=--b', '--port', '8080'])
    expect(args).toMatchObject({ boardName: 'Xã A', timeZone: 'Asia/Bangkok', launchBrowser: false, chromiumArgs: ['--a', '--b'], port: 8080 })
  })

  it('provisions the province key from a PEM file and the display hours', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs')
    const { tmpdir } = await import('node:os')
    const { join } = await import('node:path')
    const file = join(mkdtempSync(join(tmpdir(), 'bangtin-args-')), 'tinh.pem')
    writeFileSync(file, '-----BEGIN PUBLIC KEY-----\nabc\n-----END PUBLIC KEY-----\n')
    const args = parseShellArgs([`--trusted-key=tinh-2026=${file}`, '--display-hours', '05:30-22:00'])
    expect(args).toMatchObject({ trustedKeys: [{ keyId: 'tinh-2026', publicKey: expect.stringContaining('BEGIN PUBLIC KEY') }], displayHours: { on: '05:30', off: '22:00' } })
    expect(() => parseShellArgs(['--trusted-key', 'no-equals'])).toThrow(/KEYID=FILE/)
    expect(() => parseShellArgs(['--trusted-key', `k=${file}.missing`])).toThrow(/cannot read/)
    expect(() => parseShellArgs(['--display-hours', '5h-22h'])).toThrow(/HH:MM-HH:MM/)
  })

  it('refuses unknown flags and bad ports', () => {
    expect(() => parseShellArgs(['--evil'])).toThrow()
    expect(() => parseShellArgs(['--port', '70000'])).toThrow(/port/)
    expect(parseShellArgs(['--help'])).toBe('help')
    expect(defaultDataDir({ XDG_DATA_HOME: '' })).toMatch(/\.local\/share\/bangtin-player$/)
  })
})
