import { readFile, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { memoryLogger } from '../../../../main/core/log'
import { CredentialsStore, type SecretBox } from '../../../../main/core/pairing/credentials-store'
import { useTempDirs } from '../../../helpers/temp-dir'

const box: SecretBox = {
  encrypt: (plain) => Buffer.from(plain).toString('base64').split('').reverse().join(''),
  decrypt: (sealed) => Buffer.from(sealed.split('').reverse().join(''), 'base64').toString()
}
const credentials = { serverUrl: 'https://nguon.example.vn', deviceId: 'phu-an-01', token: 'bí-mật-0123456789' }

describe('CredentialsStore', () => {
  const tempDir = useTempDirs()

  it('keeps the token sealed by the secret box, in a file only the player can read', async () => {
    const dir = await tempDir()
    await new CredentialsStore(dir, memoryLogger(), box).save(credentials)
    const text = await readFile(join(dir, 'credentials.json'), 'utf8')
    expect(text).not.toContain(credentials.token)
    expect((await stat(join(dir, 'credentials.json'))).mode & 0o777).toBe(0o600)
    expect(await new CredentialsStore(dir, memoryLogger(), box).load(credentials.serverUrl)).toMatchObject(credentials)
  })

  it('forgets credentials of another server, and survives a damaged file by pairing again', async () => {
    const dir = await tempDir()
    await new CredentialsStore(dir, memoryLogger()).save(credentials)
    expect(await new CredentialsStore(dir, memoryLogger()).load('https://khac.example.vn')).toBeNull()
    await writeFile(join(dir, 'credentials.json'), '{"serverUrl":')
    const log = memoryLogger()
    expect(await new CredentialsStore(dir, log).load(credentials.serverUrl)).toBeNull()
    expect(log.records[0]?.level).toBe('error')
  })

  it('forgets a revoked token and remembers it as revoked (as a hash), keeping credentials of another token', async () => {
    const dir = await tempDir()
    const store = new CredentialsStore(dir, memoryLogger(), box)
    await store.save(credentials)
    await store.revoke('mot-token-khac-0123456789')
    expect(await store.load(credentials.serverUrl)).toMatchObject(credentials)
    expect(await store.isRevoked('mot-token-khac-0123456789')).toBe(true)
    await store.revoke(credentials.token)
    expect(await store.load(credentials.serverUrl)).toBeNull()
    expect(await new CredentialsStore(dir, memoryLogger(), box).isRevoked(credentials.token)).toBe(true)
    expect(await readFile(join(dir, 'revoked-tokens.json'), 'utf8')).not.toContain(credentials.token)
    expect(await store.isRevoked('chua-bi-thu-hoi-0123456789')).toBe(false)
  })
})
