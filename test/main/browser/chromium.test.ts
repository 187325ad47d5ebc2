// The Chromium supervisor against real child processes (a tiny script stands in for Chromium so the
// test controls when it dies).
import { chmod, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import * as product from '../../../main/browser/chromium'
import { ChromiumSupervisor, chromiumArgs, findChromium } from '../../../main/browser/chromium'
import { memoryLogger } from '../../../main/core/log'
import { useTempDirs } from '../../helpers/temp-dir'

const options = { executablePath: '/bin/true', url: 'http://127.0.0.1:1/?launch=c', userDataDir: '/tmp/p', headless: false, extraArgs: ['--x'] }
/** The supervisor's options: a fresh launch URL each start. */
const supervised = { ...options, screenOrigin: 'http://127.0.0.1:1', launchUrl: () => options.url }

describe('findChromium', () => {
  const tempDir = useTempDirs()

  it('prefers CHROMIUM_PATH, else searches PATH, else null', async () => {
    const dir = await tempDir()
    const fake = join(dir, 'chromium')
    await writeFile(fake, '#!/bin/sh\n')
    await chmod(fake, 0o755)
    expect(findChromium({ CHROMIUM_PATH: '/opt/c', PATH: dir })).toBe('/opt/c')
    expect(findChromium({ PATH: `/nonexistent:${dir}` })).toBe(fake)
    expect(findChromium({ PATH: '/nonexistent' })).toBeNull()
  })
})

describe('chromiumArgs', () => {
  it('opens the screen as a kiosk app with no dialogs, and the extra flags last but before the URL', () => {
    const args = chromiumArgs(options, false)
    expect(args).toContain('--kiosk')
    expect(args).toContain('--autoplay-policy=no-user-gesture-required')
    expect(args).toContain('--disable-background-networking')
    expect(args).not.toContain('--no-sandbox')
    // DevTools only over the pipe (screenshots), never on a TCP port unless a test adds one.
    expect(args).toContain('--remote-debugging-pipe')
    expect(args.some((arg) => arg.startsWith('--remote-debugging-port'))).toBe(false)
    expect(args.at(-1)).toBe(`--app=${options.url}`)
    expect(args.at(-2)).toBe('--x')
  })

  it('adds --no-sandbox only as root, and takes the plain URL when headless', () => {
    expect(chromiumArgs(options, true)).toContain('--no-sandbox')
    const headless = chromiumArgs({ ...options, headless: true }, false)
    expect(headless).toContain('--headless=new')
    expect(headless).not.toContain('--kiosk')
    expect(headless.at(-1)).toBe(options.url)
  })
})

describe('test-only Chromium flags', () => {
  /** What tests add for a GPU-less, sandbox-less box (e2e/fixtures/chromium-flags.ts); a board never needs them by default. */
  const TEST_ONLY = ['--disable-gpu', '--no-sandbox']

  it('are nowhere in the product module: no exported flag list holds them', () => {
    const lists = Object.entries(product).filter(([, value]) => Array.isArray(value) && value.some((flag) => TEST_ONLY.includes(flag as string)))
    expect(lists.map(([name]) => name)).toEqual([])
  })

  it('are not among the flags a board starts Chromium with (not as root)', () => {
    for (const headless of [false, true]) {
      const args = chromiumArgs({ ...options, headless, extraArgs: [] }, false)
      expect(args.filter((flag) => TEST_ONLY.includes(flag))).toEqual([])
    }
  })
})

describe('ChromiumSupervisor', () => {
  const tempDir = useTempDirs()
  let supervisor: ChromiumSupervisor | undefined
  afterEach(async () => supervisor?.stop())

  async function script(body: string): Promise<string> {
    const path = join(await tempDir(), 'fake-chromium.sh')
    await writeFile(path, `#!/bin/sh\n${body}\n`)
    await chmod(path, 0o755)
    return path
  }

  it('restarts a browser that keeps dying, with growing delays', async () => {
    const log = memoryLogger()
    supervisor = new ChromiumSupervisor({ ...supervised, executablePath: await script('exit 3') }, log)
    supervisor.start()
    await expect.poll(() => supervisor!.starts, { timeout: 5000 }).toBeGreaterThanOrEqual(3)
    const delays = log.records.filter((r) => r.message === 'chromium exited; restarting').map((r) => r.fields?.restartInMs)
    expect(delays.slice(0, 2)).toEqual([500, 1000])
    expect(log.records.find((r) => r.message === 'chromium exited; restarting')?.fields?.code).toBe(3)
  })

  it('stops a running browser and does not restart it', async () => {
    const log = memoryLogger()
    supervisor = new ChromiumSupervisor({ ...supervised, executablePath: await script('exec sleep 30') }, log)
    supervisor.start()
    await expect.poll(() => log.records.some((r) => r.message === 'chromium started')).toBe(true)
    const pid = supervisor.pid!
    await supervisor.stop()
    expect(() => process.kill(pid, 0)).toThrow()
    await new Promise((r) => setTimeout(r, 700))
    expect(supervisor.starts).toBe(1)
  })
})
