// The Electron shell's screenshot: capturePage of the current window, resized only when too wide, JPEG
// at the asked quality, and clear refusals when there is nothing to capture.
import type { BrowserWindow } from 'electron'
import { beforeEach, describe, expect, it, vi } from 'vitest'

const fake = await vi.hoisted(async () => (await import('./fake-electron')).createFakeElectron())
vi.mock('electron', () => fake.module)

import { windowCapture } from '../../../main/electron/capture'
import { FakeNativeImage, type FakeBrowserWindow } from './fake-electron'

const asWindow = (win: FakeBrowserWindow | null): BrowserWindow | null => win as unknown as BrowserWindow | null

beforeEach(() => {
  fake.reset()
  fake.becomeReady()
})

describe('windowCapture', () => {
  it('downscales a full-HD frame to maxWidth with the aspect kept, and encodes at the asked quality', async () => {
    const win = new fake.module.BrowserWindow({})
    const capture = windowCapture(() => asWindow(win))
    const shot = await capture({ maxWidth: 960, quality: 70 })
    expect(shot).toEqual({ jpeg: Buffer.from('jpeg 960x540 q70'), width: 960, height: 540 })
    const frame = win.webContents.captures[0]!
    expect(frame.resizes).toEqual([{ width: 960, quality: 'good' }])
    expect(frame.jpegQuality).toBeNull()
    expect(frame.derived[0]!.jpegQuality).toBe(70)
  })

  it('never upscales: a frame no wider than maxWidth is encoded as it is', async () => {
    const win = new fake.module.BrowserWindow({})
    win.webContents.nextCapture = new FakeNativeImage(768, 192)
    const capture = windowCapture(() => asWindow(win))
    await expect(capture({ maxWidth: 768, quality: 80 })).resolves.toMatchObject({ width: 768, height: 192 })
    await expect(capture({ maxWidth: 1920, quality: 80 })).resolves.toMatchObject({ width: 768, height: 192 })
    expect(win.webContents.captures.every((image) => image.resizes.length === 0)).toBe(true)
  })

  it('reads the window at capture time, so a recreated window is the one captured', async () => {
    let current = new fake.module.BrowserWindow({})
    const capture = windowCapture(() => asWindow(current))
    current.close()
    current = new fake.module.BrowserWindow({})
    current.webContents.nextCapture = new FakeNativeImage(1280, 720)
    await expect(capture({ maxWidth: 640, quality: 60 })).resolves.toMatchObject({ width: 640, height: 360 })
  })

  it('refuses clearly when there is no window, it is closed, or it has no painted frame', async () => {
    await expect(windowCapture(() => null)({ maxWidth: 960, quality: 80 })).rejects.toThrow('no screen to capture: the kiosk window is not open')
    const win = new fake.module.BrowserWindow({})
    win.webContents.nextCapture = new FakeNativeImage(0, 0)
    const capture = windowCapture(() => asWindow(win))
    await expect(capture({ maxWidth: 960, quality: 80 })).rejects.toThrow('no screen to capture: the window has no painted frame')
    win.close()
    await expect(capture({ maxWidth: 960, quality: 80 })).rejects.toThrow('no screen to capture: the kiosk window is not open')
  })

  it('passes on a failed capture, and gives up on one that never answers', async () => {
    const win = new fake.module.BrowserWindow({})
    win.webContents.nextCapture = new Error('GPU process gone')
    await expect(windowCapture(() => asWindow(win))({ maxWidth: 960, quality: 80 })).rejects.toThrow('GPU process gone')
    win.webContents.capturePage = () => new Promise<FakeNativeImage>(() => undefined)
    await expect(windowCapture(() => asWindow(win), 50)({ maxWidth: 960, quality: 80 })).rejects.toThrow('capturePage: no answer within 50 ms')
  })

  it('refuses bad options', async () => {
    const win = new fake.module.BrowserWindow({})
    const capture = windowCapture(() => asWindow(win))
    await expect(capture({ maxWidth: 0, quality: 80 })).rejects.toThrow('maxWidth must be a positive integer')
    await expect(capture({ maxWidth: 960, quality: 0 })).rejects.toThrow('quality must be an integer from 1 to 100')
    expect(win.webContents.captures).toEqual([])
  })
})
