// The kiosk window's options and creation: isolation and sandbox on, Node off, fullscreen kiosk, no menu.
import { beforeEach, describe, expect, it, vi } from 'vitest'

const fake = await vi.hoisted(async () => (await import('./fake-electron')).createFakeElectron())
vi.mock('electron', () => fake.module)

import { createKioskWindow, kioskWindowOptions } from '../../../main/electron/window'

beforeEach(() => {
  fake.reset()
  fake.becomeReady()
})

describe('kioskWindowOptions', () => {
  it('isolates and sandboxes the renderer and gives it no Node', () => {
    const prefs = kioskWindowOptions('/app/out/preload/index.js').webPreferences
    expect(prefs).toMatchObject({
      preload: '/app/out/preload/index.js',
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      backgroundThrottling: false,
      safeDialogs: true,
      spellcheck: false
    })
  })

  it('fills the screen as a frameless kiosk and never flashes white', () => {
    const options = kioskWindowOptions('/p.js')
    expect(options).toMatchObject({ fullscreen: true, kiosk: true, frame: false, autoHideMenuBar: true, show: false })
    const color = options.backgroundColor ?? '#ffffff'
    const [r, g, b] = [1, 3, 5].map((i) => parseInt(color.slice(i, i + 2), 16))
    expect(Math.max(r!, g!, b!)).toBeLessThan(0x30)
  })

  it('allows DevTools only in an unpackaged build', () => {
    fake.app.isPackaged = true
    expect(kioskWindowOptions('/p.js').webPreferences?.devTools).toBe(false)
    fake.app.isPackaged = false
    expect(kioskWindowOptions('/p.js').webPreferences?.devTools).toBe(true)
  })
})

describe('createKioskWindow', () => {
  it('builds the window with the preload, removes both menus, and shows it only when painted', () => {
    const win = createKioskWindow('/app/out/preload/index.js') as unknown as (typeof fake.windows)[number]
    expect(fake.windows).toEqual([win])
    expect(win.options.webPreferences?.preload).toBe('/app/out/preload/index.js')
    expect(fake.applicationMenu).toBeNull()
    expect(win.menuRemoved).toBe(true)
    expect(win.shown).toBe(false)
    win.emit('ready-to-show')
    expect(win.shown).toBe(true)
  })

  it('does not touch a window destroyed before it was ready', () => {
    const win = createKioskWindow('/p.js') as unknown as (typeof fake.windows)[number]
    win.close()
    win.emit('ready-to-show')
    expect(win.shown).toBe(false)
  })
})
