// Small stand-ins for the parts of Electron the shell uses: the binary cannot run here, so unit tests
// mock 'electron' with these. They record what the shell did; they decide nothing themselves.
import { EventEmitter } from 'node:events'
import type { BrowserWindowConstructorOptions } from 'electron'

export const RENDERER_FILE_URL = 'file:///opt/bangtin/resources/app.asar/out/renderer/index.html'

export class FakeFrame {
  constructor(public url: string) {}
}

/** A navigation-style event as Electron 45 passes it: details with url and preventDefault. */
export class FakeEvent {
  defaultPrevented = false
  constructor(
    readonly url = '',
    readonly isMainFrame = true
  ) {}
  preventDefault(): void {
    this.defaultPrevented = true
  }
}

type WindowOpenHandler = (details: { url: string }) => { action: 'allow' | 'deny' }

/** A NativeImage of a given size; it records how it was resized and encoded. */
export class FakeNativeImage {
  readonly resizes: { width?: number; height?: number; quality?: string }[] = []
  /** The images resize() returned. */
  readonly derived: FakeNativeImage[] = []
  jpegQuality: number | null = null
  constructor(
    readonly width: number,
    readonly height: number
  ) {}
  isEmpty(): boolean {
    return this.width === 0 || this.height === 0
  }
  getSize(): { width: number; height: number } {
    return { width: this.width, height: this.height }
  }
  /** Like Electron: a width alone keeps the aspect ratio. */
  resize(options: { width?: number; height?: number; quality?: string }): FakeNativeImage {
    this.resizes.push(options)
    const width = options.width ?? this.width
    const resized = new FakeNativeImage(width, options.height ?? Math.round((this.height * width) / this.width))
    this.derived.push(resized)
    return resized
  }
  toJPEG(quality: number): Buffer {
    this.jpegQuality = quality
    return Buffer.from(`jpeg ${this.width}x${this.height} q${quality}`)
  }
}

let nextContentsId = 1

export class FakeWebContents extends EventEmitter {
  readonly id = nextContentsId++
  mainFrame = new FakeFrame(RENDERER_FILE_URL)
  readonly sent: { channel: string; payload: unknown }[] = []
  destroyed = false
  windowOpenHandler: WindowOpenHandler | null = null

  send(channel: string, payload: unknown): void {
    if (this.destroyed) throw new Error('Object has been destroyed')
    this.sent.push({ channel, payload })
  }
  isDestroyed(): boolean {
    return this.destroyed
  }
  setWindowOpenHandler(handler: WindowOpenHandler): void {
    this.windowOpenHandler = handler
  }
  reloads = 0
  reload(): void {
    this.reloads++
  }
  /** What the next capturePage() gives: an image (by default a full-HD frame) or a failure. */
  nextCapture: FakeNativeImage | Error = new FakeNativeImage(1920, 1080)
  captures: FakeNativeImage[] = []
  async capturePage(): Promise<FakeNativeImage> {
    if (this.destroyed) throw new Error('Object has been destroyed')
    if (this.nextCapture instanceof Error) throw this.nextCapture
    this.captures.push(this.nextCapture)
    return this.nextCapture
  }
}

export interface FakeDisplay {
  id: number
  bounds: { x: number; y: number; width: number; height: number }
}

export interface FakeSession {
  requestHandler: ((contents: unknown, permission: string, callback: (granted: boolean) => void, details: unknown) => void) | null
  checkHandler: ((contents: unknown, permission: string, origin: string, details: unknown) => boolean) | null
  deviceHandler: ((details: unknown) => boolean) | null
  setPermissionRequestHandler(handler: FakeSession['requestHandler']): void
  setPermissionCheckHandler(handler: FakeSession['checkHandler']): void
  setDevicePermissionHandler(handler: FakeSession['deviceHandler']): void
}

export function createFakeSession(): FakeSession {
  return {
    requestHandler: null,
    checkHandler: null,
    deviceHandler: null,
    setPermissionRequestHandler(handler) {
      this.requestHandler = handler
    },
    setPermissionCheckHandler(handler) {
      this.checkHandler = handler
    },
    setDevicePermissionHandler(handler) {
      this.deviceHandler = handler
    }
  }
}

