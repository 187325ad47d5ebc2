// The compiler: approved schedule entries + playlists + boards → each board's manifest, checked with the
// core's own schema. Pure (no database, no clock but `now`); boards given the same entries share one document.
import { createHash } from 'node:crypto'
import type { z } from 'zod'
import { Manifest, MAX_MANIFEST_BYTES, type Asset, type ManifestItem, type Playlist, type Schedule } from '../../main/core/protocol/manifest'
import { invalid, notFound } from './errors'
import { checkEntry, checkSubmittable, type EntryInput } from './input'

/** The programme's wall clock: Vietnam has kept UTC+7 without daylight saving since 1975. */
export const PROGRAMME_TIME_ZONE = 'Asia/Ho_Chi_Minh'
const VN_OFFSET = '+07:00'

type ItemBody<T> = T extends unknown ? Omit<T, 'id' | 'schedule' | 'durationSec'> & { durationSec?: number } : never
/** What a content id plays as, without the fields the playlist decides (id, schedule); `durationSec`: its own length, if any. */
export type ContentItemBody = ItemBody<z.input<typeof ManifestItem>>

/** A content id made ready for a manifest: the item, the asset entries it needs, and their bytes or paths. */
export interface ContentItem {
  item: ContentItemBody
  assets: readonly Asset[]
  /** sha256 → bytes or an absolute path, as the reference server's publish() takes them. */
  files: ReadonlyMap<string, Buffer | string>
}
/** The library's side of the bargain (server/library): null when the content no longer exists. */
export type ContentLookup = (contentId: string) => ContentItem | null

export type EntrySpec = EntryInput & { id: string }
export interface PlaylistSpec {
  id: string
  unitId: string
  name: string
  /** durationSec null: the content's own length. */
  items: readonly { contentId: string; durationSec: number | null }[]
}
/** A board as placed by the access room: its unit with every ancestor (any order), and its tags. */
export interface BoardPlacement {
  deviceId: string
  unitPath: readonly string[]
  tags: readonly string[]
}

export interface CompileInput {
  /** Approved entries, in the order they should play within a priority level. */
  entries: readonly EntrySpec[]
  playlists: readonly PlaylistSpec[]
  boards: readonly BoardPlacement[]
  content: ContentLookup
  /** Entries whose last day is over by now are left out. */
  now: Date
}

export interface CompiledDocument {
  /** Derived from the content: the same programme always has the same version (a board refetches nothing). */
  version: string
  manifest: Manifest
  files: Map<string, Buffer | string>
  deviceIds: string[]
  entryIds: string[]
}

export interface CompiledProgramme {
  documents: CompiledDocument[]
  /** Entries still in play (not yet ended), in input order. */
  entryIds: string[]
}

interface PreparedEntry {
  entry: EntrySpec
  /** The playlist's name, for errors an officer can act on. */
  playlistName: string
  playlist: Playlist
  assets: readonly Asset[]
  files: Map<string, Buffer | string>
  units: ReadonlySet<string>
  tags: ReadonlySet<string>
  boards: ReadonlySet<string>
}

export function dayStart(date: string): string {
  return `${date}T00:00:00${VN_OFFSET}`
}

export function nextDay(date: string): string {
  const day = new Date(`${date}T00:00:00Z`)
  day.setUTCDate(day.getUTCDate() + 1)
  return day.toISOString().slice(0, 10)
}

/** The entry's when, as the protocol says it; undefined when it has no condition at all. */
export function scheduleOf(entry: Pick<EntryInput, 'validFrom' | 'validTo' | 'weekdays' | 'windows'>): Schedule | undefined {
  const schedule: Schedule = {}
  if (entry.validFrom) schedule.validFrom = dayStart(entry.validFrom)
  // The last day plays to its end: the bound is the next midnight.
  if (entry.validTo) schedule.validTo = dayStart(nextDay(entry.validTo))
  if (entry.weekdays) schedule.weekdays = [...new Set(entry.weekdays)].sort((a, b) => a - b)
  // "24:00" is the protocol's crossing-midnight "00:00": [from, next midnight).
  if (entry.windows) schedule.times = entry.windows.map((window) => ({ from: window.from, to: window.to === '24:00' ? '00:00' : window.to }))
  return Object.keys(schedule).length > 0 ? schedule : undefined
}

