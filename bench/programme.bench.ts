// Publishing the programme to 1,000 boards (issue 13): compile every approved entry for every board,
// record the publication in SQLite, push to the reference server; then every board fetches its manifest,
// signed on the way out. Documents shared by boards with the same programme keep the signing count small.
import { mkdtempSync, rmSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { generateSigningKey } from '../main/core/protocol/signing'
import { openSqlite } from '../server/db/database'
import { compileProgramme, type BoardPlacement, type ContentItem } from '../server/programme/compile'
import { publishProgramme } from '../server/programme/publish'
import { approvedProgramme, createEntry, createPlaylist, setEntryStatus } from '../server/programme/store'
import { startReferenceServer } from '../server/reference-server'
import type { BenchRow } from './report'

const PUBLISH_TARGET_MS = 3_000
const FETCH_TARGET_MS = 15_000

function text(contentId: string): ContentItem {
  return { item: { kind: 'text', title: `Tin ${contentId}`, body: `Nội dung bản tin ${contentId} `.repeat(20) }, assets: [], files: new Map() }
}

function fetchStatus(url: string, token: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { Authorization: `Bearer ${token}` } }, (res) => {
      res.resume()
      res.on('end', () => resolve(res.statusCode ?? 0))
    })
    req.on('error', reject)
    req.end()
  })
}

export async function programmeBench(options: { boards: number }): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'bangtin-bench-programme-'))
  const opened = await openSqlite(join(dir, 'source.sqlite'))
  const key = generateSigningKey()
  const server = await startReferenceServer({ signingKey: { keyId: 'bench', privateKeyPem: key.privateKeyPem } })
  try {
    // A province, 10 districts, 10 communes each; boards spread over the communes, a third of them at markets.
    const boards: BoardPlacement[] = Array.from({ length: options.boards }, (_, i) => {
      const district = `huyen-${i % 10}`
      const commune = `${district}-xa-${Math.floor(i / 10) % 10}`
      return { deviceId: `bang-${i}`, unitPath: [commune, district, 'tinh'], tags: i % 3 === 0 ? ['cho'] : [] }
    })
    for (const board of boards) server.addDevice(board.deviceId, `token-${board.deviceId}-bench`)
    const entries: { unitId: string; targetUnitIds: string[]; targetTags: string[]; targetBoardIds: string[] }[] = [
      { unitId: 'tinh', targetUnitIds: ['tinh'], targetTags: [], targetBoardIds: [] },
      { unitId: 'tinh', targetUnitIds: [], targetTags: ['cho'], targetBoardIds: [] },
      ...Array.from({ length: 10 }, (_, d) => ({ unitId: `huyen-${d}`, targetUnitIds: [`huyen-${d}`], targetTags: [], targetBoardIds: [] })),
      ...Array.from({ length: 30 }, (_, c) => ({ unitId: `huyen-${c % 10}`, targetUnitIds: [`huyen-${c % 10}-xa-${c % 7}`], targetTags: [], targetBoardIds: [] }))
    ]
    for (const [n, spec] of entries.entries()) {
      const list = await createPlaylist(opened.db, {
        unitId: spec.unitId,
        name: `Danh sách ${n}`,
        items: Array.from({ length: 10 }, (_, i) => ({ contentId: `tin-${n}-${i}`, durationSec: 15 }))
      })
      const entry = await createEntry(opened.db, {
        unitId: spec.unitId,
        playlistId: list.id,
        name: `Lịch ${n}`,
        validFrom: '2026-01-01',
        validTo: '2027-12-31',
        weekdays: [1, 2, 3, 4, 5],
        windows: [
          { from: '06:00', to: '08:00' },
          { from: '17:00', to: '21:00' }
        ],
        priority: n % 5 === 0 ? 'uu-tien' : 'thuong',
        targetUnitIds: spec.targetUnitIds,
        targetTags: spec.targetTags,
        targetBoardIds: spec.targetBoardIds
      })
      await setEntryStatus(opened.db, entry.id, ['draft'], 'approved')
    }
    const programme = await approvedProgramme(opened.db)
    const compileStart = performance.now()
    const compiled = compileProgramme({ ...programme, boards, content: text, now: new Date('2026-06-01T00:00:00+07:00') })
    const compileMs = performance.now() - compileStart

    const publishStart = performance.now()
    const summary = await publishProgramme(opened.db, { target: server, boards, content: text, now: new Date('2026-06-01T00:00:00+07:00') })
    const publishMs = performance.now() - publishStart

    const fetchStart = performance.now()
    let served = 0
    for (let i = 0; i < boards.length; i += 20) {
      const batch = boards.slice(i, i + 20).map((b) => fetchStatus(`${server.url}/api/v1/devices/${b.deviceId}/manifest`, `token-${b.deviceId}-bench`))
      for (const status of await Promise.all(batch)) if (status === 200) served++
    }
    const fetchMs = performance.now() - fetchStart
    const section = 'programme'
    return [
      { section, name: `compile ${entries.length} entries for ${options.boards} boards`, value: compileMs, unit: 'ms', target: null, ok: null, detail: `${compiled.documents.length} distinct documents` },
      {
        section,
        name: `publish to ${options.boards} boards (compile + store + push)`,
        value: publishMs,
        unit: 'ms',
        target: `< ${PUBLISH_TARGET_MS} ms`,
        ok: publishMs < PUBLISH_TARGET_MS,
        detail: `${summary.documents.length} documents for ${options.boards} boards`
      },
      {
        section,
        name: `${options.boards} boards fetch their signed manifest (20 at a time)`,
        value: fetchMs,
        unit: 'ms',
        target: `< ${FETCH_TARGET_MS} ms, all 200`,
        ok: fetchMs < FETCH_TARGET_MS && served === options.boards,
        detail: `${served} served`
      }
    ]
  } finally {
    await server.close()
    await opened.close()
    rmSync(dir, { recursive: true, force: true })
  }
}
