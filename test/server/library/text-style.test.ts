// A text notice's preset look (colour scheme, size) is stored, defaults for notices made before presets,
// only applies to text notices, and reaches the board as the manifest item's style.
import { afterEach, expect, it } from 'vitest'
import { ManifestItem } from '../../../main/core/protocol/manifest'
import { createTextNotice, createTicker, getContent, updateContent } from '../../../server/library/content'
import { LibraryError } from '../../../server/library/errors'
import { manifestItemForContent } from '../../../server/library/manifest-item'
import { useTempDirs } from '../../helpers/temp-dir'
import { EDITOR, openTestLibrary, type TestLibrary } from './fixtures/media'

const tempDir = useTempDirs()
const open: TestLibrary[] = []
afterEach(async () => {
  for (const t of open.splice(0)) await t.opened.close()
})
async function openLib(): Promise<TestLibrary> {
  const t = await openTestLibrary(await tempDir())
  open.push(t)
  return t
}
const refusal = (promise: Promise<unknown>) => promise.then(() => null, (e: unknown) => e as LibraryError)

it('a notice without presets shows the defaults, and its manifest item carries no style (as before presets)', async () => {
  const { library } = await openLib()
  const notice = await createTextNotice(library, EDITOR, { unitId: 'xa-a1', body: 'Họp thôn' })
  expect(notice).toMatchObject({ scheme: 'thuong', size: 'lon' })
  const { item } = await manifestItemForContent(library, notice.id)
  expect(item).not.toHaveProperty('style')
})

it('stores the chosen presets and passes them into the manifest item, which the board parses', async () => {
  const { library } = await openLib()
  const notice = await createTextNotice(library, EDITOR, { unitId: 'xa-a1', title: 'Cảnh báo', body: 'Nước sông lên', scheme: 'canh-bao', size: 'vua' })
  expect(await getContent(library, EDITOR, notice.id)).toMatchObject({ scheme: 'canh-bao', size: 'vua' })
  const { item } = await manifestItemForContent(library, notice.id, { itemId: 'n' })
  expect(item).toMatchObject({ kind: 'text', style: { scheme: 'canh-bao', size: 'vua' } })
  expect(ManifestItem.parse(item)).toEqual(item)
  await updateContent(library, EDITOR, notice.id, { scheme: 'trang-trong' })
  expect((await manifestItemForContent(library, notice.id)).item).toMatchObject({ style: { scheme: 'trang-trong', size: 'vua' } })
})

it('refuses an unknown preset by field, in Vietnamese and English, and storing nothing', async () => {
  const { library } = await openLib()
  const bad = await refusal(createTextNotice(library, EDITOR, { unitId: 'xa-a1', body: 'x', scheme: 'cau-vong' }))
  expect(bad).toMatchObject({ status: 400, code: 'bad-scheme', field: 'scheme' })
  expect(bad?.vi).toMatch(/cảnh báo/)
  expect(bad?.en).toMatch(/warning/)
  expect(await refusal(createTextNotice(library, EDITOR, { unitId: 'xa-a1', body: 'x', size: 'to' }))).toMatchObject({ code: 'bad-size', field: 'size' })
  expect(await library.db.selectFrom('library_content').select('id').execute()).toEqual([])
})

it('presets apply to text notices only', async () => {
  const { library } = await openLib()
  const ticker = await createTicker(library, EDITOR, { unitId: 'xa-a1', text: 'Chạy chữ' })
  expect(await refusal(updateContent(library, EDITOR, ticker.id, { scheme: 'canh-bao' }))).toMatchObject({ code: 'not-applicable', field: 'scheme' })
})
