// A text notice's preset look (style: scheme, size) from manifest to screen item, and compatibility both ways.
import { describe, expect, it } from 'vitest'
import { ScreenItem } from '../../../../contract/screen'
import { parseManifest, TextItem } from '../../../../main/core/protocol/manifest'
import { SCREEN_ITEM_BUILDERS } from '../../../../main/core/schedule/screen-view'

const manifestWith = (item: Record<string, unknown>) =>
  parseManifest({
    schema: 'bangtin.manifest/v1',
    version: 'v1',
    layout: { id: 'l', zones: [{ id: 'main', role: 'main', x: 0, y: 0, width: 1, height: 1 }] },
    playlists: [{ id: 'p', name: 'p', items: [{ id: 't', kind: 'text', body: 'Thông báo', durationSec: 5, ...item }] }],
    assets: []
  })
const firstItem = (item: Record<string, unknown>) => manifestWith(item).playlists[0]!.items[0]!
const build = (item: Record<string, unknown>) => {
  const parsed = firstItem(item)
  if (parsed.kind !== 'text') throw new Error('not text')
  return SCREEN_ITEM_BUILDERS.text(parsed, { sources: { isReady: () => true, mediaUrl: (s) => s }, mimeOf: new Map(), durationMs: 5000 })
}

describe('text notice style', () => {
  it('carries the scheme and size to the screen item, which the screen contract accepts', () => {
    const screen = build({ style: { scheme: 'canh-bao', size: 'vua' } })
    expect(screen).toMatchObject({ kind: 'text', scheme: 'canh-bao', size: 'vua' })
    expect(ScreenItem.parse(screen)).toEqual(screen)
  })

  it('omitted: the screen item has no scheme or size (today’s look)', () => {
    const screen = build({})
    expect(screen).not.toHaveProperty('scheme')
    expect(screen).not.toHaveProperty('size')
  })

  it('a preset this board does not know (a later server’s) falls back to the default instead of refusing the manifest', () => {
    expect(firstItem({ style: { scheme: 'cau-vong', size: 'khong-lo' } })).toMatchObject({ style: {} })
    expect(build({ style: { scheme: 'cau-vong', size: 'vua' } })).toMatchObject({ size: 'vua' })
    expect(build({ style: { scheme: 'cau-vong' } })).not.toHaveProperty('scheme')
  })

  it('a board from before the field (its item schema without style) takes the item and drops the style', () => {
    const before = TextItem.omit({ style: true })
    const result = before.safeParse({ id: 't', kind: 'text', body: 'Thông báo', durationSec: 5, style: { scheme: 'trang-trong', size: 'vua' } })
    expect(result.success).toBe(true)
    expect(result.data).not.toHaveProperty('style')
  })

  it('the screen contract refuses a scheme it does not draw', () => {
    expect(ScreenItem.safeParse({ id: 't', kind: 'text', body: 'x', durationMs: 1, scheme: 'cau-vong' }).success).toBe(false)
  })
})
