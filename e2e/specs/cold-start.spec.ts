// What the built browser shell loads before it starts Chromium: only what starting it needs. The schema
// library, the WebSocket server and the core load while Chromium starts, never before (a cold start's
// time goes first to Chromium, the larger part; `npm run bench -- --only=startup` measures the whole).
import { spawn } from 'node:child_process'
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { SHELL_ENTRY } from '../fixtures/browser-shell'
import { expect, test } from '../fixtures/test'

/** Records every module file loaded when the shell first spawns its Chromium (here a stand-in that waits). */
const RECORDER = `
const childProcess = require('node:child_process')
const { writeFileSync } = require('node:fs')
const spawn = childProcess.spawn
childProcess.spawn = function (command, ...rest) {
  if (command === process.env.CHROMIUM_PATH && !process.env.LOADED_RECORDED) {
    process.env.LOADED_RECORDED = '1'
    writeFileSync(process.env.LOADED_FILE, JSON.stringify(Object.keys(require.cache)))
  }
  return spawn.call(this, command, ...rest)
}
`

test('the shell starts Chromium before loading the schemas, the socket server and the core', async () => {
  const work = await mkdtemp(join(tmpdir(), 'bangtin-cold-start-'))
  const chromium = join(work, 'chromium')
  await writeFile(chromium, '#!/bin/sh\nexec sleep 60\n')
  await chmod(chromium, 0o755)
  const recorder = join(work, 'recorder.cjs')
  await writeFile(recorder, RECORDER)
  const loadedFile = join(work, 'loaded.json')
  const shell = spawn(process.execPath, ['--require', recorder, SHELL_ENTRY, '--data-dir', join(work, 'data'), '--headless'], {
    env: { ...process.env, CHROMIUM_PATH: chromium, LOADED_FILE: loadedFile },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  try {
    // The first stdout line comes before the spawn; the record is written at the spawn itself.
    await expect.poll(() => readFile(loadedFile, 'utf8').catch(() => null), { timeout: 30_000 }).not.toBeNull()
    const loaded = (JSON.parse(await readFile(loadedFile, 'utf8')) as string[]).filter((file) => file !== recorder)
    expect(loaded).toContain(SHELL_ENTRY)
    const texts = await Promise.all(loaded.map(async (file) => ({ file, text: await readFile(file, 'utf8') })))
    const carrying = (marker: string): string[] => texts.filter(({ text }) => text.includes(marker)).map(({ file }) => file)
    // Bundled zod leaves its module paths in the chunk that carries it; ws and socket.io load from node_modules.
    expect(carrying('node_modules/zod/'), 'the schema library').toEqual([])
    expect(loaded.filter((file) => /node_modules\/(ws|socket\.io-client|engine\.io-client)\//.test(file)), 'socket libraries').toEqual([])
    expect(loaded.filter((file) => /start-player/.test(file)), 'the core').toEqual([])
  } finally {
    shell.kill('SIGTERM')
    await new Promise((resolve) => (shell.exitCode === null ? shell.once('exit', resolve) : resolve(null)))
    await rm(work, { recursive: true, force: true })
  }
})
