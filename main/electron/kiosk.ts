// The set of kiosk windows: one per chosen display, moved or replaced as displays come and go, each
// watched (crash → new window, hang → reload, silence → new window) and wired to the host.
import type { BrowserWindow, Rectangle } from 'electron'
import type { Logger } from '../core/log'
import { pickDisplays, sameBounds, type DisplayLike } from './displays'

export interface KioskDeps {
  displays(): DisplayLike[]
  wanted: { ids: readonly number[]; all: boolean }
  /** Creates, hardens, wires and loads one window on these bounds. */
  open(bounds: Rectangle): BrowserWindow
  log: Logger
}

export class KioskScreens {
  /** Display id → its window. */
  readonly windows = new Map<number, BrowserWindow>()

  constructor(private readonly deps: KioskDeps) {}

  /** Makes the windows match the displays. With no display connected, keeps what exists (the panel may be off). */
  reconcile(): void {
    const targets = pickDisplays(this.deps.displays(), this.deps.wanted)
    if (targets.length === 0) return
    for (const [id, win] of this.windows) if (win.isDestroyed()) this.windows.delete(id)
    const free = [...this.windows.entries()].filter(([id]) => !targets.some((d) => d.id === id))
    for (const display of targets) {
      const existing = this.windows.get(display.id)
      if (existing) {
        if (!sameBounds(existing.getBounds(), display.bounds)) this.move(existing, display.bounds)
        continue
      }
      const reuse = free.shift()
      if (reuse) {
        this.windows.delete(reuse[0])
        this.windows.set(display.id, reuse[1])
        this.deps.log.info('display changed; moving the kiosk window', { to: display.id })
        this.move(reuse[1], display.bounds)
      } else {
        this.windows.set(display.id, this.deps.open(display.bounds))
      }
    }
    // New windows exist before old ones close, so the app never has zero windows (which would quit it).
    for (const [id, win] of free) {
      this.windows.delete(id)
      if (!win.isDestroyed()) win.close()
    }
  }

  /** Replaces a window in place (after a renderer crash or a silent renderer). */
  recreate(win: BrowserWindow, reason: string): void {
    const entry = [...this.windows.entries()].find(([, w]) => w === win)
    if (!entry) return
    this.deps.log.error('recreating the kiosk window', { reason, display: entry[0] })
    const bounds = win.isDestroyed() ? undefined : win.getBounds()
    const display = this.deps.displays().find((d) => d.id === entry[0])
    const fresh = this.deps.open(display?.bounds ?? bounds ?? { x: 0, y: 0, width: 1920, height: 1080 })
    this.windows.set(entry[0], fresh)
    if (!win.isDestroyed()) win.destroy()
  }

  private move(win: BrowserWindow, bounds: Rectangle): void {
    // Kiosk mode pins the window to its display; leave it, move, and enter it again.
    win.setKiosk(false)
    win.setBounds(bounds)
    win.setKiosk(true)
  }
}
