// The "last error" a technician reads when a sync pass ends with files not yet downloaded: Vietnamese
// first, English second, naming the files; through the engine with the reference server, and pure.
import { afterEach, describe, expect, it } from 'vitest'
import { parseManifest } from '../../../../main/core/protocol/manifest'
import { fileNameOf, missingFilesMessage } from '../../../../main/core/sync/missing-files'
import type { ReferenceServer } from '../../../../server/reference-server'
import { useTempDirs } from '../../../helpers/temp-dir'
import { filesOf, makeAsset, startDevice, startServer, type Device } from './sync-fixture'

describe('last sync error when files are still missing', () => {
  const tempDir = useTempDirs()
  const cleanup: (() => Promise<void>)[] = []
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step()
  })

  it('names the files and the items showing them, in Vietnamese then English, while the download window is closed', async () => {
    const s: ReferenceServer = await startServer()
    cleanup.push(() => s.close())
    const photo = makeAsset(10_000)
    const notice = makeAsset(12_000)
    s.publish(
      {
        schema: 'bangtin.manifest/v1',
        version: 'v1',
        playlists: [
          {
            id: 'main',
            name: 'Chính',
            items: [
              { id: 'anh', kind: 'image', asset: photo.sha256, durationSec: 10 },
              { id: 'thong-bao', kind: 'image', asset: notice.sha256, durationSec: 10 }
            ]
          }
        ],
        assets: [
          { sha256: photo.sha256, size: photo.bytes.length, mime: 'image/jpeg', url: 'anh-bao-so-3.jpg' },
          { sha256: notice.sha256, size: notice.bytes.length, mime: 'image/png', url: 'media/Th%C3%B4ng%20b%C3%A1o.png?v=2' }
        ]
      },
      filesOf([photo, notice])
    )
    // 12:00 in Hà Nội, downloads allowed only 02:00–03:00: nothing is fetched, the pass ends incomplete.
    const d: Device = await startDevice(s, await tempDir(), {
      engine: { now: () => new Date('2026-11-21T05:00:00Z'), downloadWindows: [{ from: '02:00', to: '03:00' }] }
    })
    cleanup.push(() => d.stop())
    // The server serves files under their hash: the item ids are what the operator recognises.
    await expect
      .poll(() => d.engine.status.lastError)
      .toBe(`Còn thiếu 2 tệp / 2 files still missing: ${photo.sha256.slice(0, 12)} (anh), ${notice.sha256.slice(0, 12)} (thong-bao)`)
    expect(d.activated).toEqual([])
  })
})

describe('missingFilesMessage', () => {
  const sha = (n: number): string => n.toString(16).padStart(2, '0').repeat(32)
  const asset = (url: string, n = 1) => ({ url, sha256: sha(n), size: 10, mime: 'image/jpeg' as const })
  const manifestOf = (assets: ReturnType<typeof asset>[], emergencyAsset?: string) =>
    parseManifest({
      schema: 'bangtin.manifest/v1',
      version: 'v1',
      playlists: [{ id: 'p', name: 'p', items: assets.map((a, i) => ({ id: `muc-${i + 1}`, kind: 'image', asset: a.sha256, durationSec: 5 })) }],
      emergencies: emergencyAsset
        ? [{ id: 'bao-so-3', issuedAt: '2026-11-21T00:00:00Z', expiresAt: '2026-11-22T00:00:00Z', title: 'Bão số 3', asset: emergencyAsset }]
        : [],
      assets
    })

  it('says one file in the singular, with its published name and item', () => {
    const file = asset('https://nguon.example.vn/media/lich-tiep-dan.jpg')
    expect(missingFilesMessage([file], manifestOf([file]))).toBe('Còn thiếu 1 tệp / 1 file still missing: lich-tiep-dan.jpg (muc-1)')
  })

  it('names every item and emergency showing a file', () => {
    const file = asset('ban-do-ngap.jpg')
    const manifest = manifestOf([file, file], file.sha256)
    expect(missingFilesMessage([file], manifest)).toBe('Còn thiếu 1 tệp / 1 file still missing: ban-do-ngap.jpg (muc-1, muc-2, bao-so-3)')
  })

  it('lists five files and counts the rest', () => {
    const many = Array.from({ length: 8 }, (_, i) => asset(`tep-${i + 1}.jpg`, i + 1))
    expect(missingFilesMessage(many, manifestOf(many))).toBe(
      'Còn thiếu 8 tệp / 8 files still missing: tep-1.jpg (muc-1), tep-2.jpg (muc-2), tep-3.jpg (muc-3), tep-4.jpg (muc-4), tep-5.jpg (muc-5) (+3)'
    )
  })

  it('falls back to the hash when the URL is only the hash or names no file, and keeps bad percent-encoding', () => {
    expect(fileNameOf(asset('https://nguon.example.vn/media/', 0xc0))).toBe('c0c0c0c0c0c0')
    expect(fileNameOf(asset(`/v1/assets/${sha(0xab)}`, 0xab))).toBe('abababababab')
    expect(fileNameOf(asset('anh%E0.jpg'))).toBe('anh%E0.jpg')
    expect(fileNameOf(asset('Th%C3%B4ng%20b%C3%A1o.png?v=2'))).toBe('Thông báo.png')
  })
})
