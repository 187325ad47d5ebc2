// Screenshots: from the server's "screenshot" command to the JPEG stored on the server (capture over
// CDP in the shell's own headless Chromium at 1920×1080, downscale to 960 px, outbox, upload), and size.
import { spawn } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { startReferenceServer } from '../server/reference-server'
import { generateSigningKey } from '../main/core/protocol/signing'
import { percentile, type BenchRow } from './report'
import { waitFor } from './wait'

const ROOT = join(__dirname, '..')
const SHELL = join(ROOT, 'out', 'main', 'browser.js')

export async function screenshotBench(options: { shots: number }): Promise<BenchRow[]> {
  const work = await mkdtemp(join(tmpdir(), 'bangtin-bench-shot-'))
  const server = await startReferenceServer({ port: 0, signingKey: { keyId: 'bench', privateKeyPem: generateSigningKey().privateKeyPem } })
  const { deviceId, token } = server.addDevice('bench-shot', 'token-bench-shot-0123456789')
  await server.publishFolder(join(ROOT, 'assets', 'demo'))
  await writeFile(join(work, 'config.json'), JSON.stringify({ serverUrl: server.url, allowInsecureHttp: true, deviceId, token, screenshotIntervalSec: 0, trustedKeys: [{ keyId: 'bench', publicKey: server.publicKeyPem! }] }), { mode: 0o600 })
  // A 1167-px window gives a 1920×1080 page in headless Chromium (the rest is the window frame).
  const shell = spawn(process.execPath, [SHELL, '--headless', '--chromium-arg=--disable-gpu', '--chromium-arg=--window-size=1920,1167', '--data-dir', work], {
    stdio: ['ignore', 'ignore', 'pipe']
  })
  let ready = false
  createInterface({ input: shell.stderr! }).on('line', (line) => {
    if (line.includes('"message":"screen ready"')) ready = true
  })
  const latencies: number[] = []
  const sizes: number[] = []
  let width = 0
  try {
    await waitFor(() => ready && server.connectedDevices().includes(deviceId), 30_000)
    // Let the first content arrive and the rotation start.
    await new Promise((r) => setTimeout(r, 3000))
    for (let i = 0; i < options.shots; i++) {
      const sentAt = performance.now()
      const command = server.command('screenshot')
      await waitFor(() => [...server.uploads.values()].some((u) => u.meta.kind === 'screenshot' && u.meta.commandId === command.id), 30_000)
      latencies.push(performance.now() - sentAt)
      const upload = [...server.uploads.values()].find((u) => u.meta.commandId === command.id)!
      sizes.push(upload.bytes.length)
      if (upload.meta.kind === 'screenshot') width = upload.meta.width
      await new Promise((r) => setTimeout(r, 700))
    }
  } finally {
    shell.kill('SIGTERM')
    await new Promise((r) => shell.once('exit', r))
    await server.close()
    await rm(work, { recursive: true, force: true })
  }
  const p95 = percentile(latencies, 95)
  const biggest = Math.max(...sizes)
  return [
    { section: 'screenshot', name: `command → JPEG stored on the server, p50 (${latencies.length} shots)`, value: percentile(latencies, 50), unit: 'ms', target: null, ok: null },
    { section: 'screenshot', name: 'command → JPEG stored on the server, p95', value: p95, unit: 'ms', target: '≤ 1000 ms', ok: p95 <= 1000 },
    { section: 'screenshot', name: `JPEG size at ${width} px wide, median`, value: percentile(sizes, 50) / 1024, unit: 'KiB', target: null, ok: null },
    { section: 'screenshot', name: 'JPEG size, largest', value: biggest / 1024, unit: 'KiB', target: '≤ 250 KiB (a 3G link)', ok: biggest <= 250 * 1024 }
  ]
}
