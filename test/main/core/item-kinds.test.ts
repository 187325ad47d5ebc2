// The item-kind table end to end: each kind's asset flag agrees with its schema, manifest validation
// refuses an unlisted asset for every kind that carries one, and the screen view shows every kind.
import { describe, expect, it } from 'vitest'
import { ITEM_KINDS, ManifestItem, parseManifest, type ItemKind } from '../../../main/core/protocol/manifest'
import type { SchedulePlan } from '../../../main/core/schedule/scheduler'
import { buildScreenView } from '../../../main/core/schedule/screen-view'

const FILE = 'a'.repeat(64)

/** One item of every kind, as a manifest carries it: a kind added to the manifest does not compile here until it has one. */
const SAMPLES: { [K in ItemKind]: Extract<ManifestItem, { kind: K }> } = {
  text: { id: 'chu', kind: 'text', title: 'Thông báo', body: 'Lịch tiêm chủng', durationSec: 5 },
  image: { id: 'anh', kind: 'image', asset: FILE, fit: 'contain', durationSec: 5 },
  video: { id: 'phim', kind: 'video', asset: FILE, loops: 1, muted: true, volume: 1 },
  stream: { id: 'truc-tiep', kind: 'stream', url: 'https://tv.example/live.m3u8', durationSec: 30 },
  ticker: { id: 'chay', kind: 'ticker', text: 'Phòng chống lụt bão', speed: 2, durationSec: 60 }
}
const KINDS = Object.keys(ITEM_KINDS) as ItemKind[]

const manifestOf = (items: unknown[], assets: unknown[]) => ({ schema: 'bangtin.manifest/v1', version: 'v1', playlists: [{ id: 'p', name: 'p', items }], assets })

describe('item kinds', () => {
  it('has one entry per kind of the manifest schema, whose asset flag is whether the schema has an asset field', () => {
    const schemas = ManifestItem.options.map((option) => [option.shape.kind.value, 'asset' in option.shape] as const)
    expect(KINDS.sort()).toEqual(schemas.map(([kind]) => kind).sort())
    for (const [kind, hasAsset] of schemas) expect(ITEM_KINDS[kind].asset, kind).toBe(hasAsset)
  })

  it('refuses, for every kind that carries an asset, an item whose file is not listed', () => {
    const listed = [{ sha256: FILE, size: 1, mime: 'image/png', url: 'f' }]
    for (const kind of KINDS) {
      expect(() => parseManifest(manifestOf([SAMPLES[kind]], listed)), kind).not.toThrow()
      if (ITEM_KINDS[kind].asset) expect(() => parseManifest(manifestOf([SAMPLES[kind]], [])), kind).toThrow(/items\.0\.asset: asset not listed in assets/)
      else expect(() => parseManifest(manifestOf([SAMPLES[kind]], [])), kind).not.toThrow()
    }
  })

  it('shows every kind on the screen, as the screen item of the same kind', () => {
    const manifest = parseManifest(manifestOf(Object.values(SAMPLES), [{ sha256: FILE, size: 1, mime: 'video/mp4', url: 'f' }]))
    const items = manifest.playlists[0]!.items
    const plan: SchedulePlan = {
      displayOn: true,
      emergency: null,
      otherEmergencies: [],
      zones: [{ zoneId: 'main', role: 'main', priority: 'normal', playlistIds: ['p'], items, isDefault: false }],
      nextChangeAt: null
    }
    const view = buildScreenView(plan, manifest, { isReady: () => true, mediaUrl: (sha) => `/media/${sha}`, streamUrl: (id) => `/stream/${id}/` })
    expect(view.zones[0]!.program?.items.map((item) => [item.id, item.kind])).toEqual(items.map((item) => [item.id, item.kind]))
  })
})
