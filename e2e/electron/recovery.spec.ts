// The real Electron shell recovering on its own, where an Electron binary exists: a killed renderer is
// replaced by a new kiosk window that shows content again, and the kiosk stays fullscreen without a menu.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { _electron as electron, expect, test, type ElectronApplication } from '@playwright/test'

const REPO = resolve(__dirname, '../..')
const MAIN_ENTRY = join(REPO, 'out/main/index.js')

/** The Electron executable, found without require('electron') (which tries to download it and throws). */
function electronExecutable(): string | null {
  const fromEnv = process.env['ELECTRON_PATH']
  if (fromEnv) return existsSync(fromEnv) ? fromEnv : null
  const pathFile = join(REPO, 'node_modules/electron/path.txt')
  if (!existsSync(pathFile)) return null
  const executable = join(REPO, 'node_modules/electron/dist', readFileSync(pathFile, 'utf8').trim())
  return existsSync(executable) ? executable : null
}

const executablePath = electronExecutable()

test.describe.configure({ mode: 'serial' })

test.describe('Electron shell recovery', () => {
  test.skip(
    executablePath === null,
    'Electron binary not installed here: only the npm registry is reachable, and the electron package downloads its binary from GitHub at install. Set ELECTRON_PATH to run this spec.'
  )

  let app: ElectronApplication
  let userDataDir: string

  test.beforeAll(async () => {
    expect(existsSync(MAIN_ENTRY), `${MAIN_ENTRY} is missing: run \`npm run build\` first`).toBe(true)
    userDataDir = mkdtempSync(join(tmpdir(), 'bangtin-electron-recovery-'))
    const env = { ...process.env }
    delete env['ELECTRON_RENDERER_URL']
    const args = [MAIN_ENTRY, `--user-data-dir=${userDataDir}`]
    if (process.getuid?.() === 0) args.push('--no-sandbox')
    app = await electron.launch({ executablePath: executablePath!, args, env: env as Record<string, string> })
    await app.firstWindow()
  })

  test.afterAll(async () => {
    await app?.close()
    if (userDataDir) rmSync(userDataDir, { recursive: true, force: true })
  })

  test('launches as a kiosk with no menu and the display kept awake', async () => {
    const state = await app.evaluate(({ BrowserWindow, Menu }) => {
      const win = BrowserWindow.getAllWindows()[0]
      return { kiosk: win?.isKiosk(), menu: Menu.getApplicationMenu() === null, visible: win?.isMenuBarVisible() }
    })
    expect(state).toEqual({ kiosk: true, menu: true, visible: false })
  })

  test('a crashed renderer is replaced by a new window that plays again', async () => {
    const before = await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]!.id)
    await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]!.webContents.forcefullyCrashRenderer())
    await expect.poll(() => app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().map((w) => w.id))).not.toContain(before)
    await expect.poll(() => app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1)
    const page = app.windows().find((w) => !w.isClosed())!
    await expect(page.locator('[data-item-kind]').first()).toBeVisible({ timeout: 20_000 })
    expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]!.isKiosk())).toBe(true)
  })
})