/** An entry's item id carries where it came from: `entryId.position.contentId`. */
export function itemIdFor(entryId: string, position: number, contentId: string): string {
  return `${entryId}.${position}.${contentId}`
}

export function sourceOfItem(itemId: string): { entryId: string; position: number; contentId: string } | null {
  const match = /^([^.]+)\.(\d+)\.(.+)$/.exec(itemId)
  return match ? { entryId: match[1] as string, position: Number(match[2]), contentId: match[3] as string } : null
}

function prepareEntry(entry: EntrySpec, playlists: ReadonlyMap<string, PlaylistSpec>, content: ContentLookup, now: number): PreparedEntry | null {
  const prefix = `entries.${entry.id}`
  checkEntry(entry, prefix)
  const source = playlists.get(entry.playlistId)
  if (!source) throw notFound(`${prefix}.playlistId`, `Không còn danh sách phát ${entry.playlistId}.`, `Playlist ${entry.playlistId} no longer exists.`)
  checkSubmittable(entry, source.items.length, prefix)
  const schedule = scheduleOf(entry)
  if (schedule?.validTo && Date.parse(schedule.validTo) <= now) return null
  const assets: Asset[] = []
  const files = new Map<string, Buffer | string>()
  const items = source.items.map((slot, i) => {
    const resolved = content(slot.contentId)
    if (!resolved) {
      throw notFound(
        `${prefix}.playlist.items.${i}.contentId`,
        `Nội dung ${slot.contentId} (mục ${i + 1} của danh sách phát "${source.name}") không còn trong thư viện.`,
        `Content ${slot.contentId} (item ${i + 1} of playlist "${source.name}") is no longer in the library.`
      )
    }
    assets.push(...resolved.assets)
    for (const [sha, file] of resolved.files) files.set(sha, file)
    // No duration from the playlist: the content's own (the library gives each kind a default; a video
    // without one plays to its end). Only a video may go without.
    const durationSec = slot.durationSec ?? resolved.item.durationSec
    if (durationSec === undefined && resolved.item.kind !== 'video') {
      throw invalid(
        `${prefix}.playlist.items.${i}.durationSec`,
        `Mục ${i + 1} của danh sách phát “${source.name}” (lịch “${entry.name}”) chưa có số giây hiển thị: hãy nhập “Số giây” cho mục này ở trang Lịch phát.`,
        `Item ${i + 1} of playlist “${source.name}” (entry “${entry.name}”) has no seconds on screen: enter its “Seconds” on the Schedule page.`
      )
    }
    return { ...resolved.item, id: itemIdFor(entry.id, i, slot.contentId), ...(durationSec !== undefined ? { durationSec } : {}) } as ManifestItem
  })
  const playlist: Playlist = {
    id: entry.id,
    name: entry.name,
    zone: 'main',
    priority: entry.priority === 'uu-tien' ? 'priority' : 'normal',
    ...(schedule ? { schedule } : {}),
    items
  }
  return { entry, playlistName: source.name, playlist, assets, files, units: new Set(entry.targetUnitIds), tags: new Set(entry.targetTags), boards: new Set(entry.targetBoardIds) }
}

/** Within its unit's subtree only (whatever the targets say), a board reached by a unit, a tag or by name. */
function reaches(prepared: PreparedEntry, board: BoardPlacement, boardUnits: ReadonlySet<string>): boolean {
  if (!boardUnits.has(prepared.entry.unitId)) return false
  if (prepared.boards.has(board.deviceId)) return true
  for (const unit of prepared.units) if (boardUnits.has(unit)) return true
  for (const tag of board.tags) if (prepared.tags.has(tag)) return true
  return false
}

function minutes(time: string): number {
  return Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5))
}

/** Entries that ask for display hours get the span covering them all: content of any can show in its hours. */
function displayHoursOf(entries: readonly PreparedEntry[]): { on: string; off: string } | undefined {
  let on: string | null = null
  let off: string | null = null
  for (const { entry } of entries) {
    const hours = entry.displayHours
    if (!hours) continue
    if (on === null || minutes(hours.on) < minutes(on)) on = hours.on
    if (off === null || minutes(hours.off) > minutes(off)) off = hours.off
  }
  if (on === null || off === null) return undefined
  return { on, off: off === '24:00' ? '00:00' : off }
}

