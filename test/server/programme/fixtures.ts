// Shared by the programme's tests: a small province (tỉnh → huyện → xã) with boards, text content the
// library would hand over (text needs no files), and entries with sensible defaults.
import type { BoardPlacement, ContentItem, ContentLookup, EntrySpec, PlaylistSpec } from '../../../server/programme/compile'

/** tinh ⊃ h1 ⊃ {x1, x2}, tinh ⊃ h2 ⊃ {x3}. */
export const UNIT_PATHS: Record<string, string[]> = {
  tinh: ['tinh'],
  h1: ['h1', 'tinh'],
  h2: ['h2', 'tinh'],
  x1: ['x1', 'h1', 'tinh'],
  x2: ['x2', 'h1', 'tinh'],
  x3: ['x3', 'h2', 'tinh']
}
export const UNITS = Object.keys(UNIT_PATHS)
export const TAGS = ['cho', 'truong', 'ubnd']

export const BOARDS: BoardPlacement[] = [
  { deviceId: 'bang-1', unitPath: UNIT_PATHS.x1 as string[], tags: ['cho'] },
  { deviceId: 'bang-2', unitPath: UNIT_PATHS.x1 as string[], tags: ['truong', 'ubnd'] },
  { deviceId: 'bang-3', unitPath: UNIT_PATHS.x2 as string[], tags: [] },
  { deviceId: 'bang-4', unitPath: UNIT_PATHS.x3 as string[], tags: ['cho'] },
  { deviceId: 'bang-5', unitPath: UNIT_PATHS.h2 as string[], tags: ['ubnd'] },
  { deviceId: 'bang-6', unitPath: UNIT_PATHS.tinh as string[], tags: [] }
]

export function textContent(contentId: string): ContentItem {
  return { item: { kind: 'text', title: `Tin ${contentId}`, body: `Nội dung ${contentId}` }, assets: [], files: new Map() }
}

/** Every id that starts with "tin-" exists; anything else is gone from the library. */
export const textLibrary: ContentLookup = (contentId) => (contentId.startsWith('tin-') ? textContent(contentId) : null)

export function playlist(id: string, contentIds: string[], unitId = 'tinh'): PlaylistSpec {
  return { id, unitId, name: `Danh sách ${id}`, items: contentIds.map((contentId) => ({ contentId, durationSec: 10 })) }
}

export function entry(id: string, playlistId: string, extra: Partial<EntrySpec> = {}): EntrySpec {
  return {
    id,
    unitId: 'tinh',
    playlistId,
    name: `Lịch ${id}`,
    validFrom: null,
    validTo: null,
    weekdays: null,
    windows: null,
    priority: 'thuong',
    displayHours: null,
    targetUnitIds: ['tinh'], targetTags: [], targetBoardIds: [],
    ...extra
  }
}
