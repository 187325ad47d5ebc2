// The updater's record (pending verification, blocked versions) as a small JSON file in userData,
// replaced atomically so a power cut mid-write leaves the old record, never half of one.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import type { RecordStore, UpdateRecord } from './controller'

export function fileRecordStore(path: string): RecordStore {
  return {
    async read(): Promise<UpdateRecord> {
      try {
        const parsed = JSON.parse(await readFile(path, 'utf8')) as Partial<UpdateRecord>
        return { pending: parsed.pending ?? null, blocked: Array.isArray(parsed.blocked) ? parsed.blocked.filter((v) => typeof v === 'string') : [] }
      } catch {
        return { pending: null, blocked: [] }
      }
    },
    async write(record: UpdateRecord): Promise<void> {
      await mkdir(dirname(path), { recursive: true })
      const temp = `${path}.tmp`
      await writeFile(temp, JSON.stringify(record, null, 2))
      await rename(temp, path)
    }
  }
}
