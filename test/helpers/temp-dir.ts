// A fresh temp folder per test, removed afterwards.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach } from 'vitest'

export function useTempDirs(): () => Promise<string> {
  const made: string[] = []
  afterEach(async () => {
    // Retried: a part a test left running (a cache's debounced usage.json write) may add a file mid-removal.
    await Promise.all(made.splice(0).map((dir) => rm(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 })))
  })
  return async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bangtin-test-'))
    made.push(dir)
    return dir
  }
}
