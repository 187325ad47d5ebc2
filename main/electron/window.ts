// The kiosk window: one frameless fullscreen window whose renderer is sandboxed and isolated, because
// a public screen runs unattended and must not become a general-purpose browser.
import { app, BrowserWindow, Menu, type BrowserWindowConstructorOptions, type Rectangle } from 'electron'

/** Dark, so a slow first paint shows black rather than a white flash in front of the public. */
export const KIOSK_BACKGROUND = '#000000'

export function kioskWindowOptions(preloadPath: string, bounds?: Rectangle): BrowserWindowConstructorOptions {
  return {
    title: app.getName(),
    // Placed on its display first: kiosk/fullscreen then fill the display the window is on.
    ...(bounds ? { x: bounds.x, y: bounds.y, width: bounds.width, height: bounds.height } : {}),
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
      // Middle-click would open links in new windows (denied anyway; this stops the event at the source).
      disableBlinkFeatures: 'Auxclick',
      // Items play without anyone touching the screen (Electron's default, stated so nobody changes it by accident).
      autoplayPolicy: 'no-user-gesture-required'
    }
  }
}

export function createKioskWindow(preloadPath: string, bounds?: Rectangle): BrowserWindow {
  // No application menu: its accelerators (reload, DevTools, zoom, quit) would be reachable from a keyboard.
  Menu.setApplicationMenu(null)
  const options = kioskWindowOptions(preloadPath, bounds)
  // The isolation settings are stated again at the construction site, last, so no edit of the options
  // above can weaken them and static checkers (electronegativity, run in the tests) can see them.
  const win = new BrowserWindow({
    ...options,
    webPreferences: { ...options.webPreferences, sandbox: true, contextIsolation: true, nodeIntegration: false, disableBlinkFeatures: 'Auxclick' }
  })
  win.setMenu(null)
  win.once('ready-to-show', () => {
    if (!win.isDestroyed()) win.show()
  })
  return win
}
