import { describe, expect, it } from 'vitest'
import { defaultDataDir, parseShellArgs } from '../../../main/browser/args'

describe('parseShellArgs', () => {
  it('defaults to launching Chromium with the XDG data dir', () => {
    const args = parseShellArgs([], { XDG_DATA_HOME: '/data' })
    expect(args).toMatchObject({ dataDir: '/data/bangtin-player', port: 0, launchBrowser: true, headless: false, chromiumArgs: [] })
  })

  it('takes provisioning flags and repeated Chromium flags', () => {
    const args = parseShellArgs(['--board-name', 'Xã A', '--time-zone', 'Asia/Bangkok', '--no-browser', '--chromium-arg=--a', '--chromium-arg=--b', '--port', '8080'])
    expect(args).toMatchObject({ boardName: 'Xã A', timeZone: 'Asia/Bangkok', launchBrowser: false, chromiumArgs: ['--a', '--b'], port: 8080 })
  })

  it('refuses unknown flags and bad ports', () => {
    expect(() => parseShellArgs(['--evil'])).toThrow()
    expect(() => parseShellArgs(['--port', '70000'])).toThrow(/port/)
    expect(parseShellArgs(['--help'])).toBe('help')
    expect(defaultDataDir({ XDG_DATA_HOME: '' })).toMatch(/\.local\/share\/bangtin-player$/)
  })
})
