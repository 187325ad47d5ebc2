// The updater state machine and its controller: schedule, background download, install only when the
// display is off, staged rollout, and the "must reach playing" probation with rollback or a loud report.
import { describe, expect, it } from 'vitest'
import { memoryLogger } from '../../../../main/core/log'
import { UpdateController, type RecordStore, type UpdateRecord, type UpdaterPort } from '../../../../main/electron/updater/controller'
import { inRollout, mayInstallNow, rolloutBucket, startupVerdict } from '../../../../main/electron/updater/policy'
import { nextUpdateState, type UpdateState } from '../../../../main/electron/updater/state'

const SETTINGS = { checkIntervalMin: 60, installWindow: { from: '01:00', to: '04:30' }, verifyWithinMin: 15, maxStartsUnverified: 3 }
// 2026-03-02 12:00 in Asia/Ho_Chi_Minh (UTC+7): the middle of display hours.
const NOON = Date.parse('2026-03-02T05:00:00Z')

function harness(options: { record?: UpdateRecord; running?: string; displayOn?: boolean | null; rollback?: { started: boolean; note: string } } = {}) {
  let now = NOON
  let stored: UpdateRecord = options.record ?? { pending: null, blocked: [] }
  const screen = { displayOn: options.displayOn ?? true, emergencyOnScreen: false }
  const calls: string[] = []
  const states: UpdateState[] = []
  const port: UpdaterPort = {
    check: async () => void calls.push('check'),
    download: async () => void calls.push('download'),
    prepareRollback: async (from) => `/rollback/${from}.AppImage`,
    quitAndInstall: () => void calls.push('quitAndInstall'),
    rollback: async (path) => {
      calls.push(`rollback ${path}`)
      return options.rollback ?? { started: true, note: 'restored' }
    }
  }
  const store: RecordStore = {
    read: async () => structuredClone(stored),
    write: async (record) => void (stored = structuredClone(record))
  }
  const log = memoryLogger()
  const controller = new UpdateController({
    port,
    store,
    runningVersion: options.running ?? '1.0.0',
    settings: SETTINGS,
    timeZone: 'Asia/Ho_Chi_Minh',
    screen: () => screen,
    log,
    now: () => now,
    onChange: (state) => states.push(state)
  })
  return {
    controller,
    calls,
    states,
    log,
    screen,
    get stored() {
      return stored
    },
    advance: (ms: number) => (now += ms),
    get now() {
      return now
    }
  }
}

describe('nextUpdateState', () => {
  it('walks check → download → ready → installing, and ignores out-of-order events', () => {
    let s: UpdateState = { kind: 'idle', lastCheckAt: null }
    s = nextUpdateState(s, { type: 'check-started', at: 1 })
    expect(s).toEqual({ kind: 'checking', since: 1 })
    s = nextUpdateState(s, { type: 'update-available', version: '1.1.0', at: 2 })
    s = nextUpdateState(s, { type: 'download-progress', percent: 42.04 })
    expect(s).toMatchObject({ kind: 'downloading', version: '1.1.0', percent: 42 })
    expect(nextUpdateState(s, { type: 'download-progress', percent: 10 })).toMatchObject({ percent: 42 })
    s = nextUpdateState(s, { type: 'downloaded', version: '1.1.0', at: 3 })
    expect(s).toEqual({ kind: 'ready', version: '1.1.0', downloadedAt: 3 })
    expect(nextUpdateState(s, { type: 'check-started', at: 4 })).toBe(s)
    expect(nextUpdateState(s, { type: 'install-started', version: '1.1.0', at: 5 })).toEqual({ kind: 'installing', version: '1.1.0', at: 5 })
  })

  it('records the failing phase, and a broken update stays reported until restart', () => {
    const downloading: UpdateState = { kind: 'downloading', version: '2.0.0', percent: 3, since: 1 }
    expect(nextUpdateState(downloading, { type: 'error', reason: 'sha512 checksum mismatch', at: 9 })).toEqual({
      kind: 'failed',
      phase: 'download',
      reason: 'sha512 checksum mismatch',
      at: 9,
      version: '2.0.0'
    })
    const broken: UpdateState = { kind: 'update-broken', version: '2', fromVersion: '1', reason: 'x', at: 1, rollback: 'started', rollbackNote: '' }
    expect(nextUpdateState(broken, { type: 'check-started', at: 2 })).toBe(broken)
  })
})

