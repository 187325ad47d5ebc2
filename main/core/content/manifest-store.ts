// Persists the active manifest (what plays) and the pending one (still downloading) atomically, so a
// restart — even offline, even after a power cut — plays at once and resumes where it stopped.
import { mkdir, readFile, rename, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { z } from 'zod'
import { writeFileAtomic } from '../fs-atomic'
import type { Logger } from '../log'
import { Manifest } from '../protocol/manifest'

const Stored = z.object({
  manifest: Manifest,
  etag: z.string().max(500).optional(),
  savedAt: z.string()
})
export type StoredManifest = z.infer<typeof Stored>

export type Slot = 'active' | 'pending'

export class ManifestStore {
  constructor(
    private readonly dir: string,
    private readonly log: Logger
  ) {}

  async load(slot: Slot): Promise<StoredManifest | null> {
    const path = join(this.dir, `${slot}-manifest.json`)
    let text: string
    try {
      text = await readFile(path, 'utf8')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
      throw error
    }
    try {
      return Stored.parse(JSON.parse(text))
    } catch (error) {
      // Never expected (writes are atomic), but a damaged disk must not stop the board: keep the file for
      // a technician and carry on as if it were absent.
      this.log.error('stored manifest unreadable; set aside', { slot, reason: (error as Error).message })
      await rename(path, `${path}.corrupt-${Date.now()}`).catch(() => {})
      return null
    }
  }

  async save(slot: Slot, manifest: Manifest, etag?: string): Promise<void> {
    await mkdir(this.dir, { recursive: true })
    const stored: StoredManifest = { manifest, etag, savedAt: new Date().toISOString() }
    await writeFileAtomic(join(this.dir, `${slot}-manifest.json`), JSON.stringify(stored))
  }

  async clear(slot: Slot): Promise<void> {
    await rm(join(this.dir, `${slot}-manifest.json`), { force: true })
  }
}
