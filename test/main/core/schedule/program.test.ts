import { describe, expect, it } from 'vitest'
import { parseManifest } from '../../../../main/core/protocol/manifest'
import { buildProgram } from '../../../../main/core/schedule/program'

const IMG = '1'.repeat(64)
const VID = '2'.repeat(64)
const manifest = parseManifest({
  schema: 'bangtin.manifest/v1',
  version: 'v7',
  playlists: [
    {
      id: 'late',
      name: 'normal',
      items: [{ id: 'later', kind: 'text', body: 'Thường', durationSec: 1 }]
    },
    {
    id: 'p',
    name: 'p',
    priority: 'priority',
    items: [
      // Decomposed (NFD) Vietnamese must reach the screen composed, so fonts shape it correctly.
      { id: 't', kind: 'text', body: 'Thông báo'.normalize('NFD'), durationSec: 2.5 },
      { id: 'i', kind: 'image', asset: IMG, durationSec: 8 },
      { id: 'v', kind: 'video', asset: VID },
      { id: 's', kind: 'stream', url: 'https://tv.example/live.m3u8', durationSec: 30 }
    ]
    }
  ],
  assets: [
    { sha256: IMG, size: 1, mime: 'image/jpeg', url: 'i.jpg' },
    { sha256: VID, size: 1, mime: 'video/mp4', url: 'v.mp4' }
  ]
})

describe('buildProgram', () => {
  it('plays priority playlists first, maps items with cache URLs and ms durations, skips kinds not drawn yet', () => {
    const program = buildProgram(manifest, { isReady: () => true, mediaUrl: (sha) => `/media/${sha}` })
    expect(program).toEqual({
      version: 'v7',
      items: [
        { id: 't', kind: 'text', title: undefined, body: 'Thông báo'.normalize('NFC'), durationMs: 2500 },
        { id: 'i', kind: 'image', src: `/media/${IMG}`, fit: 'contain', durationMs: 8000 },
        { id: 'v', kind: 'video', src: `/media/${VID}`, mime: 'video/mp4', muted: true, durationMs: 0 },
        { id: 'later', kind: 'text', title: undefined, body: 'Thường', durationMs: 1000 }
      ]
    })
  })

  it('never lists an item whose file is not verified in the cache', () => {
    const program = buildProgram(manifest, { isReady: (sha) => sha === VID, mediaUrl: (sha) => sha })
    expect(program?.items.map((i) => i.id)).toEqual(['t', 'v', 'later'])
  })

  it('returns null when nothing is playable, so the fallback slide shows', () => {
    const onlyMedia = parseManifest({ ...manifest, playlists: [{ ...manifest.playlists[1]!, items: manifest.playlists[1]!.items.slice(1) }] })
    expect(buildProgram(onlyMedia, { isReady: () => false, mediaUrl: (s) => s })).toBeNull()
  })
})
