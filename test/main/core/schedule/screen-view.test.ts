import { describe, expect, it } from 'vitest'
import { parseManifest } from '../../../../main/core/protocol/manifest'
import type { SchedulePlan } from '../../../../main/core/schedule/scheduler'
import { buildScreenView } from '../../../../main/core/schedule/screen-view'

const IMG = '1'.repeat(64)
const VID = '2'.repeat(64)
const manifest = parseManifest({
  schema: 'bangtin.manifest/v1',
  version: 'v7',
  layout: {
    id: 'tin-va-chu-chay',
    zones: [
      { id: 'main', role: 'main', x: 0, y: 0, width: 1, height: 0.85 },
      { id: 'bottom', role: 'ticker', x: 0, y: 0.85, width: 1, height: 0.15 }
    ]
  },
  playlists: [
    {
      id: 'p',
      name: 'p',
      items: [
        // Decomposed (NFD) Vietnamese must reach the screen composed, so fonts shape it correctly.
        { id: 't', kind: 'text', body: 'Thông báo'.normalize('NFD'), durationSec: 2.5 },
        { id: 'i', kind: 'image', asset: IMG, durationSec: 8 },
        { id: 'v', kind: 'video', asset: VID },
        { id: 's', kind: 'stream', url: 'https://tv.example/live.m3u8', durationSec: 30 }
      ]
    },
    { id: 'chu-chay', name: 'Chữ chạy', zone: 'bottom', items: [{ id: 'k', kind: 'ticker', text: 'Phòng chống lụt bão', durationSec: 60 }] }
  ],
  assets: [
    { sha256: IMG, size: 1, mime: 'image/jpeg', url: 'i.jpg' },
    { sha256: VID, size: 1, mime: 'video/mp4', url: 'v.mp4' }
  ]
})
const [main, bottom] = manifest.playlists as [(typeof manifest.playlists)[number], (typeof manifest.playlists)[number]]

function planOf(overrides: Partial<SchedulePlan> = {}): SchedulePlan {
  return {
    displayOn: true,
    emergency: null,
    otherEmergencies: [],
    zones: [
      { zoneId: 'main', role: 'main', priority: 'normal', playlistIds: ['p'], items: main.items, isDefault: false },
      { zoneId: 'bottom', role: 'ticker', priority: 'normal', playlistIds: ['chu-chay'], items: bottom.items, isDefault: false }
    ],
    nextChangeAt: null,
    ...overrides
  }
}

describe('buildScreenView', () => {
  it('places every zone with its items, cache URLs and millisecond durations; skips kinds not drawn yet', () => {
    const view = buildScreenView(planOf(), manifest, { isReady: () => true, mediaUrl: (sha) => `/media/${sha}` })
    expect(view.zones.map((z) => [z.zone.id, z.zone.role, z.zone.height])).toEqual([
      ['main', 'main', 0.85],
      ['bottom', 'ticker', 0.15]
    ])
    expect(view.zones[0]!.program?.items).toEqual([
      { id: 't', kind: 'text', title: undefined, body: 'Thông báo'.normalize('NFC'), durationMs: 2500 },
      { id: 'i', kind: 'image', src: `/media/${IMG}`, fit: 'contain', durationMs: 8000 },
      { id: 'v', kind: 'video', src: `/media/${VID}`, mime: 'video/mp4', muted: true, volume: 1, durationMs: 0 }
    ])
    expect(view.zones[1]!.program?.items).toEqual([{ id: 'k', kind: 'ticker', text: 'Phòng chống lụt bão', speed: 2, durationMs: 60000 }])
    // Program versions name the playlists in play, so a schedule change restarts the rotation.
    expect(view.zones[0]!.program?.version).toBe('v7/main/p')
  })

  it('never lists an item whose file is not verified in the cache', () => {
    const view = buildScreenView(planOf(), manifest, { isReady: (sha) => sha === VID, mediaUrl: (sha) => sha })
    expect(view.zones[0]!.program?.items.map((i) => i.id)).toEqual(['t', 'v'])
  })

  it('gives a zone with nothing playable a null program (the screen shows its fallback)', () => {
    const view = buildScreenView(planOf({ zones: [] }), manifest, { isReady: () => true, mediaUrl: (s) => s })
    expect(view.zones.map((z) => z.program)).toEqual([null, null])
  })

  it('puts the winning emergency over everything, with its image only once verified', () => {
    const emergency = { id: 'bao', issuedAt: '2026-11-21T00:00:00Z', expiresAt: '2026-11-22T00:00:00Z', title: 'Bão số 3', body: 'Sơ tán', asset: IMG }
    const ready = buildScreenView(planOf({ emergency, displayOn: true }), manifest, { isReady: () => true, mediaUrl: (s) => `/media/${s}` })
    expect(ready.emergency).toEqual({ id: 'bao', title: 'Bão số 3', body: 'Sơ tán', imageSrc: `/media/${IMG}`, issuedAt: emergency.issuedAt })
    const notYet = buildScreenView(planOf({ emergency }), manifest, { isReady: () => false, mediaUrl: (s) => s })
    expect(notYet.emergency?.imageSrc).toBeUndefined()
  })

  it('passes display off through', () => {
    expect(buildScreenView(planOf({ displayOn: false }), manifest, { isReady: () => true, mediaUrl: (s) => s }).displayOn).toBe(false)
  })
})
