// Crash test of the proof-of-play journal: a child appends and uploads plays to a real HTTP server on
// 127.0.0.1 and is SIGKILLed at random moments, again and again; no play it called durable may be lost.
import { type ChildProcess, spawn } from 'node:child_process'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { build } from 'esbuild'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PlayBatch } from '../../../../main/core/protocol/plays'
import { useTempDirs } from '../../../helpers/temp-dir'
import { seededRandom } from '../../../helpers/seeded-random'

const CHILD = join(__dirname, 'fixtures', 'journal-crash-child.ts')
const KILLS = 50
/** Kill this long after the child says it is ready: from "before the first append" to "mid-stream". */
const MAX_KILL_DELAY_MS = 150
const SEED = Number(process.env.JOURNAL_CRASH_SEED ?? Date.now() % 1_000_000)


/** The fake source system: stores every received record by id; now and then fails or "loses" its answer. */
function startServer(rand: () => number): Promise<{ server: Server; url: string; received: Map<string, string[]>; posts: { ok: number; failed: number } }> {
  const received = new Map<string, string[]>()
  const posts = { ok: 0, failed: 0 }
  const server = createServer((request, response) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      const batch = PlayBatch.parse(JSON.parse(Buffer.concat(chunks).toString('utf8')))
      const roll = rand()
      // 10%: refused before storing; 10%: stored, but the answer says otherwise (so the board re-sends).
      if (roll < 0.1) {
        posts.failed++
        response.writeHead(503).end()
        return
      }
      for (const entry of batch.entries) {
        const copies = received.get(entry.id) ?? []
        copies.push(JSON.stringify(entry))
        received.set(entry.id, copies)
      }
      if (roll < 0.2) {
        posts.failed++
        response.writeHead(500).end()
        return
      }
      posts.ok++
      setTimeout(() => response.writeHead(204).end(), Math.floor(rand() * 3))
    })
  })
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo
      resolve({ server, url: `http://127.0.0.1:${port}/reports`, received, posts })
    })
  )
}

const live = new Set<ChildProcess>()

/** Runs the child; kills it `killAfterMs` after READY (null: lets it finish). Collects the ids it printed. */
function runChild(script: string, args: string[], killAfterMs: number | null, appended: Set<string>): Promise<{ code: number | null; signal: string | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
    live.add(child)
    let buffered = ''
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (data: Buffer) => {
      buffered += data.toString()
      const lines = buffered.split('\n')
      buffered = lines.pop() ?? ''
      for (const line of lines) {
        if (line.startsWith('A ')) appended.add(line.slice(2))
        else stdout += `${line}\n`
        if (line === 'READY' && killAfterMs !== null) setTimeout(() => child.kill('SIGKILL'), killAfterMs)
      }
    })
    child.stderr.on('data', (data: Buffer) => (stderr += data.toString()))
    child.on('error', reject)
    child.on('close', (code, signal) => {
      live.delete(child)
      resolve({ code, signal, output: `${stdout}${buffered}\n${stderr}` })
    })
  })
}

describe('proof-of-play journal under SIGKILL', () => {
  const tempDir = useTempDirs()
  let script = ''
  let buildDir = ''

  beforeAll(async () => {
    // Bundled once to plain JS: a tsx start costs ~0.6 s on two cores, which 50 restarts cannot afford.
    buildDir = await tempDir()
    script = join(buildDir, 'child.mjs')
    await build({ entryPoints: [CHILD], bundle: true, platform: 'node', format: 'esm', target: 'node20', outfile: script, logLevel: 'silent' })
  })
  afterAll(() => {
    for (const child of live) child.kill('SIGKILL')
  })

  it(`loses no durable play across ${KILLS} kills (seed ${SEED})`, async () => {
    const rand = seededRandom(SEED)
    const { server, url, received, posts } = await startServer(seededRandom(SEED + 1))
    const dir = await tempDir()
    const appended = new Set<string>()
    const started = Date.now()
    try {
      let kills = 0
      for (let run = 0; kills < KILLS && run < KILLS * 2; run++) {
        const result = await runChild(script, [dir, url, 'run', String(Math.floor(rand() * 1e9))], Math.floor(rand() * MAX_KILL_DELAY_MS), appended)
        if (result.signal === 'SIGKILL') kills++
        else throw new Error(`child ended without being killed (code ${result.code}): ${result.output}`)
      }
      const drain = await runChild(script, [dir, url, 'drain', '7'], null, appended)
      expect(drain.output).toContain('DRAINED')

      const lost = [...appended].filter((id) => !received.has(id))
      let duplicates = 0
      for (const [id, copies] of received) {
        duplicates += copies.length - 1
        // A re-send carries the same record under the same id, never a different play.
        expect(new Set(copies).size, `copies of ${id} differ`).toBe(1)
      }
      const summary = {
        seed: SEED,
        kills,
        appended: appended.size,
        deliveredUnique: received.size,
        duplicates,
        postsOk: posts.ok,
        postsFailed: posts.failed,
        seconds: (Date.now() - started) / 1000
      }
      console.log('journal crash test', summary)
      expect(kills).toBe(KILLS)
      expect(appended.size).toBeGreaterThan(KILLS)
      expect(lost).toEqual([])
    } finally {
      await new Promise((resolve) => server.close(resolve))
    }
  }, 90_000)
})
