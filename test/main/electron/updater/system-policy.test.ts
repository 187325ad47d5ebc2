// The machine's update policy (a root-owned file) against real files: it overrides shell.json's feed and keys,
// and a policy others could have written, or a broken one, turns updates off with the reason. Only
// electron-updater is faked (the real one needs the Electron binary).
import { chmod, chown, mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it, vi } from 'vitest'

const fakeUpdater = await vi.hoisted(async () => (await import('../fake-updater')).createFakeUpdater())
vi.mock('electron-updater', () => ({ autoUpdater: fakeUpdater }))

import { memoryLogger } from '../../../../main/core/log'
import { generateSigningKey } from '../../../../main/core/protocol/signing'
import { parseShellConfig } from '../../../../main/electron/shell-config'
import { startUpdates } from '../../../../main/electron/updates'
import { readSystemUpdatePolicy, systemPolicyPath, withPolicy } from '../../../../main/electron/updater/system-policy'
import { useTempDirs } from '../../../helpers/temp-dir'

const PROVINCE = generateSigningKey()
const ROGUE = generateSigningKey()
const ME = new Set([process.getuid?.() ?? 0])

describe('the machine update policy', () => {
  const tempDir = useTempDirs()

  async function policyFile(body: unknown, mode = 0o644): Promise<string> {
    const dir = join(await tempDir(), 'etc-bangtin')
    await mkdir(dir, { mode: 0o755 })
    const path = join(dir, 'updates.json')
    await writeFile(path, typeof body === 'string' ? body : JSON.stringify(body))
    await chmod(path, mode)
    return path
  }

  it('lives in /etc/bangtin on Linux, nowhere on Windows', () => {
    expect(systemPolicyPath('linux')).toBe('/etc/bangtin/updates.json')
    expect(systemPolicyPath('win32')).toBeNull()
  })

  it('overrides the feed and keys a compromised player wrote into its own shell.json', async () => {
    const path = await policyFile({ url: 'https://capnhat.tinh.gov.vn/bangtin/', trustedKeys: [{ keyId: 'tinh', publicKey: PROVINCE.publicKeyPem }] })
    const reading = await readSystemUpdatePolicy(path, ME)
    expect('policy' in reading && reading.policy).toBeTruthy()
    const shell = parseShellConfig({ updates: { url: 'https://ke-gian.example/', trustedKeys: [{ keyId: 'ke-gian', publicKey: ROGUE.publicKeyPem }], allowUnsigned: true } })
    const settings = withPolicy(shell.updates, 'policy' in reading ? reading.policy : null)
    expect(settings).toMatchObject({ url: 'https://capnhat.tinh.gov.vn/bangtin/', allowUnsigned: false, installWindow: { from: '01:00', to: '04:30' } })
    expect(settings.trustedKeys.map((k) => k.keyId)).toEqual(['tinh'])
    expect(await readSystemUpdatePolicy(join(await tempDir(), 'missing.json'), ME)).toEqual({ policy: null })
  })

  it('is refused when others can write it or it is not root’s, and when it is broken, saying which field', async () => {
    const body = { trustedKeys: [{ keyId: 'tinh', publicKey: PROVINCE.publicKeyPem }] }
    expect(await readSystemUpdatePolicy(await policyFile(body, 0o666), ME)).toEqual({ refused: expect.stringMatching(/other users can write it/) })
    // Owned by this test's user, which is not the owner a board requires (root) unless the test runs as root.
    const notMine = new Set([(process.getuid?.() ?? 0) + 1])
    expect(await readSystemUpdatePolicy(await policyFile(body), notMine)).toEqual({ refused: expect.stringMatching(/owned by another user/) })
    expect(await readSystemUpdatePolicy(await policyFile({ trustedKeys: [] }), ME)).toEqual({ refused: expect.stringMatching(/is invalid.*trustedKeys/) })
    expect(await readSystemUpdatePolicy(await policyFile('{"trustedKeys": ['), ME)).toEqual({ refused: expect.stringMatching(/không hợp lệ.*is invalid/) })
    expect(await readSystemUpdatePolicy(await policyFile({ ...body, url: 'http://capnhat.example/' }), ME)).toEqual({ refused: expect.stringMatching(/url/) })
  })

  it.skipIf(process.getuid?.() !== 0)('as a board checks it: a policy owned by the player’s user (not root) is refused', async () => {
    const path = await policyFile({ trustedKeys: [{ keyId: 'tinh', publicKey: PROVINCE.publicKeyPem }] })
    await chown(path, 65534, 65534)
    expect(await readSystemUpdatePolicy(path)).toEqual({ refused: expect.stringMatching(/uid 65534/) })
  })

  it('startUpdates: a refused policy turns updates off with its reason; a good one makes a world-writable shell.json irrelevant', async () => {
    const userData = await tempDir()
    const app = { isPackaged: true, getVersion: () => '1.0.0', getPath: () => userData, relaunch: () => undefined, exit: () => undefined, quit: () => undefined }
    const shell = parseShellConfig({ updates: { trustedKeys: [{ keyId: 'ke-gian', publicKey: ROGUE.publicKeyPem }] } })
    await writeFile(join(userData, 'shell.json'), '{}')
    await chmod(join(userData, 'shell.json'), 0o666)
    const checksBefore = fakeUpdater.checks

    const loose = await policyFile({ trustedKeys: [{ keyId: 'tinh', publicKey: PROVINCE.publicKeyPem }] }, 0o666)
    const refused = await startUpdates({ app, shell, player: null, log: memoryLogger(), policy: { path: loose, owners: ME } })
    expect(refused.state).toEqual({ kind: 'disabled', reason: expect.stringMatching(/other users can write it/) })

    // Without a policy the world-writable shell.json is refused, as before.
    const noPolicy = await startUpdates({ app, shell, player: null, log: memoryLogger(), policy: { path: null } })
    expect(noPolicy.state).toEqual({ kind: 'disabled', reason: expect.stringMatching(/shell.json has mode 0666/) })
    expect(fakeUpdater.checks).toBe(checksBefore)

    const good = await policyFile({ trustedKeys: [{ keyId: 'tinh', publicKey: PROVINCE.publicKeyPem }] })
    const started = await startUpdates({ app, shell, player: null, log: memoryLogger(), policy: { path: good, owners: ME } })
    expect(started.state.kind).not.toBe('disabled')
  })
})
