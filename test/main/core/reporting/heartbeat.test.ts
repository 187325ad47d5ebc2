// Heartbeat composer and its bounded offline queue.
import { describe, expect, it } from 'vitest'
import { Heartbeat } from '../../../../main/core/protocol/heartbeat'
import { composeHeartbeat, HeartbeatQueue, linkKind, type HeartbeatInputs } from '../../../../main/core/reporting/heartbeat'

const NOW = new Date('2024-05-10T02:00:00.000Z')
const inputs = (over: Partial<HeartbeatInputs> = {}): HeartbeatInputs => ({
  deviceId: 'xa-tan-lap-01',
  deviceName: 'Bảng tin UBND xã Tân Lập',
  appVersion: '0.1.0',
  os: { platform: 'linux', release: '6.1.0', arch: 'x64' },
  bootAt: NOW.getTime() - 3_600_000,
  appStartedAt: NOW.getTime() - 90_500,
  screen: { itemId: 'lich-tiem-chung', layoutId: 'main', programVersion: 'v12', rendererAnswering: true, hasContent: true },
  emergency: null,
  displayOn: true,
  sync: {
    state: 'up-to-date',
    push: 'connected',
    activeVersion: 'v12',
    pendingVersion: null,
    lastSuccessAt: NOW.getTime() - 60_000,
    lastError: null,
    progress: null,
    clockOffsetMs: -1234.4
  },
  cache: { storedBytes: 1000, partialBytes: 24, quotaBytes: 5_000_000, quarantinedCount: 1 },
  reporting: { pendingPlays: 3, droppedPlays: 0, droppedHeartbeats: 0, pendingUploads: 2, droppedUploads: 1 },
  ...over
})

describe('composeHeartbeat', () => {
  it('builds a document the schema accepts, with times as ISO strings', () => {
    const heartbeat = composeHeartbeat(inputs(), NOW)
    expect(Heartbeat.parse(heartbeat)).toEqual(heartbeat)
    expect(heartbeat).toMatchObject({
      sentAt: '2024-05-10T02:00:00.000Z',
      appUptimeSec: 90,
      bootAt: '2024-05-10T01:00:00.000Z',
      screen: { playState: 'playing', itemId: 'lich-tiem-chung' },
      network: { push: 'connected' },
      sync: { state: 'up-to-date', lastSuccessAt: '2024-05-10T01:59:00.000Z', activeVersion: 'v12' },
      cache: { usedBytes: 1024, quotaBytes: 5_000_000, quarantined: 1 },
      display: { power: 'on' },
      clock: { offsetMs: -1234 },
      update: { state: 'idle' }
    })
  })

  it('names the most fundamental reason the screen is not playing', () => {
    const state = (over: Partial<HeartbeatInputs>): string => composeHeartbeat(inputs(over), NOW).screen.playState
    const screen = inputs().screen
    expect(state({ displayOn: false, screen: { ...screen, rendererAnswering: false } })).toBe('display-off')
    expect(state({ screen: { ...screen, rendererAnswering: false }, emergency: { id: 'bao-so-3', since: null } })).toBe('renderer-down')
    expect(state({ emergency: { id: 'bao-so-3', since: NOW.getTime() } })).toBe('emergency')
    expect(state({ screen: { ...screen, hasContent: false } })).toBe('no-content')
  })

  it('works standalone, with an unlimited cache, unknown display power and a clock stepped back', () => {
    const heartbeat = composeHeartbeat(
      inputs({ sync: null, displayOn: null, bootAt: null, appStartedAt: NOW.getTime() + 60_000, cache: { storedBytes: 0, partialBytes: 0, quotaBytes: Infinity, quarantinedCount: 0 } }),
      NOW
    )
    expect(heartbeat).toMatchObject({
      sync: { state: 'standalone', lastSuccessAt: null },
      network: { push: 'disconnected' },
      cache: { quotaBytes: null },
      display: { power: 'unknown' },
      clock: { offsetMs: null },
      bootAt: null,
      appUptimeSec: 0
    })
  })
})

describe('compatibility within v1', () => {
  it('accepts a heartbeat from a board that predates the fields added since (links, uploads)', () => {
    const today = composeHeartbeat(inputs(), NOW)
    const { links: _links, ...network } = today.network
    const { pendingUploads: _p, droppedUploads: _d, ...reporting } = today.reporting
    const older = { ...today, network, reporting }
    expect(Heartbeat.parse(older)).toMatchObject({ network: { links: [] }, reporting: { pendingUploads: 0, droppedUploads: 0 } })
  })
})

describe('network links', () => {
  it('says how the board is connected: wired, Wi-Fi or a 3G/4G modem', () => {
    const heartbeat = composeHeartbeat(inputs({ links: ['enp1s0', 'wlp2s0', 'wwan0', 'tun0'] }), NOW)
    expect(heartbeat.network.links).toEqual([
      { name: 'enp1s0', kind: 'ethernet' },
      { name: 'wlp2s0', kind: 'wifi' },
      { name: 'wwan0', kind: 'cellular' },
      { name: 'tun0', kind: 'other' }
    ])
    expect(['eth0', 'Ethernet 2', 'Wi-Fi', 'wlan0', 'usb0', 'ppp0', 'Cellular', 'docker0'].map(linkKind)).toEqual([
      'ethernet',
      'ethernet',
      'wifi',
      'wifi',
      'cellular',
      'cellular',
      'cellular',
      'other'
    ])
  })
})

describe('HeartbeatQueue', () => {
  it('keeps only the latest heartbeats while offline and counts the rest', () => {
    const queue = new HeartbeatQueue(3)
    for (let n = 0; n < 10; n++) queue.push(composeHeartbeat(inputs(), new Date(NOW.getTime() + n * 60_000)))
    expect(queue.size).toBe(3)
    expect(queue.dropped).toBe(7)
    const kept = queue.peek()
    expect(kept.map((h) => h.sentAt)).toEqual(['2024-05-10T02:07:00.000Z', '2024-05-10T02:08:00.000Z', '2024-05-10T02:09:00.000Z'])
    queue.acknowledge(kept[1]!.sentAt)
    expect(queue.peek().map((h) => h.sentAt)).toEqual(['2024-05-10T02:09:00.000Z'])
  })
})