export function createFakeElectron() {
  /** Every shell-visible step in the order it happened, e.g. 'protocol.registerSchemesAsPrivileged'. */
  const calls: string[] = []
  const windows: FakeBrowserWindow[] = []
  // Electron enforces these at runtime; the fakes do too, so a step run at the wrong time fails a test.
  let isReady = false
  let markReady: () => void = () => {}
  let readyPromise = new Promise<void>((resolve) => (markReady = resolve))

  class FakeBrowserWindow extends EventEmitter {
    readonly webContents = new FakeWebContents()
    destroyed = false
    shown = false
    focused = false
    minimized = false
    restored = false
    menuRemoved = false
    loaded: { url: string } | { file: string } | null = null
    kiosk = true
    bounds = { x: 0, y: 0, width: 1920, height: 1080 }

    constructor(readonly options: BrowserWindowConstructorOptions) {
      super()
      if (!isReady) throw new Error('Cannot create BrowserWindow before app is ready')
      const { x, y, width, height } = options
      if (x !== undefined && y !== undefined && width !== undefined && height !== undefined) this.bounds = { x, y, width, height }
      calls.push('new BrowserWindow')
      windows.push(this)
      // Electron emits web-contents-created for the window's contents during construction.
      app.emit('web-contents-created', new FakeEvent(), this.webContents)
    }
    static getAllWindows(): FakeBrowserWindow[] {
      return windows.filter((w) => !w.destroyed)
    }
    isDestroyed(): boolean {
      return this.destroyed
    }
    isMinimized(): boolean {
      return this.minimized
    }
    restore(): void {
      this.restored = true
      this.minimized = false
    }
    show(): void {
      this.shown = true
    }
    focus(): void {
      this.focused = true
    }
    setMenu(menu: unknown): void {
      if (menu === null) this.menuRemoved = true
    }
    async loadURL(url: string): Promise<void> {
      calls.push('win.loadURL')
      this.loaded = { url }
    }
    async loadFile(file: string): Promise<void> {
      calls.push('win.loadFile')
      this.loaded = { file }
    }
    getBounds(): { x: number; y: number; width: number; height: number } {
      return { ...this.bounds }
    }
    setBounds(bounds: { x: number; y: number; width: number; height: number }): void {
      calls.push('win.setBounds')
      this.bounds = { ...bounds }
    }
    setKiosk(on: boolean): void {
      this.kiosk = on
    }
    close(): void {
      if (this.destroyed) return
      this.destroyed = true
      this.webContents.destroyed = true
      this.emit('closed')
    }
    destroy(): void {
      this.close()
    }
  }

  class FakeApp extends EventEmitter {
    isPackaged = false
    lockAvailable = true
    quitCalls = 0
    paths: Record<string, string> = { userData: '/tmp/bangtin-user-data' }
    appPath = '/opt/bangtin/app'
    getName(): string {
      return 'Bảng tin điện tử'
    }
    requestSingleInstanceLock(): boolean {
      calls.push('app.requestSingleInstanceLock')
      return this.lockAvailable
    }
    quit(): void {
      calls.push('app.quit')
      this.quitCalls++
    }
    whenReady(): Promise<void> {
      return readyPromise
    }
    getPath(name: string): string {
      const path = this.paths[name]
      if (path === undefined) throw new Error(`no fake path for ${name}`)
      return path
    }
    getAppPath(): string {
      return this.appPath
    }
    version = '1.0.0'
    getVersion(): string {
      return this.version
    }
    metrics: { memory: { workingSetSize: number } }[] = []
    getAppMetrics(): { memory: { workingSetSize: number } }[] {
      return this.metrics
    }
    relaunchCalls = 0
    exitCalls = 0
    relaunch(): void {
      calls.push('app.relaunch')
      this.relaunchCalls++
    }
    exit(): void {
      calls.push('app.exit')
      this.exitCalls++
    }
    loginItem: unknown = null
    setLoginItemSettings(settings: unknown): void {
      this.loginItem = settings
    }
  }
  const app = new FakeApp()

  const handlers = new Map<string, (request: Request) => Response | Promise<Response>>()
  const privileged: { scheme: string; privileges?: Record<string, boolean> }[] = []
  const protocol = {
    registerSchemesAsPrivileged(schemes: { scheme: string; privileges?: Record<string, boolean> }[]): void {
      if (isReady) throw new Error('protocol.registerSchemesAsPrivileged should be called before app is ready')
      calls.push('protocol.registerSchemesAsPrivileged')
      privileged.push(...schemes)
    },
    handle(scheme: string, handler: (request: Request) => Response | Promise<Response>): void {
      if (!isReady) throw new Error('protocol.handle cannot be used before app is ready')
      calls.push('protocol.handle')
      handlers.set(scheme, handler)
    }
  }

  const defaultSession = createFakeSession()
  const originalSetRequest = defaultSession.setPermissionRequestHandler
  defaultSession.setPermissionRequestHandler = function (handler) {
    calls.push('session.setPermissionRequestHandler')
    originalSetRequest.call(this, handler)
  }

  const ipcMain = new EventEmitter()
  const origOn = ipcMain.on.bind(ipcMain)
  ipcMain.on = (channel: string | symbol, listener: (...args: unknown[]) => void) => {
    calls.push(`ipcMain.on ${String(channel)}`)
    return origOn(channel, listener)
  }

  class FakeIpcRenderer extends EventEmitter {
    readonly sent: { channel: string; payload: unknown }[] = []
    send(channel: string, payload: unknown): void {
      this.sent.push({ channel, payload })
    }
  }
  const ipcRenderer = new FakeIpcRenderer()

  const exposed: Record<string, unknown> = {}
  const contextBridge = {
    exposeInMainWorld(name: string, api: unknown): void {
      exposed[name] = api
    }
  }

  let applicationMenu: unknown = 'default'
  const Menu = {
    setApplicationMenu(menu: unknown): void {
      applicationMenu = menu
    }
  }

  const displays: FakeDisplay[] = [{ id: 1, bounds: { x: 0, y: 0, width: 1920, height: 1080 } }]
  const screen = Object.assign(new EventEmitter(), {
    getAllDisplays: (): FakeDisplay[] => displays.map((d) => ({ ...d, bounds: { ...d.bounds } }))
  })
  const powerSaveBlocks: string[] = []
  const powerSaveBlocker = {
    start(type: string): number {
      calls.push(`powerSaveBlocker.start ${type}`)
      powerSaveBlocks.push(type)
      return powerSaveBlocks.length
    }
  }

  // Reversible stand-in for the OS keychain: enough to see the token is never stored as given.
  const safeStorage = {
    isEncryptionAvailable: (): boolean => true,
    encryptString: (plain: string): Buffer => Buffer.from(`sealed(${plain})`).reverse(),
    decryptString: (sealed: Buffer): string => Buffer.from(sealed).reverse().toString().replace(/^sealed\((.*)\)$/s, '$1')
  }

  const module = {
    app,
    screen,
    powerSaveBlocker,
    safeStorage,
    BrowserWindow: FakeBrowserWindow,
    protocol,
    session: { defaultSession },
    ipcMain,
    ipcRenderer,
    contextBridge,
    Menu
  }

  return {
    module,
    app,
    screen,
    displays,
    powerSaveBlocks,
    calls,
    windows,
    privileged,
    handlers,
    defaultSession,
    ipcMain,
    ipcRenderer,
    exposed,
    get applicationMenu(): unknown {
      return applicationMenu
    },
    becomeReady(): void {
      calls.push('app ready')
      isReady = true
      markReady()
    },
    /** Back to a fresh process: no windows, listeners, handlers or recorded calls. */
    reset(): void {
      calls.length = 0
      isReady = false
      windows.length = 0
      privileged.length = 0
      handlers.clear()
      app.removeAllListeners()
      ipcMain.removeAllListeners()
      ipcRenderer.removeAllListeners()
      ipcRenderer.sent.length = 0
      app.isPackaged = false
      app.lockAvailable = true
      app.quitCalls = 0
      app.relaunchCalls = 0
      app.exitCalls = 0
      app.metrics = []
      app.loginItem = null
      screen.removeAllListeners()
      displays.splice(0, displays.length, { id: 1, bounds: { x: 0, y: 0, width: 1920, height: 1080 } })
      powerSaveBlocks.length = 0
      defaultSession.requestHandler = null
      defaultSession.checkHandler = null
      defaultSession.deviceHandler = null
      applicationMenu = 'default'
      for (const key of Object.keys(exposed)) delete exposed[key]
      readyPromise = new Promise<void>((resolve) => (markReady = resolve))
    }
  }
}

export type FakeElectron = ReturnType<typeof createFakeElectron>
export type FakeBrowserWindow = InstanceType<FakeElectron['module']['BrowserWindow']>
