// The real Electron shell, where an Electron binary exists: kiosk window, no Node in the page, the
// narrow bridge, demo content on screen, and no way out through window.open or navigation.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { _electron as electron, expect, test, type ElectronApplication, type Page } from '@playwright/test'
import { hostVerbs, listenerName, PRELOAD_GLOBAL, screenVerbs } from '../../contract/screen'

const REPO = resolve(__dirname, '../..')
const MAIN_ENTRY = join(REPO, 'out/main/index.js')

/** The Electron executable, found without require('electron') (which tries to download it and throws). */
function electronExecutable(): string | null {
  const fromEnv = process.env['ELECTRON_PATH']
  if (fromEnv) return existsSync(fromEnv) ? fromEnv : null
  const packageDir = join(REPO, 'node_modules/electron')
  const pathFile = join(packageDir, 'path.txt')
  if (!existsSync(pathFile)) return null
  const executable = join(packageDir, 'dist', readFileSync(pathFile, 'utf8').trim())
  return existsSync(executable) ? executable : null
}

const executablePath = electronExecutable()

test.describe.configure({ mode: 'serial' })

test.describe('Electron shell smoke', () => {
  test.skip(
    executablePath === null,
    'Electron binary not installed here: only the npm registry is reachable, and the electron package downloads its binary from GitHub at install. Set ELECTRON_PATH to run this spec.'
  )

  let app: ElectronApplication
  let page: Page
  let userDataDir: string

  test.beforeAll(async () => {
    expect(existsSync(MAIN_ENTRY), `${MAIN_ENTRY} is missing: run \`npm run build\` first`).toBe(true)
    userDataDir = mkdtempSync(join(tmpdir(), 'bangtin-electron-e2e-'))
    const env = { ...process.env }
    // The built renderer, not a dev server: this is the product as installed.
    delete env['ELECTRON_RENDERER_URL']
    const args = [MAIN_ENTRY, `--user-data-dir=${userDataDir}`]
    // Chromium refuses to run its sandbox as root (CI containers); the renderer sandbox flags still apply.
    if (process.getuid?.() === 0) args.push('--no-sandbox')
    app = await electron.launch({ executablePath: executablePath!, args, env: env as Record<string, string> })
    page = await app.firstWindow()
  })

  test.afterAll(async () => {
    await app?.close()
    if (userDataDir) rmSync(userDataDir, { recursive: true, force: true })
  })

  test('the first window is a fullscreen kiosk', async () => {
    await expect
      .poll(() =>
        app.evaluate(({ BrowserWindow }) => {
          const win = BrowserWindow.getAllWindows()[0]
          return win ? { kiosk: win.isKiosk(), fullscreen: win.isFullScreen() } : null
        })
      )
      .toEqual({ kiosk: true, fullscreen: true })
  })

  test('the page has no Node: no require, no process', async () => {
    const globals = await page.evaluate(() => ({ require: typeof require, process: typeof process, module: typeof module }))
    expect(globals).toEqual({ require: 'undefined', process: 'undefined', module: 'undefined' })
  })

  test(`window.${PRELOAD_GLOBAL} exposes only verb-named functions`, async () => {
    const api = await page.evaluate((name) => {
      const bridge = (globalThis as unknown as Record<string, Record<string, unknown> | undefined>)[name]
      return bridge ? Object.entries(bridge).map(([key, value]) => [key, typeof value]) : null
    }, PRELOAD_GLOBAL)
    const expected = [...screenVerbs, ...hostVerbs.map(listenerName)].sort().map((key) => [key, 'function'])
    expect(api?.sort()).toEqual(expected)
  })

  test('the demo content appears', async () => {
    await expect(page.locator('[data-item-kind]').first()).toBeVisible({ timeout: 20_000 })
  })

  test('window.open is refused', async () => {
    const opened = await page.evaluate(() => {
      const open = (globalThis as unknown as { open(url: string): unknown }).open
      return open('https://example.com/') === null
    })
    expect(opened).toBe(true)
    expect(app.windows()).toHaveLength(1)
  })

  test('navigation away from the app is prevented', async () => {
    const before = page.url()
    // A listener added after the app's own sees whether the app prevented the navigation.
    await app.evaluate(({ BrowserWindow }) => {
      const record = globalThis as unknown as { navigationSeen?: { url: string; prevented: boolean } }
      BrowserWindow.getAllWindows()[0]?.webContents.once('will-navigate', (event) => {
        record.navigationSeen = { url: event.url, prevented: event.defaultPrevented }
      })
    })
    await page.evaluate(() => {
      ;(globalThis as unknown as { location: { href: string } }).location.href = 'https://example.com/'
    })
    await expect
      .poll(() => app.evaluate(() => (globalThis as unknown as { navigationSeen?: unknown }).navigationSeen))
      .toEqual({ url: 'https://example.com/', prevented: true })
    expect(page.url()).toBe(before)
    await expect(page.locator('[data-item-kind]').first()).toBeVisible()
  })
})