describe('policy', () => {
  it('installs only with the display off or in the maintenance window, never over an emergency', () => {
    const window = SETTINGS.installWindow
    const base = { timeZone: 'Asia/Ho_Chi_Minh', window, emergencyOnScreen: false }
    expect(mayInstallNow({ ...base, displayOn: true, now: new Date(NOON) })).toBe(false)
    expect(mayInstallNow({ ...base, displayOn: false, now: new Date(NOON) })).toBe(true)
    expect(mayInstallNow({ ...base, displayOn: true, now: new Date('2026-03-01T19:30:00Z') })).toBe(true) // 02:30 local
    expect(mayInstallNow({ ...base, displayOn: false, emergencyOnScreen: true, now: new Date(NOON) })).toBe(false)
  })

  it('staged rollout: a stable bucket per device, honouring the percentage', () => {
    expect(rolloutBucket('board-17')).toBe(rolloutBucket('board-17'))
    const ids = Array.from({ length: 2000 }, (_, i) => `board-${i}`)
    const share = ids.filter((id) => inRollout(id, 25)).length / ids.length
    expect(share).toBeGreaterThan(0.2)
    expect(share).toBeLessThan(0.3)
    expect(ids.every((id) => inRollout(id, 100) && !inRollout(id, 0) && inRollout(id, undefined))).toBe(true)
  })

  it('startup verdicts from the pending record', () => {
    const pending = { fromVersion: '1.0.0', toVersion: '1.1.0', installedAt: 0, starts: 0, rollbackPath: null }
    expect(startupVerdict(null, '1.0.0', 3)).toEqual({ kind: 'none' })
    expect(startupVerdict(pending, '1.0.0', 3).kind).toBe('not-installed')
    expect(startupVerdict(pending, '1.1.0', 3)).toEqual({ kind: 'verify', pending: { ...pending, starts: 1 } })
    expect(startupVerdict({ ...pending, starts: 3 }, '1.1.0', 3).kind).toBe('give-up')
  })
})

