// Authored content against a real SQLite file: Vietnamese and Central Highlands text round-trips with every
// mark, tickers and streams are checked field by field, updates and deletes stay inside the actor's units,
// and an item a playlist uses is not deleted.
import { afterEach, describe, expect, it } from 'vitest'
import { createStream, createTextNotice, createTicker, deleteContent, getContent, listContent, updateContent } from '../../../server/library/content'
import { LibraryError } from '../../../server/library/errors'
import type { LibraryActor } from '../../../server/library/library'
import { useTempDirs } from '../../helpers/temp-dir'
import { EDITOR, openTestLibrary, type TestLibrary } from './fixtures/media'

const tempDir = useTempDirs()
const open: TestLibrary[] = []
afterEach(async () => {
  for (const t of open.splice(0)) await t.opened.close()
})
async function openLib(options: Parameters<typeof openTestLibrary>[1] = {}): Promise<TestLibrary> {
  const t = await openTestLibrary(await tempDir(), options)
  open.push(t)
  return t
}
async function refusal(promise: Promise<unknown>): Promise<LibraryError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e
  )
  expect(error).toBeInstanceOf(LibraryError)
  return error as LibraryError
}

const OTHER_DISTRICT: LibraryActor = { id: 'user-huyen-b', scope: new Set(['huyen-b']) }

// Vietnamese with every tone on stacked vowels, and Central Highlands letters with no precomposed form:
// ơ̆ (o-horn + breve, Ê Đê), ŏ̆ and ĕ̆ forms, ư̆, Ƀ (Bahnar, Jarai), č (Jarai), ñ.
const TITLE = 'Thông báo khẩn: Ủy ban nhân dân xã Ea Tu – Lịch tiêm chủng'
const BODY = [
  'Người dân thôn Buôn Ky, Ƀuôn Ea Tu, Ƀuôn Kô Tam: tiêm chủng mở rộng ngày 15/12.',
  'Êđê: Ƀuôn sang ơ̆ mnuih mdê, klei ƀuah ĕ̆ hdruôm ư̆.',
  'Jrai: Ƀing ta čơđai pơ sang ñu ŏ̆.',
  'Tiếng Việt đủ dấu: ầ ẩ ẫ ấ ậ ằ ẳ ẵ ắ ặ ề ể ễ ế ệ ồ ổ ỗ ố ộ ờ ở ỡ ớ ợ ừ ử ữ ứ ự ỳ ỷ ỹ ý ỵ Đ đ.'
].join('\n')

describe('text notices', () => {
  it('round-trip Vietnamese and stacked Central Highlands marks, stored NFC whatever form they came in', async () => {
    const { library } = await openLib()
    const made = await createTextNotice(library, EDITOR, { unitId: 'xa-a1', title: TITLE.normalize('NFD'), body: BODY.normalize('NFD') })
    const read = await getContent(library, EDITOR, made.id)
    expect(read).toMatchObject({ kind: 'text', title: TITLE.normalize('NFC'), body: BODY.normalize('NFC'), name: TITLE.normalize('NFC'), unitId: 'xa-a1', createdBy: EDITOR.id })
    if (read.kind !== 'text') throw new Error('not text')
    // Nothing lost or reordered: the same characters as what was typed, canonically.
    expect(read.body.normalize('NFD')).toBe(BODY.normalize('NFD'))
    // The stacked marks with no precomposed letter stay as base + combining marks.
    expect(read.body).toContain('\u01a1\u0306')
    expect(read.body).toContain('\u0115\u0306')
  })

  it('refuses an empty body, a too-long title, control characters, naming each field in both languages', async () => {
    const { library } = await openLib()
    expect(await refusal(createTextNotice(library, EDITOR, { unitId: 'xa-a1', body: '   ' }))).toMatchObject({ status: 400, field: 'body', code: 'empty' })
    const long = await refusal(createTextNotice(library, EDITOR, { unitId: 'xa-a1', title: 'ư'.repeat(501), body: 'x' }))
    expect(long).toMatchObject({ field: 'title', code: 'too-long' })
    expect(long.vi).toMatch(/Tiêu đề dài quá: tối đa 500 ký tự/)
    expect(long.en).toMatch(/title is too long/)
    expect(await refusal(createTextNotice(library, EDITOR, { unitId: 'xa-a1', body: 'a\u202eb' }))).toMatchObject({ field: 'body', code: 'control-character' })
    // Nothing visible: a blank slide on every board.
    expect(await refusal(createTextNotice(library, EDITOR, { unitId: 'xa-a1', title: '\u200b', body: 'Có nội dung' }))).toMatchObject({ field: 'title', code: 'invisible-text' })
    expect(await refusal(createTextNotice(library, EDITOR, { unitId: 'xa-a1', body: '\u200b\u200c\u200d\u2060' }))).toMatchObject({ field: 'body', code: 'invisible-text' })
    expect(await refusal(createTextNotice(library, EDITOR, { unitId: 'xa-a1', name: 'Tin\u2066', body: 'Có nội dung' }))).toMatchObject({ field: 'name', code: 'control-character' })
    expect(await listContent(library, EDITOR)).toEqual([])
  })
})

