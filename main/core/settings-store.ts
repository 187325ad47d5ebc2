// Settings changed from afar that must outlive a restart (today: the master volume), kept apart from
// config.json, which belongs to the installer.
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { z } from 'zod'
import { writeFileAtomic } from './fs-atomic'
import type { Logger } from './log'

export const RemoteSettings = z.object({ volume: z.number().min(0).max(1).default(1) })
export type RemoteSettings = z.infer<typeof RemoteSettings>

export class SettingsStore {
  private settings: RemoteSettings = RemoteSettings.parse({})

  constructor(
    private readonly stateDir: string,
    private readonly log: Logger
  ) {}

  private get file(): string {
    return join(this.stateDir, 'settings.json')
  }

  async load(): Promise<RemoteSettings> {
    try {
      this.settings = RemoteSettings.parse(JSON.parse(await readFile(this.file, 'utf8')))
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') this.log.warn('remote settings unreadable; using defaults', { reason: String(error) })
    }
    return this.settings
  }

  get current(): RemoteSettings {
    return this.settings
  }

  async update(change: Partial<RemoteSettings>): Promise<RemoteSettings> {
    const next = RemoteSettings.parse({ ...this.settings, ...change })
    await writeFileAtomic(this.file, JSON.stringify(next))
    this.settings = next
    return next
  }
}
