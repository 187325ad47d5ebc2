// The kiosk window: one frameless fullscreen window whose renderer is sandboxed and isolated, because
// a public screen runs unattended and must not become a general-purpose browser.
import { app, BrowserWindow, Menu, type BrowserWindowConstructorOptions } from 'electron'

/** Dark, so a slow first paint shows black rather than a white flash in front of the public. */
export const KIOSK_BACKGROUND = '#000000'

export function kioskWindowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    title: app.getName(),
    fullscreen: true,
    kiosk: true,
    frame: false,
    autoHideMenuBar: true,
    backgroundColor: KIOSK_BACKGROUND,
    // Shown on 'ready-to-show' so the first frame the audience sees is a painted one.
    show: false,
    webPreferences: {
      preload: preloadPath,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      // An installed player has no keyboard user to debug it; DevTools are for development builds.
      devTools: !app.isPackaged,
      // The window is never focused by a person: throttling would stall video and timers.
      backgroundThrottling: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      // Items play without anyone touching the screen (Electron's default, stated so nobody changes it by accident).
      autoplayPolicy: 'no-user-gesture-required'
    }
  }
}

export function createKioskWindow(preloadPath: string): BrowserWindow {
  // No application menu: its accelerators (reload, DevTools, zoom, quit) would be reachable from a keyboard.
  Menu.setApplicationMenu(null)
  const win = new BrowserWindow(kioskWindowOptions(preloadPath))
  win.setMenu(null)
  win.once('ready-to-show', () => {
    if (!win.isDestroyed()) win.show()
  })
  return win
}
