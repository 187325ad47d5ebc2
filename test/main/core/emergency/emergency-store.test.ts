import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { EmergencyStore } from '../../../../main/core/emergency/emergency-store'
import { memoryLogger } from '../../../../main/core/log'
import { BoardClock } from '../../../../main/core/time/board-clock'
import { useTempDirs } from '../../../helpers/temp-dir'

const NOW = new Date('2026-11-22T01:00:00Z')
const at = (minutes: number) => new Date(NOW.getTime() + minutes * 60_000).toISOString()
const storm = { id: 'bao', issuedAt: at(0), expiresAt: at(60), title: 'Bão số 3', body: '' }
const flood = { id: 'lu', issuedAt: at(5), expiresAt: at(30), title: 'Lũ quét', body: '' }

/** A board clock whose wall and monotonic clocks the test moves: together (time passing) or the wall alone (a step). */
function testClock(start = NOW.getTime()) {
  let wall = start
  let mono = 1_000
  const clock = new BoardClock({ wall: () => wall, mono: () => mono })
  return {
    clock,
    pass(ms: number) {
      wall += ms
      mono += ms
    },
    step(ms: number) {
      wall += ms
    }
  }
}

describe('EmergencyStore', () => {
  const tempDir = useTempDirs()

  it('keeps emergencies newest first across a restart, and forgets them at expiry', async () => {
    const dir = await tempDir()
    const store = new EmergencyStore(dir, memoryLogger(), { clock: testClock().clock })
    expect(store.start(storm).isNew).toBe(true)
    const second = store.start(flood)
    expect(second.isNew).toBe(true)
    await second.saved
    expect(store.start(storm).isNew).toBe(false)

    const time = testClock()
    const reopened = new EmergencyStore(dir, memoryLogger(), { clock: time.clock })
    await reopened.load()
    expect(reopened.active().map((e) => e.id)).toEqual(['lu', 'bao'])
    time.pass(31 * 60_000)
    expect(reopened.active().map((e) => e.id)).toEqual(['bao'])
  })

  it('refuses an expired emergency and a replay of a cleared one until its expiry', async () => {
    const store = new EmergencyStore(await tempDir(), memoryLogger(), { clock: testClock().clock })
    expect(store.start({ ...storm, id: 'cu', issuedAt: at(-60), expiresAt: at(-1) }).isNew).toBe(false)
    await store.start(storm).saved
    expect(await store.clear('bao', storm.expiresAt)).toBe(true)
    expect(store.start(storm).isNew).toBe(false)
    expect(store.active()).toEqual([])
  })

  it('a wall clock that jumps a day ahead does not end an emergency; the schedule is told the time it really has left', async () => {
    const time = testClock()
    const store = new EmergencyStore(await tempDir(), memoryLogger(), { clock: time.clock })
    await store.start(storm).saved
    time.pass(10 * 60_000)
    time.step(86_400_000)
    const wallNow = new Date(NOW.getTime() + 10 * 60_000 + 86_400_000)
    expect(store.active().map((e) => e.id)).toEqual(['bao'])
    // 50 minutes are left: the scheduler, planning on the jumped clock, sees it end 50 minutes from its now.
    expect(store.onScreen(wallNow)[0]?.expiresAt).toBe(new Date(wallNow.getTime() + 50 * 60_000).toISOString())
    // Saving (a clear of another, a restart later) keeps it on disk too.
    await store.markShown('bao', 1)
    time.pass(50 * 60_000)
    expect(store.active()).toEqual([])
  })

  it('a clear outlives its own 5-minute message: the emergency stays cleared until its own expiry, across pruning and a restart', async () => {
    const dir = await tempDir()
    const time = testClock()
    const store = new EmergencyStore(dir, memoryLogger(), { clock: time.clock })
    await store.start(storm).saved
    await store.clear('bao', at(5))
    time.pass(10 * 60_000)
    // Another warning makes the store save, and forget what can no longer matter.
    await store.start({ ...flood, issuedAt: at(10), expiresAt: at(40) }).saved
    expect(store.start(storm).isNew).toBe(false)

    const reopened = new EmergencyStore(dir, memoryLogger(), { clock: time.clock })
    await reopened.load()
    expect(reopened.start(storm).isNew).toBe(false)
    expect(reopened.active().map((e) => e.id)).toEqual(['lu'])
  })

  it('a clear that came before its emergency holds as long as that emergency would have', async () => {
    const time = testClock()
    const store = new EmergencyStore(await tempDir(), memoryLogger(), { clock: time.clock })
    await store.clear('bao', at(5))
    await store.start(storm).saved
    time.pass(10 * 60_000)
    await store.start({ ...flood, issuedAt: at(10), expiresAt: at(40) }).saved
    expect(store.start(storm).isNew).toBe(false)
    expect(store.active().map((e) => e.id)).toEqual(['lu'])
  })

  it('notes only the first time an emergency was shown', async () => {
    const store = new EmergencyStore(await tempDir(), memoryLogger(), { clock: testClock().clock })
    await store.start(storm).saved
    expect(await store.markShown('bao', 1000)).toBe(true)
    expect(await store.markShown('bao', 2000)).toBe(false)
  })

  it('starts empty, with an error logged, when its file is damaged', async () => {
    const dir = await tempDir()
    await writeFile(join(dir, 'emergencies.json'), '{"active": [')
    const log = memoryLogger()
    const store = new EmergencyStore(dir, log, { clock: testClock().clock })
    await store.load()
    expect(store.active()).toEqual([])
    expect(log.records[0]?.level).toBe('error')
    await store.start(storm).saved
    expect(JSON.parse(await readFile(join(dir, 'emergencies.json'), 'utf8')).active).toHaveLength(1)
  })
})
