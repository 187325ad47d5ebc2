// The browser shell's systemd unit: the player as its own unprivileged user (so Chromium keeps its
// sandbox), hardened, and accepted by systemd's own checks where systemd-analyze is installed.
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

const UNIT = join(resolve(__dirname, '../..'), 'build/linux/bangtin-browser-shell.service')
const text = readFileSync(UNIT, 'utf8')
const analyze = spawnSync('systemd-analyze', ['--version']).status === 0

describe('bangtin-browser-shell.service', () => {
  it('runs the browser shell as its own user, never as root, with no sandbox switch and no capabilities', () => {
    expect(text).toMatch(/^User=bangtin$/m)
    expect(text).not.toMatch(/^User=root$/m)
    expect(text).toMatch(/^ExecStart=\/usr\/bin\/node \/opt\/bangtin-browser-shell\/out\/main\/browser\.js --data-dir \S+$/m)
    expect(text).not.toContain('--no-sandbox')
    for (const line of ['NoNewPrivileges=yes', 'CapabilityBoundingSet=', 'ProtectSystem=strict', 'PrivateTmp=yes', 'UMask=0077', 'StateDirectoryMode=0700', 'Restart=always']) {
      expect(text.split('\n')).toContain(line)
    }
    // Chromium's sandbox needs user namespaces: a unit that forbids them would force --no-sandbox.
    expect(text).not.toMatch(/^(RestrictNamespaces|PrivateUsers)=/m)
  })

  it.skipIf(!analyze)('passes systemd-analyze verify and rates at most "OK" (≤ 5) in its security review', () => {
    const verify = spawnSync('systemd-analyze', ['verify', UNIT], { encoding: 'utf8' })
    expect(verify.stderr.split('\n').filter((line) => line.includes('bangtin-browser-shell'))).toEqual([])
    const security = spawnSync('systemd-analyze', ['security', '--offline=yes', '--threshold=50', UNIT], { encoding: 'utf8' })
    expect(security.stdout).toMatch(/Overall exposure level for bangtin-browser-shell\.service: [0-5]\.\d/)
    expect(security.status).toBe(0)
  })
})
