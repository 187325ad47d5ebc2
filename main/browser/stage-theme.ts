// Chromium's own colours before the screen's first frame, set to the stage colour so that a start or a
// restart never flashes white: the window (drawn from the GTK theme) and the page area (from a browser theme).
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

/** The stage colour of the renderer (renderer/src/styles.css `--bg`); a test keeps the two equal. */
export const STAGE_BACKGROUND = '#0b2545'
const THEME_NAME = 'BangtinStage'

export interface StageTheme {
  /** Chromium flags that load the browser theme. */
  args: string[]
  /** Environment that makes GTK (which Chromium draws its window with on Linux) use the stage theme. */
  env: Record<string, string>
}

const rgbOf = (hex: string): [number, number, number] => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as [number, number, number]

/**
 * Writes the two themes under `dir` and says how to start Chromium with them. Measured under Xvfb:
 * without them Chromium shows GTK's light window colour, then white, for 0.1–1.7 s before the first
 * frame (`--default-background-color` is headless-only and changes nothing here; the page's own
 * background cannot help, as the page has not painted yet).
 */
export async function prepareStageTheme(dir: string, env: NodeJS.ProcessEnv = process.env): Promise<StageTheme> {
  const rgb = rgbOf(STAGE_BACKGROUND)
  // The window before any page: GTK's window background. Adwaita dark underneath, so whatever else
  // Chromium draws natively (the crashed-page notice, between pages) is dark rather than white.
  const gtkDir = join(dir, 'share', 'themes', THEME_NAME, 'gtk-3.0')
  await mkdir(gtkDir, { recursive: true })
  await writeFile(
    join(gtkDir, 'gtk.css'),
    `@import url("resource:///org/gtk/libgtk/theme/Adwaita/gtk-contained-dark.css");\nwindow, .background { background-color: ${STAGE_BACKGROUND}; }\n`
  )
  // The page area before the first frame is the theme's new-tab background (kColorWebContentsBackground).
  const extensionDir = join(dir, 'theme-extension')
  await mkdir(extensionDir, { recursive: true })
  await writeFile(
    join(extensionDir, 'manifest.json'),
    JSON.stringify(
      {
        manifest_version: 3,
        name: 'Bảng tin điện tử – stage',
        version: '1.0',
        theme: { colors: { frame: rgb, frame_inactive: rgb, toolbar: rgb, background_tab: rgb, ntp_background: rgb } }
      },
      null,
      2
    )
  )
  return {
    args: [`--load-extension=${extensionDir}`],
    env: {
      GTK_THEME: THEME_NAME,
      // GTK looks for themes in each data dir's themes/; the system's stay after ours.
      XDG_DATA_DIRS: [join(dir, 'share'), env.XDG_DATA_DIRS || '/usr/local/share:/usr/share'].join(':')
    }
  }
}
