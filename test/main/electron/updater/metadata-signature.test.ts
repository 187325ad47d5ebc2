// The update-metadata signature on its own: what passes, what is refused and why, the lab switch, key
// rotation, and the shell.json permission rule (real files, real modes).
import { createPrivateKey, sign } from 'node:crypto'
import { chmod, mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { generateSigningKey, trustedKeysFrom } from '../../../../main/core/protocol/signing'
import { MAX_VALIDITY_DAYS, signUpdateMetadata, verifyUpdateMetadata, type UpdateTrust } from '../../../../main/electron/updater/metadata-signature'
import { writableByOthers } from '../../../../main/electron/updater/trust'
import { useTempDirs } from '../../../helpers/temp-dir'

const OLD = generateSigningKey()
const NEW = generateSigningKey()
const YML = 'version: 1.1.0\nfiles:\n  - url: a.deb\n    sha512: AAAA\n'
const trust = (allowUnsigned = false, keys = [{ keyId: 'old', publicKey: OLD.publicKeyPem }]): UpdateTrust => ({ keys: trustedKeysFrom(keys), allowUnsigned })
const sig = (file: string, text: string, pem: string, keyId: string): string => JSON.stringify(signUpdateMetadata(file, text, keyId, createPrivateKey(pem)))

describe('verifyUpdateMetadata', () => {
  it('accepts the exact bytes signed, by any configured key (rotation: old and new side by side)', () => {
    const both = trust(false, [
      { keyId: 'old', publicKey: OLD.publicKeyPem },
      { keyId: 'new', publicKey: NEW.publicKeyPem }
    ])
    expect(verifyUpdateMetadata('latest-linux.yml', YML, sig('latest-linux.yml', YML, OLD.privateKeyPem, 'old'), both)).toBe('old')
    expect(verifyUpdateMetadata('latest-linux.yml', YML, sig('latest-linux.yml', YML, NEW.privateKeyPem, 'new'), both)).toBe('new')
  })

  it.each([
    ['a signature made for latest.yml (Windows)', () => sig('latest.yml', YML, OLD.privateKeyPem, 'old'), 'wrong-file'],
    ['an unknown key id', () => sig('latest-linux.yml', YML, NEW.privateKeyPem, 'new'), 'unknown-key'],
    ['not JSON', () => 'garbage', 'malformed'],
    ['a trailing newline added to the metadata', () => sig('latest-linux.yml', YML.trimEnd(), OLD.privateKeyPem, 'old'), 'bad-signature'],
    // A province may use one key for content and updates: a raw signature over the bytes (as a content
    // envelope makes) is not an update signature.
    [
      'a content-style signature over the bare bytes',
      () => JSON.stringify({ ...signUpdateMetadata('latest-linux.yml', YML, 'old', createPrivateKey(OLD.privateKeyPem)), signature: sign(null, Buffer.from(YML), createPrivateKey(OLD.privateKeyPem)).toString('base64') }),
      'bad-signature'
    ]
  ])('refuses %s', (_what, make, reason) => {
    expect(() => verifyUpdateMetadata('latest-linux.yml', YML, make(), trust())).toThrow(expect.objectContaining({ reason, code: 'ERR_BANGTIN_UPDATE_SIGNATURE' }))
  })

  it('refuses a replayed signature once its signed window has passed, and a window longer than the maximum (a feed cannot freeze updates unseen)', () => {
    const key = createPrivateKey(OLD.privateKeyPem)
    const signedAt = Date.parse('2026-06-01T00:00:00Z')
    const old = JSON.stringify(signUpdateMetadata('latest-linux.yml', YML, 'old', key, { now: signedAt, validDays: 30 }))
    expect(verifyUpdateMetadata('latest-linux.yml', YML, old, trust(), signedAt + 29 * 86_400_000)).toBe('old')
    expect(() => verifyUpdateMetadata('latest-linux.yml', YML, old, trust(), signedAt + 31 * 86_400_000)).toThrow(
      expect.objectContaining({ reason: 'expired', message: expect.stringMatching(/hết hạn ngày 2026-07-01.*expired on 2026-07-01/s) })
    )
    const forever = JSON.stringify(signUpdateMetadata('latest-linux.yml', YML, 'old', key, { now: signedAt, validDays: MAX_VALIDITY_DAYS + 1 }))
    expect(() => verifyUpdateMetadata('latest-linux.yml', YML, forever, trust(), signedAt)).toThrow(expect.objectContaining({ reason: 'window-too-long' }))
    // The window is inside the signature: moving expiresAt breaks it.
    const stretched = JSON.stringify({ ...JSON.parse(old), expiresAt: '2026-08-01T00:00:00.000Z' })
    expect(() => verifyUpdateMetadata('latest-linux.yml', YML, stretched, trust(), signedAt + 31 * 86_400_000)).toThrow(expect.objectContaining({ reason: 'bad-signature' }))
  })

  it('the lab switch lets a missing signature through, never a wrong one; without keys it checks nothing', () => {
    expect(verifyUpdateMetadata('latest-linux.yml', YML, null, trust(true))).toBeNull()
    expect(() => verifyUpdateMetadata('latest-linux.yml', YML, sig('latest-linux.yml', YML, NEW.privateKeyPem, 'old'), trust(true))).toThrow(expect.objectContaining({ reason: 'bad-signature' }))
    expect(verifyUpdateMetadata('latest-linux.yml', YML, 'anything', trust(true, []))).toBeNull()
    expect(() => verifyUpdateMetadata('latest-linux.yml', YML, null, trust(false))).toThrow(expect.objectContaining({ reason: 'unsigned' }))
  })
})

describe('writableByOthers (the shell config naming feed and keys)', () => {
  const tempDir = useTempDirs()

  it('accepts 0600 and 0644 in a private folder, and a sticky shared folder; refuses group/world-writable files', async () => {
    const dir = await tempDir()
    const file = join(dir, 'shell.json')
    await writeFile(file, '{}')
    await chmod(dir, 0o700)
    for (const mode of [0o600, 0o644, 0o640]) {
      await chmod(file, mode)
      expect(await writableByOthers(file, 'linux')).toBeNull()
    }
    for (const mode of [0o620, 0o602, 0o666]) {
      await chmod(file, mode)
      expect(await writableByOthers(file, 'linux')).toMatch(new RegExp(`0${mode.toString(8)}.*other users can write it`))
    }
    const shared = join(dir, 'shared')
    await mkdir(shared)
    await chmod(shared, 0o1777)
    await writeFile(join(shared, 'shell.json'), '{}', { mode: 0o600 })
    expect(await writableByOthers(join(shared, 'shell.json'), 'linux')).toBeNull()
    expect(await writableByOthers(join(dir, 'missing.json'), 'linux')).toBeNull()
    await chmod(file, 0o666)
    expect(await writableByOthers(file, 'win32')).toBeNull()
  })
})
