// The stage theme Chromium starts with: the same colour as the renderer's stage, files Chromium and GTK
// can read, and passed to a headful Chromium only.
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { chromiumArgs } from '../../../main/browser/chromium'
import { prepareStageTheme, STAGE_BACKGROUND } from '../../../main/browser/stage-theme'
import { useTempDirs } from '../../helpers/temp-dir'

describe('stage theme', () => {
  const tempDir = useTempDirs()

  it('is the renderer’s stage colour', async () => {
    const css = await readFile(join(__dirname, '../../../renderer/src/styles.css'), 'utf8')
    expect(/--bg:\s*(#[0-9a-f]{6})/i.exec(css)?.[1]?.toLowerCase()).toBe(STAGE_BACKGROUND)
  })

  it('writes a GTK theme and a browser theme of that colour, found through the environment and a flag', async () => {
    const dir = await tempDir()
    const theme = await prepareStageTheme(dir, { XDG_DATA_DIRS: '/usr/share' })
    expect(theme.env).toEqual({ GTK_THEME: 'BangtinStage', XDG_DATA_DIRS: `${join(dir, 'share')}:/usr/share` })
    const gtk = await readFile(join(dir, 'share', 'themes', 'BangtinStage', 'gtk-3.0', 'gtk.css'), 'utf8')
    expect(gtk).toContain(`window, .background { background-color: ${STAGE_BACKGROUND}; }`)
    expect(theme.args).toEqual([`--load-extension=${join(dir, 'theme-extension')}`])
    const manifest = JSON.parse(await readFile(join(dir, 'theme-extension', 'manifest.json'), 'utf8'))
    expect(manifest.theme.colors.ntp_background).toEqual([11, 37, 69])
    // Without XDG_DATA_DIRS, GTK's own default dirs stay searched after ours.
    expect((await prepareStageTheme(dir, {})).env.XDG_DATA_DIRS).toBe(`${join(dir, 'share')}:/usr/local/share:/usr/share`)
  })

  it('is loaded by a headful Chromium only, before the deployment’s own flags', () => {
    const theme = { args: ['--load-extension=/x'], env: { GTK_THEME: 'BangtinStage' } }
    const options = { executablePath: 'c', url: 'http://127.0.0.1:1/', userDataDir: '/p', headless: false, extraArgs: ['--own'], theme }
    const args = chromiumArgs(options, false)
    expect(args.indexOf('--load-extension=/x')).toBeLessThan(args.indexOf('--own'))
    expect(chromiumArgs({ ...options, headless: true }, false)).not.toContain('--load-extension=/x')
  })
})
