// The web console's page load: first contentful paint of the sign-in page and of the overview (signed in)
// in Chromium from the source server on 127.0.0.1, with a cold cache (a new browser context each load)
// and a warm one; and the size of what the first load transfers.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type Page } from 'playwright-core'
import { findChromium } from '../main/browser/chromium'
import { TEST_CHROMIUM_FLAGS } from '../e2e/fixtures/chromium-flags'
import { ensureFirstAdministrator } from '../server/access/bootstrap'
import { consoleApi } from '../server/access/console'
import { createUser } from '../server/access/users'
import { openSqlite } from '../server/db/database'
import { startReferenceServer } from '../server/reference-server'
import { percentile, type BenchRow } from './report'

const BUILD = join(__dirname, '..', 'out', 'console')

async function fcp(page: Page): Promise<number> {
  await page.waitForFunction(() => performance.getEntriesByName('first-contentful-paint').length > 0, null, { timeout: 20_000 })
  return page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN)
}

export async function consoleBench(options: { loads: number }): Promise<BenchRow[]> {
  const dir = await mkdtemp(join(tmpdir(), 'bangtin-bench-console-'))
  const opened = await openSqlite(join(dir, 'source.sqlite'))
  const first = await ensureFirstAdministrator(opened.db)
  if (!first) throw new Error('first administrator expected')
  await createUser(opened.db, { unitId: first.unitId, username: 'bench', displayName: 'Bench', role: 'duyet', password: 'mat-khau-bench-0', mustChangePassword: false }, Date.now())
  const server = await startReferenceServer({ consoleApi: consoleApi(opened.db), consoleStatic: BUILD })
  const browser = await chromium.launch({ executablePath: findChromium() ?? undefined, args: TEST_CHROMIUM_FLAGS })
  const cold: number[] = []
  const warm: number[] = []
  const overview: number[] = []
  let firstLoadBytes = 0
  try {
    for (let i = 0; i < options.loads; i++) {
      const context = await browser.newContext({ viewport: { width: 1366, height: 768 } })
      const page = await context.newPage()
      let bytes = 0
      // What went over the wire (gzipped where the server compresses), counted once each request finished.
      const sized: Promise<void>[] = []
      page.on('requestfinished', (request) => {
        sized.push(request.sizes().then((s) => void (bytes += s.responseBodySize)).catch(() => undefined))
      })
      await page.goto(`${server.url}/console/sign-in`, { waitUntil: 'load' })
      await page.getByRole('button', { name: 'Đăng nhập' }).waitFor()
      cold.push(await fcp(page))
      if (i === 0) {
        await Promise.all(sized)
        firstLoadBytes = bytes
      }
      await page.goto(`${server.url}/console/sign-in`, { waitUntil: 'load' })
      await page.getByRole('button', { name: 'Đăng nhập' }).waitFor()
      warm.push(await fcp(page))
      // Signed in: the overview with its data (the boards card answered).
      await page.getByLabel('Tên đăng nhập').fill('bench')
      await page.getByLabel('Mật khẩu').fill('mat-khau-bench-0')
      await page.getByRole('button', { name: 'Đăng nhập' }).click()
      await page.getByTestId('boards-count').waitFor()
      await page.goto(`${server.url}/console/`, { waitUntil: 'load' })
      await page.getByTestId('boards-count').waitFor()
      overview.push(await fcp(page))
      await context.close()
    }
  } finally {
    await browser.close()
    await server.close()
    await opened.close()
    await rm(dir, { recursive: true, force: true })
  }
  const p50 = percentile(cold, 50)
  return [
    { section: 'console', name: `sign-in page, first contentful paint, cold cache, p50 (${cold.length} loads)`, value: p50, unit: 'ms', target: '≤ 1000 ms', ok: p50 <= 1000 },
    { section: 'console', name: 'sign-in page, first contentful paint, cold cache, p95', value: percentile(cold, 95), unit: 'ms', target: null, ok: null },
    { section: 'console', name: 'sign-in page, first contentful paint, warm cache, p50', value: percentile(warm, 50), unit: 'ms', target: null, ok: null },
    { section: 'console', name: 'overview (signed in, reload), first contentful paint, p50', value: percentile(overview, 50), unit: 'ms', target: null, ok: null },
    { section: 'console', name: 'sign-in page, bytes transferred by the first load', value: firstLoadBytes / 1024, unit: 'KiB', target: null, ok: null }
  ]
}