function documentFor(entries: readonly PreparedEntry[]): { version: string; manifest: Manifest } {
  const assets = new Map<string, Asset>()
  for (const prepared of entries) for (const asset of prepared.assets) assets.set(asset.sha256, asset)
  const displayHours = displayHoursOf(entries)
  const body = {
    schema: 'bangtin.manifest/v1' as const,
    playlists: entries.map((prepared) => prepared.playlist),
    ...(displayHours ? { displayHours } : {}),
    assets: [...assets.values()]
  }
  const version = `lich-${createHash('sha256').update(JSON.stringify(body)).digest('hex').slice(0, 24)}`
  const result = Manifest.safeParse({ ...body, version })
  if (!result.success) {
    const issue = result.error.issues[0]
    const path = (issue?.path ?? []).map(String)
    const owner = path[0] === 'playlists' ? entries[Number(path[1])] : undefined
    const field = owner ? `entries.${owner.entry.id}.playlist.${path.slice(2).join('.')}` : `manifest.${path.join('.')}`
    // Words an officer can act on (which item of which playlist), not the schema's own message.
    const item = owner && path[2] === 'items' ? Number(path[3]) : NaN
    if (owner && Number.isInteger(item)) {
      throw invalid(
        field,
        `Mục ${item + 1} của danh sách phát “${owner.playlistName}” (lịch “${owner.entry.name}”) không đưa lên bảng tin được (${path.slice(4).join('.') || 'mục'} không hợp lệ): hãy sửa hoặc bỏ mục này rồi gửi duyệt lại.`,
        `Item ${item + 1} of playlist “${owner.playlistName}” (entry “${owner.entry.name}”) cannot go to the boards (its ${path.slice(4).join('.') || 'content'} is invalid): correct or remove it and submit again.`
      )
    }
    const where = owner ? `lịch “${owner.entry.name}”` : 'bản kê'
    throw invalid(field, `Không tạo được bản kê cho bảng tin (${where}, ở ${field}).`, `The board manifest cannot be made (${owner ? `entry “${owner.entry.name}”` : 'manifest'}, at ${field}).`)
  }
  // Half the board's limit: the signed envelope carries the document as an escaped JSON string.
  if (Buffer.byteLength(JSON.stringify(result.data)) > MAX_MANIFEST_BYTES / 2) {
    throw invalid('entries', 'Chương trình cho một bảng tin quá lớn.', 'The programme of one board is too large for a manifest.')
  }
  return { version, manifest: result.data }
}

/**
 * Compiles. Throws a ProgrammeError naming the field (a window that ends before it starts, a playlist with
 * no items or gone, content gone from the library, a manifest the schema refuses): then nothing is compiled.
 */
export function compileProgramme(input: CompileInput): CompiledProgramme {
  const now = input.now.getTime()
  const playlists = new Map(input.playlists.map((playlist) => [playlist.id, playlist]))
  const prepared: PreparedEntry[] = []
  for (const entry of input.entries) {
    const ready = prepareEntry(entry, playlists, input.content, now)
    if (ready) prepared.push(ready)
  }
  const groups = new Map<string, { entries: PreparedEntry[]; deviceIds: string[] }>()
  const seen = new Set<string>()
  input.boards.forEach((board, b) => {
    if (seen.has(board.deviceId)) throw invalid(`boards.${b}.deviceId`, `Bảng tin ${board.deviceId} được kê hai lần.`, `Board ${board.deviceId} is listed twice.`)
    seen.add(board.deviceId)
    const units = new Set(board.unitPath)
    const reaching = prepared.filter((entry) => reaches(entry, board, units))
    const key = reaching.map((entry) => entry.entry.id).join('\n')
    const group = groups.get(key)
    if (group) group.deviceIds.push(board.deviceId)
    else groups.set(key, { entries: reaching, deviceIds: [board.deviceId] })
  })
  const byVersion = new Map<string, CompiledDocument>()
  for (const group of groups.values()) {
    const { version, manifest } = documentFor(group.entries)
    const known = byVersion.get(version)
    if (known) {
      known.deviceIds.push(...group.deviceIds)
      continue
    }
    const files = new Map<string, Buffer | string>()
    for (const entry of group.entries) for (const [sha, file] of entry.files) files.set(sha, file)
    byVersion.set(version, { version, manifest, files, deviceIds: group.deviceIds, entryIds: group.entries.map((entry) => entry.entry.id) })
  }
  return { documents: [...byVersion.values()], entryIds: prepared.map((entry) => entry.entry.id) }
}
