// Denials that keep the kiosk on its own renderer: no navigation away, no new windows, no <webview>,
// no permission prompts. Public screens get hijacked; nothing here should ever need a person to click.
import type { Session, WebContents } from 'electron'
import type { Logger } from '../core/log'

/**
 * Whether `url` is the app's own renderer. For an http(s) dev server any page of that origin counts;
 * for file: (and other origin-less URLs) only the exact renderer document does, since every local
 * file shares the opaque origin.
 */
export function isAppUrl(url: string, rendererUrl: string): boolean {
  let target: URL
  let app: URL
  try {
    target = new URL(url)
    app = new URL(rendererUrl)
  } catch {
    return false
  }
  if (app.origin !== 'null') return target.origin === app.origin
  return target.protocol === app.protocol && target.host === app.host && target.pathname === app.pathname
}

interface NavigationEvent {
  url: string
  isMainFrame?: boolean
  preventDefault(): void
}

/** Applies every per-WebContents denial; called for each WebContents the app creates. */
export function hardenWebContents(contents: WebContents, isAllowedUrl: (url: string) => boolean, log: Logger): void {
  const guard =
    (kind: string) =>
    (event: NavigationEvent): void => {
      if (isAllowedUrl(event.url)) return
      event.preventDefault()
      log.warn('navigation denied', { kind, url: event.url })
    }
  contents.on('will-navigate', guard('will-navigate'))
  // will-navigate only sees the main frame; subframes and server redirects have their own events.
  const guardFrame = guard('will-frame-navigate')
  contents.on('will-frame-navigate', (event) => {
    if (!event.isMainFrame) guardFrame(event)
  })
  contents.on('will-redirect', guard('will-redirect'))
  contents.setWindowOpenHandler(({ url }) => {
    log.warn('window.open denied', { url })
    return { action: 'deny' }
  })
  contents.on('will-attach-webview', (event) => {
    event.preventDefault()
    log.warn('webview attach denied')
  })
}

/** Denies every permission request and check: a player needs no camera, location, notifications or prompts. */
export function denyAllPermissions(session: Session, log: Logger): void {
  session.setPermissionRequestHandler((_contents, permission, callback) => {
    log.warn('permission request denied', { permission })
    callback(false)
  })
  // Checks happen often and silently (feature detection), so they are denied without a log line.
  session.setPermissionCheckHandler(() => false)
  session.setDevicePermissionHandler(() => false)
}