describe('UpdateController', () => {
  it('checks on a schedule, downloads in the background, and waits for the display to go off', async () => {
    const h = harness()
    await h.controller.start()
    await h.controller.tick()
    expect(h.calls).toEqual(['check'])
    await h.controller.tick()
    expect(h.calls).toEqual(['check']) // not due again yet
    h.controller.handle({ type: 'update-available', version: '1.1.0', at: h.now })
    expect(h.calls).toEqual(['check', 'download'])
    h.controller.handle({ type: 'downloaded', version: '1.1.0', at: h.now })
    await h.controller.tick()
    expect(h.controller.state.kind).toBe('ready')
    expect(h.calls).not.toContain('quitAndInstall')

    h.screen.displayOn = false
    await h.controller.tick()
    expect(h.calls).toContain('quitAndInstall')
    expect(h.controller.state).toMatchObject({ kind: 'installing', version: '1.1.0' })
    expect(h.stored.pending).toEqual({ fromVersion: '1.0.0', toVersion: '1.1.0', installedAt: h.now, starts: 0, rollbackPath: '/rollback/1.0.0.AppImage' })
  })

  it('checks again after the interval, and after a failed check', async () => {
    const h = harness()
    await h.controller.tick()
    h.controller.handle({ type: 'error', reason: 'ECONNREFUSED', at: h.now })
    expect(h.controller.state).toMatchObject({ kind: 'failed', phase: 'check' })
    h.advance(60 * 60_000)
    await h.controller.tick()
    expect(h.calls).toEqual(['check', 'check'])
  })

  it('a new version that reaches "playing" is verified and the record cleared', async () => {
    const h = harness({ running: '1.1.0', record: { pending: { fromVersion: '1.0.0', toVersion: '1.1.0', installedAt: 0, starts: 0, rollbackPath: '/r' }, blocked: [] } })
    await h.controller.start()
    expect(h.controller.state).toMatchObject({ kind: 'verifying', version: '1.1.0', fromVersion: '1.0.0' })
    expect(h.stored.pending?.starts).toBe(1)
    await h.controller.tick()
    expect(h.calls).toEqual([]) // no checks while on probation
    await h.controller.reportPlaying()
    expect(h.controller.state.kind).toBe('idle')
    expect(h.stored.pending).toBeNull()
  })

  it('rolls back a new version that never plays, blocks it, and reports loudly', async () => {
    const h = harness({ running: '1.1.0', record: { pending: { fromVersion: '1.0.0', toVersion: '1.1.0', installedAt: 0, starts: 0, rollbackPath: '/r/1.0.0.AppImage' }, blocked: [] } })
    await h.controller.start()
    h.advance(15 * 60_000)
    await h.controller.tick()
    expect(h.calls).toEqual(['rollback /r/1.0.0.AppImage'])
    expect(h.controller.state).toMatchObject({ kind: 'update-broken', version: '1.1.0', fromVersion: '1.0.0', rollback: 'started' })
    expect(h.stored).toEqual({ pending: null, blocked: ['1.1.0'] })
    expect(h.log.records.some((r) => r.level === 'error' && r.message.startsWith('UPDATE BROKEN'))).toBe(true)
  })

  it('says plainly when it cannot roll back, and gives up after too many starts', async () => {
    const h = harness({
      running: '1.1.0',
      rollback: { started: false, note: 'deb installs cannot be rolled back from the app' },
      record: { pending: { fromVersion: '1.0.0', toVersion: '1.1.0', installedAt: 0, starts: 3, rollbackPath: null }, blocked: [] }
    })
    await h.controller.start()
    expect(h.controller.state).toMatchObject({ kind: 'update-broken', rollback: 'unavailable', rollbackNote: 'deb installs cannot be rolled back from the app' })
  })

  it('never downloads a version that failed here before', async () => {
    const h = harness({ record: { pending: null, blocked: ['1.1.0'] } })
    await h.controller.start()
    await h.controller.tick()
    h.controller.handle({ type: 'update-available', version: '1.1.0', at: h.now })
    expect(h.calls).toEqual(['check'])
    expect(h.controller.state.kind).toBe('idle')
  })

  it('an update that did not install is reported as an install failure', async () => {
    const h = harness({ running: '1.0.0', record: { pending: { fromVersion: '1.0.0', toVersion: '1.1.0', installedAt: 0, starts: 0, rollbackPath: null }, blocked: [] } })
    await h.controller.start()
    expect(h.controller.state).toMatchObject({ kind: 'failed', phase: 'install', version: '1.1.0' })
    expect(h.stored.pending).toBeNull()
  })
})

describe('heartbeatUpdate', () => {
  it('maps every state onto the heartbeat schema, a broken update with its versions and rollback', async () => {
    const { Heartbeat } = await import('../../../../main/core/protocol/heartbeat')
    const { heartbeatUpdate } = await import('../../../../main/electron/updater/state')
    const states: UpdateState[] = [
      { kind: 'idle', lastCheckAt: null },
      { kind: 'idle', lastCheckAt: 1 },
      { kind: 'disabled', reason: 'unpackaged build' },
      { kind: 'checking', since: 1 },
      { kind: 'downloading', version: '1.1.0', percent: 40, since: 1 },
      { kind: 'ready', version: '1.1.0', downloadedAt: 1 },
      { kind: 'installing', version: '1.1.0', at: 1 },
      { kind: 'verifying', version: '1.1.0', fromVersion: '1.0.0', deadline: 1, start: 0 },
      { kind: 'failed', phase: 'download', reason: 'x'.repeat(3000), at: 1 },
      { kind: 'update-broken', version: '1.1.0', fromVersion: '1.0.0', reason: 'no playing', at: 1, rollback: 'unavailable', rollbackNote: 'deb' }
    ]
    for (const state of states) {
      const report = heartbeatUpdate(state)
      expect(Heartbeat.shape.update.parse(report)).toEqual(report)
      expect(report.state).toBe(state.kind)
    }
    expect(heartbeatUpdate(states.at(-1)!)).toEqual({
      state: 'update-broken',
      version: '1.1.0',
      fromVersion: '1.0.0',
      reason: 'no playing',
      at: '1970-01-01T00:00:00.001Z',
      rollback: 'unavailable',
      rollbackNote: 'deb'
    })
  })
})
