import { describe, expect, it } from 'vitest'
import { composeHeartbeat, type HeartbeatInputs } from '../../../../main/core/reporting/heartbeat'
import { composeStatus, type StatusExtras } from '../../../../main/core/reporting/status'

const NOW = new Date('2026-11-22T03:00:00Z')
const inputs: HeartbeatInputs = {
  deviceId: 'xa-phu-an',
  deviceName: 'UBND xã Phú An',
  appVersion: '1.2.3',
  os: { platform: 'linux', release: '6.1', arch: 'x64' },
  bootAt: null,
  appStartedAt: NOW.getTime() - 90_000,
  screen: { itemId: 'tin-1', layoutId: null, programVersion: 'v7', rendererAnswering: true, hasContent: true },
  emergency: null,
  displayOn: true,
  sync: { state: 'syncing', push: 'connected', activeVersion: null, pendingVersion: 'v7', lastSuccessAt: null, lastError: null, progress: null, clockOffsetMs: 0 },
  cache: { storedBytes: 1000, partialBytes: 500, quotaBytes: Infinity, quarantinedCount: 0 },
  reporting: { pendingPlays: 0, droppedPlays: 0, droppedHeartbeats: 0, pendingUploads: 0, droppedUploads: 0 }
}
const extras: StatusExtras = {
  serverUrl: 'https://nguon.tinh.gov.vn',
  pairing: false,
  progress: { assetsDone: 2, assetsTotal: 5, bytesDone: 1500, bytesTotal: 9000 },
  disk: { freeBytes: 10, totalBytes: 100 },
  runtime: 'node 20',
  todayUptimePercent: 99.5
}

describe('composeStatus', () => {
  it('carries what a technician asks first: who, where, how connected, how far the download is', () => {
    const status = composeStatus(composeHeartbeat(inputs, NOW), extras)
    expect(status).toMatchObject({
      deviceId: 'xa-phu-an',
      serverUrl: 'https://nguon.tinh.gov.vn',
      network: 'connected',
      download: { bytesDone: 1500, bytesTotal: 9000, itemsDone: 2, itemsTotal: 5 },
      cache: { usedBytes: 1500, quotaBytes: null },
      versions: { app: '1.2.3', os: 'linux 6.1 x64', runtime: 'node 20' },
      lastPlayed: { itemId: 'tin-1', programVersion: 'v7' },
      uptime: { appSec: 90, todayPercent: 99.5 },
      sentAt: NOW.toISOString()
    })
  })

  it('says standalone without a server and pairing while waiting for approval', () => {
    const heartbeat = composeHeartbeat({ ...inputs, sync: null }, NOW)
    expect(composeStatus(heartbeat, { ...extras, serverUrl: null, progress: null }).network).toBe('standalone')
    expect(composeStatus(heartbeat, { ...extras, pairing: true, progress: null })).toMatchObject({ network: 'pairing', download: null })
  })
})
