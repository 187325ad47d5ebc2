// The supervisor's recovery tools against real child processes: a stand-in browser speaking the CDP
// pipe with a real renderer child process, and a memory-hungry stand-in for the memory ceiling.
import { chmod, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { ChromiumSupervisor } from '../../../main/browser/chromium'
import { watchMemory } from '../../../main/browser/memory-watch'
import { memoryLogger } from '../../../main/core/log'
import { useTempDirs } from '../../helpers/temp-dir'

const SCREEN_URL = 'http://127.0.0.1:4321/?launch=t'
const SCREEN = { screenOrigin: 'http://127.0.0.1:4321', launchUrl: () => SCREEN_URL }

/**
 * A browser with one page on the screen's origin and one elsewhere, and one renderer process. It reports
 * the other page crashed at once, and the screen's page crashed when its renderer process ends; it writes
 * every method it is sent to methods.log in its user data dir.
 */
const FAKE_BROWSER = String.raw`
const net = require('node:net')
const fs = require('node:fs')
const { spawn } = require('node:child_process')
const dataDir = process.argv.find((a) => a.startsWith('--user-data-dir=')).slice('--user-data-dir='.length)
const url = process.argv.find((a) => a.startsWith('--app=')).slice('--app='.length)
const input = new net.Socket({ fd: 3, readable: true, writable: false })
const out = new net.Socket({ fd: 4, readable: false, writable: true })
const send = (message) => out.write(JSON.stringify(message) + '\0')
// Ends with its parent (the stdin pipe closes), like a renderer whose browser is gone.
const renderer = spawn(process.execPath, ['-e', "process.stdin.on('data', () => {}); process.stdin.on('close', () => process.exit())", '--', '--type=renderer'], { stdio: ['pipe', 'ignore', 'ignore'] })
fs.writeFileSync(dataDir + '/renderer.pid', String(renderer.pid))
renderer.on('exit', () => send({ method: 'Target.targetCrashed', params: { targetId: 'SCREEN', status: 'killed', errorCode: 9 } }))
let buffer = ''
input.on('data', (chunk) => {
  buffer += chunk.toString('utf8')
  let end
  while ((end = buffer.indexOf('\0')) !== -1) {
    const { id, method } = JSON.parse(buffer.slice(0, end))
    buffer = buffer.slice(end + 1)
    fs.appendFileSync(dataDir + '/methods.log', method + '\n')
    if (method === 'Target.setDiscoverTargets') {
      send({ id, result: {} })
      send({ method: 'Target.targetCreated', params: { targetInfo: { targetId: 'SCREEN', type: 'page', url } } })
      send({ method: 'Target.targetCreated', params: { targetInfo: { targetId: 'OTHER', type: 'page', url: 'http://127.0.0.1:9/' } } })
      send({ method: 'Target.targetCrashed', params: { targetId: 'OTHER', status: 'crashed', errorCode: 1 } })
    } else if (method === 'Target.getTargets') send({ id, result: { targetInfos: [{ targetId: 'SCREEN', type: 'page', url }] } })
    else if (method === 'Target.attachToTarget') send({ id, result: { sessionId: 'S1' } })
    else send({ id, result: {} })
  }
})
`

/**
 * A browser whose screen page lands on the server's refusal (its launch code was used first), twice, and
 * a page of another origin that does too; it holds one cookie for 127.0.0.1.
 */
const REFUSED_BROWSER = String.raw`
const net = require('node:net')
const url = process.argv.find((a) => a.startsWith('--app=')).slice('--app='.length)
const input = new net.Socket({ fd: 3, readable: true, writable: false })
const out = new net.Socket({ fd: 4, readable: false, writable: true })
const send = (message) => out.write(JSON.stringify(message) + '\0')
let buffer = ''
input.on('data', (chunk) => {
  buffer += chunk.toString('utf8')
  let end
  while ((end = buffer.indexOf('\0')) !== -1) {
    const { id, method } = JSON.parse(buffer.slice(0, end))
    buffer = buffer.slice(end + 1)
    if (method === 'Target.setDiscoverTargets') {
      send({ id, result: {} })
      const refused = new URL('/launch-refused', url).href
      send({ method: 'Target.targetCreated', params: { targetInfo: { targetId: 'OTHER', type: 'page', url: 'http://127.0.0.1:9/launch-refused' } } })
      send({ method: 'Target.targetCreated', params: { targetInfo: { targetId: 'SCREEN', type: 'page', url } } })
      send({ method: 'Target.targetInfoChanged', params: { targetInfo: { targetId: 'SCREEN', type: 'page', url: refused } } })
      send({ method: 'Target.targetInfoChanged', params: { targetInfo: { targetId: 'SCREEN', type: 'page', url: refused } } })
    } else if (method === 'Storage.getCookies') {
      send({ id, result: { cookies: [{ name: 'bangtin-screen-4321', value: 'chromium-s', domain: '127.0.0.1' }, { name: 'bangtin-screen-4321', value: 'elsewhere', domain: 'example.org' }] } })
    } else send({ id, result: {} })
  }
})
`

describe('ChromiumSupervisor recovery', () => {
  const tempDir = useTempDirs()
  let supervisor: ChromiumSupervisor | undefined
  afterEach(async () => supervisor?.stop())

  async function executable(name: string, body: string): Promise<string> {
    const dir = await tempDir()
    const path = join(dir, name)
    await writeFile(path, body)
    await chmod(path, 0o755)
    return path
  }

  it('passes on a crash of the screen’s page only; a reload ends its renderer, waits for the crash, then reloads', async () => {
    const script = await executable('fake-browser.cjs', FAKE_BROWSER)
    const launcher = await executable('chromium', `#!/bin/sh\nexec "${process.execPath}" "${script}" "$@"\n`)
    const userDataDir = await tempDir()
    const log = memoryLogger()
    const gone: unknown[] = []
    supervisor = new ChromiumSupervisor({ executablePath: launcher, ...SCREEN, userDataDir, headless: false, extraArgs: [] }, log, {
      screenGone: (detail) => void gone.push(detail)
    })
    supervisor.start()
    const methods = () => readFile(join(userDataDir, 'methods.log'), 'utf8').catch(() => '')
    await expect.poll(methods, { timeout: 20_000 }).toContain('Target.setDiscoverTargets')
    const rendererPid = Number(await readFile(join(userDataDir, 'renderer.pid'), 'utf8'))
    // The other page's crash was sent right after the answer; a round trip later it has been read.
    await supervisor.reloadScreen(true)
    expect(() => process.kill(rendererPid, 0)).toThrow() // ended
    expect(gone).toEqual([{ status: 'killed', errorCode: 9 }])
    expect((await methods()).split('\n').slice(1, -1)).toEqual(['Target.getTargets', 'Target.attachToTarget', 'Page.reload', 'Target.detachFromTarget'])
    expect(log.records.map((r) => r.message)).toEqual(
      expect.arrayContaining(['ended the screen renderer processes', 'screen renderer gone', 'screen reloaded'])
    )
    // The crash report came before the reload: the reload waited for it.
    const messages = log.records.map((r) => r.message)
    expect(messages.indexOf('screen renderer gone')).toBeLessThan(messages.indexOf('screen reloaded'))
  })

  it('tells once that the screen was refused (its launch code taken), and which session cookie it holds', async () => {
    const script = await executable('refused-browser.cjs', REFUSED_BROWSER)
    const launcher = await executable('chromium', `#!/bin/sh\nexec "${process.execPath}" "${script}" "$@"\n`)
    let refusals = 0
    supervisor = new ChromiumSupervisor({ executablePath: launcher, ...SCREEN, userDataDir: await tempDir(), headless: false, extraArgs: [] }, memoryLogger(), {
      launchRefused: () => void refusals++
    })
    supervisor.start()
    await expect.poll(() => refusals, { timeout: 20_000 }).toBe(1)
    const cookie = { name: 'bangtin-screen-4321', value: 'chromium-s' }
    expect(await supervisor.holdsCookie(cookie)).toBe(true)
    expect(await supervisor.holdsCookie({ ...cookie, value: 'taken-by-another' })).toBe(false)
    expect(await supervisor.holdsCookie({ ...cookie, value: 'elsewhere' })).toBe(false)
    // Both events were read before this answer came: still one refusal told.
    expect(refusals).toBe(1)
  })

  it('a reload without a running Chromium fails at once, so the caller restarts it', async () => {
    supervisor = new ChromiumSupervisor({ executablePath: '/bin/true', ...SCREEN, userDataDir: await tempDir(), headless: false, extraArgs: [] }, memoryLogger())
    await expect(supervisor.reloadScreen(true)).rejects.toThrow('Chromium is not running')
    expect(await supervisor.memoryMb()).toBeNull()
  })

  it('restarts a Chromium that stays above the memory ceiling', async () => {
    const hungry = `globalThis.kept = Buffer.alloc(150 * 1024 * 1024, 7); setInterval(() => {}, 1000)`
    const launcher = await executable('chromium', `#!/bin/sh\nexec "${process.execPath}" -e "${hungry}"\n`)
    const log = memoryLogger()
    supervisor = new ChromiumSupervisor({ executablePath: launcher, ...SCREEN, userDataDir: await tempDir(), headless: true, extraArgs: [] }, log)
    supervisor.start()
    const stop = watchMemory({
      ceilingMb: 60,
      everyMs: 20,
      memoryMb: () => supervisor!.memoryMb(),
      displayOn: () => true,
      restart: (reason) => supervisor!.restart(reason),
      log
    })
    try {
      await expect.poll(() => supervisor!.starts, { timeout: 20_000 }).toBe(2)
    } finally {
      stop()
    }
    const restart = log.records.find((r) => r.message === 'chromium memory above the ceiling; restarting it')
    expect(restart?.fields?.ceilingMb).toBe(60)
    expect(restart?.fields?.memoryMb).toBeGreaterThan(90) // more than 1.5× the ceiling: no waiting for the display to go off
    expect(log.records.find((r) => r.message === 'restarting Chromium')?.fields?.reason).toMatch(/^memory \d+ MB above 60 MB$/)
  })
})
