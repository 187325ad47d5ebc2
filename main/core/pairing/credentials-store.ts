// The board's credentials from pairing, at rest: a 0600 file, with the token encrypted when the shell
// offers a secret box (Electron's safeStorage); the browser shell relies on the file permissions. Also
// the tokens the server revoked (as hashes), so a revoked provisioned token is not used again.
import { createHash } from 'node:crypto'
import { chmod, mkdir, readFile, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { z } from 'zod'
import { writeFileAtomic } from '../fs-atomic'
import type { Logger } from '../log'

/** Encrypts secrets with a key the OS keeps for this user (Electron safeStorage, DPAPI, libsecret). */
export interface SecretBox {
  encrypt(plain: string): string
  decrypt(sealed: string): string
}

export interface Credentials {
  serverUrl: string
  deviceId: string
  token: string
  boardName?: string
  /** The province key shown and pinned at pairing. */
  provinceKey?: { keyId: string; publicKey: string }
}

const Stored = z.object({
  serverUrl: z.string(),
  deviceId: z.string(),
  /** `plain:<token>` or `sealed:<base64 from the secret box>`. */
  token: z.string(),
  boardName: z.string().optional(),
  provinceKey: z.object({ keyId: z.string(), publicKey: z.string() }).optional()
})

const Revoked = z.array(z.string().regex(/^[0-9a-f]{64}$/))
/** Revoked tokens remembered: a board is re-provisioned a handful of times in its life, not more. */
const REVOKED_KEPT = 20

const tokenHash = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex')

export class CredentialsStore {
  private readonly path: string
  private readonly revokedPath: string

  constructor(
    dir: string,
    private readonly log: Logger,
    private readonly box: SecretBox | null = null
  ) {
    this.path = join(dir, 'credentials.json')
    this.revokedPath = join(dir, 'revoked-tokens.json')
  }

  /** The stored credentials for this server, or null (none, another server, or unreadable). */
  async load(serverUrl: string): Promise<Credentials | null> {
    const stored = await this.read()
    return stored && stored.serverUrl === serverUrl ? stored : null
  }

  async save(credentials: Credentials): Promise<void> {
    await mkdir(join(this.path, '..'), { recursive: true })
    const token = this.box ? `sealed:${this.box.encrypt(credentials.token)}` : `plain:${credentials.token}`
    await writeFileAtomic(this.path, JSON.stringify({ ...credentials, token }))
    await chmod(this.path, 0o600)
  }

  /** The server refused this token for good: forget it (if it is the stored one) and remember it as revoked. */
  async revoke(token: string): Promise<void> {
    if ((await this.read())?.token === token) await rm(this.path, { force: true })
    const hash = tokenHash(token)
    const revoked = [...(await this.revokedHashes()).filter((h) => h !== hash), hash].slice(-REVOKED_KEPT)
    await mkdir(join(this.revokedPath, '..'), { recursive: true })
    await writeFileAtomic(this.revokedPath, JSON.stringify(revoked))
  }

  /** Whether the server revoked this token (a provisioned one in config.json, say). */
  async isRevoked(token: string): Promise<boolean> {
    return (await this.revokedHashes()).includes(tokenHash(token))
  }

  private async read(): Promise<Credentials | null> {
    let stored: z.infer<typeof Stored>
    try {
      stored = Stored.parse(JSON.parse(await readFile(this.path, 'utf8')))
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') this.log.error('stored credentials unreadable; pairing again', { reason: (error as Error).message })
      return null
    }
    try {
      const token = stored.token.startsWith('sealed:') && this.box ? this.box.decrypt(stored.token.slice(7)) : stored.token.replace(/^plain:/, '')
      return { serverUrl: stored.serverUrl, deviceId: stored.deviceId, token, boardName: stored.boardName, provinceKey: stored.provinceKey }
    } catch (error) {
      this.log.error('stored token cannot be decrypted; pairing again', { reason: (error as Error).message })
      return null
    }
  }

  private async revokedHashes(): Promise<string[]> {
    try {
      return Revoked.parse(JSON.parse(await readFile(this.revokedPath, 'utf8')))
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') this.log.error('revoked tokens list unreadable; starting it again', { reason: (error as Error).message })
      return []
    }
  }
}
