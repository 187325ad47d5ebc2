// Chromium's process tree read from the real /proc, with real child processes standing in for
// Chromium's: a tree of them, renderers by their flags (as exec'd, and retitled), and their memory.
import { spawn, type ChildProcess } from 'node:child_process'
import { afterEach, describe, expect, it } from 'vitest'
import { descendantsOf, pageRenderersOf, parseStat, treeMemoryMb } from '../../../main/browser/process-tree'

const onLinux = process.platform === 'linux'
/**
 * Keeps a helper process alive until its parent is gone (its stdin, a pipe from the parent, then ends),
 * so no failed test leaves one behind. Every helper is started with stdin a pipe.
 */
const STAY = "process.stdin.on('data', () => {}); process.stdin.on('close', () => process.exit())"

describe.runIf(onLinux)('process tree (/proc)', () => {
  const children: ChildProcess[] = []
  afterEach(() => {
    for (const child of children.splice(0)) child.kill('SIGKILL')
  })

  /** A Node child that prints "up" once it runs `code`, so the test never guesses how long a start takes. */
  async function node(code: string, args: string[] = []): Promise<ChildProcess> {
    const child = spawn(process.execPath, ['-e', `${code}; process.stdout.write('up\\n'); ${STAY}`, ...args], {
      stdio: ['pipe', 'pipe', 'inherit']
    })
    children.push(child)
    await new Promise<void>((resolve, reject) => {
      child.stdout!.once('data', () => resolve())
      child.once('exit', (code) => reject(new Error(`child exited with ${code}`)))
    })
    return child
  }

  it('reads pid and parent from a stat line, even with spaces and parentheses in the name', () => {
    expect(parseStat('4242 (chromium) S 17 4242 4242 0 -1 4194560 ...')).toEqual({ pid: 4242, ppid: 17 })
    expect(parseStat('4243 (Web Content) (x)) R 4242 1 1 0')).toEqual({ pid: 4243, ppid: 4242 })
    expect(parseStat('garbage')).toBeNull()
  })

  it('finds every process below a root, grandchildren too, and not others', async () => {
    // A "browser" that starts two children, one of which starts its own.
    const browser = await node(`
      const { spawn } = require('node:child_process')
      const stay = ${JSON.stringify(STAY)}
      spawn(process.execPath, ['-e', stay], { stdio: ['pipe', 'ignore', 'ignore'] })
      spawn(process.execPath, ['-e', "require('node:child_process').spawn(process.execPath, ['-e', " + JSON.stringify(stay) + "], { stdio: ['pipe', 'ignore', 'ignore'] }); " + stay], { stdio: ['pipe', 'ignore', 'ignore'] })
    `)
    const other = await node('')
    await expect.poll(() => descendantsOf(browser.pid!).then((pids) => pids.length), { timeout: 20_000 }).toBe(3)
    expect(await descendantsOf(browser.pid!)).not.toContain(other.pid)
    expect(await descendantsOf(other.pid!)).toEqual([])
  })

  it('picks the renderers by their flags, as exec’d or retitled, but not extension processes', async () => {
    const browser = await node(
      `
      const { spawn } = require('node:child_process')
      const child = (code, args) => spawn(process.execPath, ['-e', code + '; ' + ${JSON.stringify(STAY)}, '--', ...args], { stdio: ['pipe', 'ignore', 'ignore'] })
      child('', ['--type=renderer', '--renderer-client-id=5'])
      child('', ['--type=renderer', '--extension-process'])
      child('', ['--type=gpu-process'])
      // Chromium rewrites a zygote-forked renderer's command line into one space-separated string.
      child("process.title = 'chromium --type=renderer --renderer-client-id=7'", ['${'x'.repeat(80)}'])
    `
    )
    await expect.poll(() => descendantsOf(browser.pid!).then((pids) => pids.length), { timeout: 20_000 }).toBe(4)
    await expect.poll(() => pageRenderersOf(browser.pid!).then((pids) => pids.length), { timeout: 20_000 }).toBe(2)
  })

  it('sums the memory of a process and its children (at least what they wrote)', async () => {
    const small = await node('')
    const big = await node(`
      globalThis.kept = Buffer.alloc(120 * 1024 * 1024, 7)
      const { spawn } = require('node:child_process')
      spawn(process.execPath, ['-e', 'globalThis.kept = Buffer.alloc(60 * 1024 * 1024, 7); ' + ${JSON.stringify(STAY)}], { stdio: ['pipe', 'ignore', 'ignore'] })
    `)
    await expect.poll(() => treeMemoryMb(big.pid!), { timeout: 20_000 }).toBeGreaterThan(180)
    expect(await treeMemoryMb(small.pid!)).toBeLessThan(120)
    expect(await treeMemoryMb(2 ** 22 + 12345)).toBeNull()
  })
})
