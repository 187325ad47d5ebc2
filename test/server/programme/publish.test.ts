// Publishing to a real reference server: approved entries compiled, recorded in SQLite, pushed; a board
// fetching its manifest over HTTP with its own token finds its items; a failure publishes nothing new.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { paths } from '../../../main/core/protocol/api'
import { parseManifest, type Manifest } from '../../../main/core/protocol/manifest'
import { openSigned, trustedKeysFrom } from '../../../main/core/protocol/signing'
import { openSqlite, type OpenedDatabase } from '../../../server/db/database'
import type { ContentItem } from '../../../server/programme/compile'
import { ProgrammeError } from '../../../server/programme/errors'
import { publishedManifestFor, publishProgramme, type ContentResolver } from '../../../server/programme/publish'
import { createEntry, createPlaylist, setEntryStatus, updatePlaylist } from '../../../server/programme/store'
import { whatPlaysWhen } from '../../../server/programme/when'
import { startTestServer, type TestServer } from '../../../server/testing/test-server'
import { bearer, patternBytes, rawRequest, sha256 } from '../helpers'
import { BOARDS, textContent } from './fixtures'

const image = patternBytes(20_000)
const imageSha = sha256(image)
const imageContent: ContentItem = {
  item: { kind: 'image', asset: imageSha },
  assets: [{ sha256: imageSha, size: image.length, mime: 'image/png', url: `media/${imageSha}` }],
  files: new Map([[imageSha, image]])
}
/** Text by "tin-…", the image by "anh-1", an image whose file went missing by "anh-mat"; anything else is gone. */
const library: ContentResolver = async (id) => {
  if (id.startsWith('tin-')) return textContent(id)
  if (id === 'anh-1') return imageContent
  if (id === 'anh-mat') return { ...imageContent, item: { kind: 'image', asset: 'f'.repeat(64) }, assets: [{ ...imageContent.assets[0]!, sha256: 'f'.repeat(64) }], files: new Map() }
  return null
}

let dir = ''
let opened: OpenedDatabase
let server: TestServer
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'bangtin-publish-'))
  opened = await openSqlite(join(dir, 'source.sqlite'))
  server = await startTestServer()
  for (const board of BOARDS) server.addDevice(board.deviceId, `token-${board.deviceId}`)
})
afterEach(async () => {
  await server.close()
  await opened.close()
  rmSync(dir, { recursive: true, force: true })
})

async function fetchManifest(deviceId: string): Promise<Manifest | null> {
  const res = await rawRequest(`${server.url}${paths.manifest(deviceId)}`, { headers: bearer(`token-${deviceId}`) })
  if (res.status === 404) return null
  expect(res.status).toBe(200)
  return parseManifest(openSigned(JSON.parse(res.body.toString()), trustedKeysFrom(server.trustedKeys())))
}

const itemIds = (manifest: Manifest | null) => (manifest?.playlists ?? []).flatMap((p) => p.items.map((item) => item.id))

async function approved(input: Record<string, unknown>): Promise<string> {
  const entry = await createEntry(opened.db, {
    validFrom: null,
    validTo: null,
    weekdays: null,
    windows: null,
    priority: 'thuong',
    displayHours: null,
    ...input
  })
  expect(await setEntryStatus(opened.db, entry.id, ['draft'], 'approved')).toBe(true)
  return entry.id
}

