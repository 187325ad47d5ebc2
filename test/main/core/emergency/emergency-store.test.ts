import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { EmergencyStore } from '../../../../main/core/emergency/emergency-store'
import { memoryLogger } from '../../../../main/core/log'
import { useTempDirs } from '../../../helpers/temp-dir'

const NOW = new Date('2026-11-22T01:00:00Z')
const at = (minutes: number) => new Date(NOW.getTime() + minutes * 60_000).toISOString()
const storm = { id: 'bao', issuedAt: at(0), expiresAt: at(60), title: 'Bão số 3', body: '' }
const flood = { id: 'lu', issuedAt: at(5), expiresAt: at(30), title: 'Lũ quét', body: '' }

describe('EmergencyStore', () => {
  const tempDir = useTempDirs()

  it('keeps emergencies newest first across a restart, and forgets them at expiry', async () => {
    const dir = await tempDir()
    const store = new EmergencyStore(dir, memoryLogger())
    expect(store.start(storm, NOW).isNew).toBe(true)
    const second = store.start(flood, NOW)
    expect(second.isNew).toBe(true)
    await second.saved
    expect(store.start(storm, NOW).isNew).toBe(false)

    const reopened = new EmergencyStore(dir, memoryLogger())
    await reopened.load()
    expect(reopened.active(NOW).map((e) => e.id)).toEqual(['lu', 'bao'])
    expect(reopened.active(new Date(Date.parse(at(31)))).map((e) => e.id)).toEqual(['bao'])
  })

  it('refuses an expired emergency and a replay of a cleared one until its expiry', async () => {
    const store = new EmergencyStore(await tempDir(), memoryLogger())
    expect(store.start({ ...storm, id: 'cu', expiresAt: at(-1) }, NOW).isNew).toBe(false)
    await store.start(storm, NOW).saved
    expect(await store.clear('bao', storm.expiresAt, NOW)).toBe(true)
    expect(store.start(storm, NOW).isNew).toBe(false)
    expect(store.active(NOW)).toEqual([])
  })

  it('notes only the first time an emergency was shown', async () => {
    const store = new EmergencyStore(await tempDir(), memoryLogger())
    await store.start(storm, NOW).saved
    expect(await store.markShown('bao', 1000, NOW)).toBe(true)
    expect(await store.markShown('bao', 2000, NOW)).toBe(false)
  })

  it('starts empty, with an error logged, when its file is damaged', async () => {
    const dir = await tempDir()
    await writeFile(join(dir, 'emergencies.json'), '{"active": [')
    const log = memoryLogger()
    const store = new EmergencyStore(dir, log)
    await store.load()
    expect(store.active(NOW)).toEqual([])
    expect(log.records[0]?.level).toBe('error')
    await store.start(storm, NOW).saved
    expect(JSON.parse(await readFile(join(dir, 'emergencies.json'), 'utf8')).active).toHaveLength(1)
  })
})