describe('tickers and live streams', () => {
  it('takes a ticker with a speed preset and a stream with an HLS address', async () => {
    const { library } = await openLib()
    const ticker = await createTicker(library, EDITOR, { unitId: 'huyen-a', text: 'Bão số 9 đang vào bờ\nhãy ở trong nhà', speed: 'nhanh' })
    expect(ticker).toMatchObject({ kind: 'ticker', text: 'Bão số 9 đang vào bờ hãy ở trong nhà', speed: 3.5 })
    const stream = await createStream(library, EDITOR, { unitId: 'huyen-a', name: 'VTV1', url: 'https://live.example.vn/vtv1/index.m3u8?token=a' })
    expect(stream).toMatchObject({ kind: 'stream', url: 'https://live.example.vn/vtv1/index.m3u8?token=a', name: 'VTV1' })
  })

  it('refuses a stream that is not http(s) HLS, and a bad speed', async () => {
    const { library } = await openLib()
    for (const url of ['rtmp://live.example.vn/vtv1.m3u8', 'https://live.example.vn/video.mp4', 'javascript:alert(1)//.m3u8', 'https://u:p@live.example.vn/a.m3u8', 'khong phai url']) {
      expect(await refusal(createStream(library, EDITOR, { unitId: 'huyen-a', name: 'x', url })), url).toMatchObject({ status: 400, field: 'url' })
    }
    expect(await refusal(createTicker(library, EDITOR, { unitId: 'huyen-a', text: 'x', speed: 0 }))).toMatchObject({ field: 'speed' })
  })
})

describe('list, update, delete within the actor’s units', () => {
  it('lists only the actor’s units; another district gets 404 for the same id (no probing)', async () => {
    const { library } = await openLib()
    const mine = await createTextNotice(library, EDITOR, { unitId: 'xa-a1', body: 'Họp tổ dân phố' })
    await createTicker(library, EDITOR, { unitId: 'huyen-a', text: 'Chạy chữ' })
    const theirs = await createTextNotice(library, OTHER_DISTRICT, { unitId: 'huyen-b', body: 'Huyện B' })
    expect((await listContent(library, EDITOR)).map((item) => item.kind).sort()).toEqual(['text', 'ticker'])
    expect((await listContent(library, EDITOR, { kind: 'text' })).map((item) => item.id)).toEqual([mine.id])
    expect(await listContent(library, EDITOR, { unitIds: ['huyen-b'] })).toEqual([])
    for (const attempt of [getContent(library, EDITOR, theirs.id), updateContent(library, EDITOR, theirs.id, { body: 'sửa trộm' }), deleteContent(library, EDITOR, theirs.id)]) {
      expect(await refusal(attempt)).toMatchObject({ status: 404, field: 'id' })
    }
    expect(await getContent(library, OTHER_DISTRICT, theirs.id)).toMatchObject({ body: 'Huyện B' })
    expect(await refusal(createTextNotice(library, EDITOR, { unitId: 'huyen-b', body: 'x' }))).toMatchObject({ status: 404, field: 'unitId' })
  })

  it('updates the fields of the item’s kind and refuses others by name', async () => {
    const { library } = await openLib()
    const notice = await createTextNotice(library, EDITOR, { unitId: 'xa-a1', title: 'Cũ', body: 'Cũ' })
    const updated = await updateContent(library, EDITOR, notice.id, { title: 'Mới', body: 'Nội dung mới', name: 'Thông báo họp' })
    expect(updated).toMatchObject({ title: 'Mới', body: 'Nội dung mới', name: 'Thông báo họp', createdAt: notice.createdAt })
    expect(await refusal(updateContent(library, EDITOR, notice.id, { url: 'https://a/b.m3u8' }))).toMatchObject({ field: 'url', code: 'not-applicable' })
    expect(await refusal(updateContent(library, EDITOR, notice.id, { body: '' }))).toMatchObject({ field: 'body' })
    expect(await getContent(library, EDITOR, notice.id)).toMatchObject({ body: 'Nội dung mới' })
  })

  it('refuses to delete an item a playlist uses (naming the playlist), deletes it once unused', async () => {
    const using = new Map<string, string[]>()
    const { library } = await openLib({ contentInUse: async (id) => using.get(id) ?? [] })
    const notice = await createTextNotice(library, EDITOR, { unitId: 'xa-a1', body: 'Lịch trực' })
    using.set(notice.id, ['Sáng thứ Hai'])
    const error = await refusal(deleteContent(library, EDITOR, notice.id))
    expect(error).toMatchObject({ status: 409, code: 'in-use', field: 'id' })
    expect(error.vi).toContain('“Sáng thứ Hai”')
    using.clear()
    await deleteContent(library, EDITOR, notice.id)
    expect(await refusal(getContent(library, EDITOR, notice.id))).toMatchObject({ status: 404 })
  })
})