describe('publishing the programme', () => {
  it('reaches the targeted boards over HTTP, signed, and records which board got which document', async () => {
    const news = await createPlaylist(opened.db, { unitId: 'h1', name: 'Bản tin xã', items: [{ contentId: 'tin-1', durationSec: 20 }, { contentId: 'anh-1', durationSec: 8 }] })
    const market = await createPlaylist(opened.db, { unitId: 'tinh', name: 'Chợ', items: [{ contentId: 'tin-cho', durationSec: 12 }] })
    const forX1 = await approved({ unitId: 'h1', playlistId: news.id, name: 'Xã 1', targetUnitIds: ['x1'], targetTags: [], targetBoardIds: [], windows: [{ from: '06:00', to: '09:00' }] })
    const forMarkets = await approved({ unitId: 'tinh', playlistId: market.id, name: 'Chợ', targetUnitIds: [], targetTags: ['cho'], targetBoardIds: [], priority: 'uu-tien' })

    const summary = await publishProgramme(opened.db, { target: server, boards: BOARDS, content: library, publishedBy: 'u-duyet' })
    expect(summary.entryIds).toEqual([forX1, forMarkets])
    // bang-1 (x1, chợ), bang-2 (x1), bang-4 (x3, chợ), and the rest with nothing: four documents for six boards.
    expect(summary.documents).toHaveLength(4)

    const one = await fetchManifest('bang-1')
    expect(itemIds(one)).toEqual([`${forX1}.0.tin-1`, `${forX1}.1.anh-1`, `${forMarkets}.0.tin-cho`])
    expect(one?.playlists.find((p) => p.id === forMarkets)?.priority).toBe('priority')
    expect(itemIds(await fetchManifest('bang-2'))).toEqual([`${forX1}.0.tin-1`, `${forX1}.1.anh-1`])
    expect(itemIds(await fetchManifest('bang-4'))).toEqual([`${forMarkets}.0.tin-cho`])
    expect(itemIds(await fetchManifest('bang-3'))).toEqual([])
    // The image's bytes went with it.
    const asset = await rawRequest(`${server.url}${paths.asset(imageSha)}`, { headers: bearer('token-bang-1') })
    expect(asset.status).toBe(200)
    expect(sha256(asset.body)).toBe(imageSha)

    const stored = await publishedManifestFor(opened.db, 'bang-1')
    expect(stored?.version).toBe(one?.version)
    expect(stored?.publicationId).toBe(summary.publicationId)
    const day = whatPlaysWhen(stored?.manifest ?? null, '2026-12-07')
    expect(day.slots.filter((slot) => slot.entryId === forX1).map((slot) => [slot.start, slot.end, slot.contentId, slot.priority])).toEqual([
      ['2026-12-06T23:00:00.000Z', '2026-12-07T02:00:00.000Z', 'tin-1', 'thuong'],
      ['2026-12-06T23:00:00.000Z', '2026-12-07T02:00:00.000Z', 'anh-1', 'thuong']
    ])
    const rows = await opened.db.selectFrom('programme_publication_board').selectAll().where('publication_id', '=', summary.publicationId).execute()
    expect(rows.map((row) => row.device_id).sort()).toEqual(BOARDS.map((b) => b.deviceId).sort())
  })

  it('publishes nothing new when any part fails: gone content, or a file the server would refuse', async () => {
    const news = await createPlaylist(opened.db, { unitId: 'tinh', name: 'Bản tin', items: [{ contentId: 'tin-1', durationSec: 10 }] })
    await approved({ unitId: 'tinh', playlistId: news.id, name: 'Toàn tỉnh', targetUnitIds: ['tinh'], targetTags: [], targetBoardIds: [] })
    const first = await publishProgramme(opened.db, { target: server, boards: BOARDS, content: library })
    const before = (await fetchManifest('bang-1'))?.version

    // bang-1's new programme would be fine; bang-6's document names a file the server does not have.
    await updatePlaylist(opened.db, news.id, { unitId: 'tinh', name: 'Bản tin', items: [{ contentId: 'tin-2', durationSec: 10 }] })
    const missing = await createPlaylist(opened.db, { unitId: 'tinh', name: 'Ảnh', items: [{ contentId: 'anh-mat', durationSec: 5 }] })
    const gone = await createPlaylist(opened.db, { unitId: 'tinh', name: 'Đã xoá', items: [{ contentId: 'da-xoa', durationSec: 5 }] })
    const entries = await opened.db.selectFrom('programme_entry').select('id').execute()
    for (const { id } of entries) await setEntryStatus(opened.db, id, ['draft'], 'approved')
    const refusedFile = await approved({ unitId: 'tinh', playlistId: missing.id, name: 'Ảnh', targetUnitIds: [], targetTags: [], targetBoardIds: ['bang-6'] })
    const error = await publishProgramme(opened.db, { target: server, boards: BOARDS, content: library }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ProgrammeError)
    expect((error as ProgrammeError).field).toMatch(/^documents\.lich-/)
    expect((await fetchManifest('bang-1'))?.version).toBe(before)
    expect(itemIds(await fetchManifest('bang-6'))).not.toContain(`${refusedFile}.0.anh-mat`)

    await setEntryStatus(opened.db, refusedFile, ['approved'], 'returned')
    const goneEntry = await approved({ unitId: 'tinh', playlistId: gone.id, name: 'Đã xoá', targetUnitIds: ['h2'], targetTags: [], targetBoardIds: [] })
    const goneError = await publishProgramme(opened.db, { target: server, boards: BOARDS, content: library }).catch((e: unknown) => e)
    expect((goneError as ProgrammeError).field).toBe(`entries.${goneEntry}.playlist.items.0.contentId`)
    expect((await fetchManifest('bang-1'))?.version).toBe(before)

    const publications = await opened.db.selectFrom('programme_publication').select('id').execute()
    expect(publications.map((p) => p.id)).toEqual([first.publicationId])
  })

  it('undoes an approval made in beforeCompile when the programme it completes does not compile', async () => {
    const gone = await createPlaylist(opened.db, { unitId: 'tinh', name: 'Đã xoá', items: [{ contentId: 'da-xoa', durationSec: 5 }] })
    const entry = await createEntry(opened.db, { unitId: 'tinh', playlistId: gone.id, name: 'Hỏng', targetUnitIds: ['tinh'], targetTags: [], targetBoardIds: [] })
    await setEntryStatus(opened.db, entry.id, ['draft'], 'submitted')
    const approve = async (db: typeof opened.db) => {
      expect(await setEntryStatus(db, entry.id, ['submitted'], 'approved')).toBe(true)
    }
    const error = await publishProgramme(opened.db, { target: server, boards: BOARDS, content: library, beforeCompile: approve }).catch((e: unknown) => e)
    expect((error as ProgrammeError).field).toBe(`entries.${entry.id}.playlist.items.0.contentId`)
    expect((await opened.db.selectFrom('programme_entry').select('status').where('id', '=', entry.id).executeTakeFirst())?.status).toBe('submitted')
    expect(await fetchManifest('bang-1')).toBeNull()
  })
})
