// The board's credentials from pairing, at rest: a 0600 file, with the token encrypted when the shell
// offers a secret box (Electron's safeStorage); the browser shell relies on the file permissions.
import { chmod, mkdir, readFile } from 'node:fs/promises'
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
}

const Stored = z.object({
  serverUrl: z.string(),
  deviceId: z.string(),
  /** `plain:<token>` or `sealed:<base64 from the secret box>`. */
  token: z.string(),
  boardName: z.string().optional()
})

export class CredentialsStore {
  private readonly path: string

  constructor(
    dir: string,
    private readonly log: Logger,
    private readonly box: SecretBox | null = null
  ) {
    this.path = join(dir, 'credentials.json')
  }

  /** The stored credentials for this server, or null (none, another server, or unreadable). */
  async load(serverUrl: string): Promise<Credentials | null> {
    let stored: z.infer<typeof Stored>
    try {
      stored = Stored.parse(JSON.parse(await readFile(this.path, 'utf8')))
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') this.log.error('stored credentials unreadable; pairing again', { reason: (error as Error).message })
      return null
    }
    if (stored.serverUrl !== serverUrl) return null
    try {
      const token = stored.token.startsWith('sealed:') && this.box ? this.box.decrypt(stored.token.slice(7)) : stored.token.replace(/^plain:/, '')
      return { serverUrl, deviceId: stored.deviceId, token, boardName: stored.boardName }
    } catch (error) {
      this.log.error('stored token cannot be decrypted; pairing again', { reason: (error as Error).message })
      return null
    }
  }

  async save(credentials: Credentials): Promise<void> {
    await mkdir(join(this.path, '..'), { recursive: true })
    const token = this.box ? `sealed:${this.box.encrypt(credentials.token)}` : `plain:${credentials.token}`
    await writeFileAtomic(this.path, JSON.stringify({ ...credentials, token }))
    await chmod(this.path, 0o600)
  }
}
