// Emergency latency: from the reference server emitting emergency:start to the first painted frame of
// the notice in Chromium (the time the screen reports for its acknowledgement), over many pushes.
import { spawn } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { chromium } from 'playwright-core'
import { launchUrlOf } from '../e2e/fixtures/browser-shell'
import { TEST_CHROMIUM_FLAGS } from '../e2e/fixtures/chromium-flags'
import { findChromium } from '../main/browser/chromium'
import { startReferenceServer } from '../server/reference-server'
import { generateSigningKey } from '../main/core/protocol/signing'
import { percentile, type BenchRow } from './report'
import { waitFor } from './wait'

const SHELL = join(__dirname, '..', 'out', 'main', 'browser.js')

export async function emergencyBench(options: { pushes: number }): Promise<BenchRow[]> {
  const work = await mkdtemp(join(tmpdir(), 'bangtin-bench-emergency-'))
  const server = await startReferenceServer({ port: 0, signingKey: { keyId: 'bench', privateKeyPem: generateSigningKey().privateKeyPem } })
  const { deviceId, token } = server.addDevice('bench-board', 'token-bench-board-0123456789')
  server.publish(
    {
      schema: 'bangtin.manifest/v1',
      version: 'v1',
      playlists: [{ id: 'p', name: 'p', items: [{ id: 't', kind: 'text', body: 'Bản tin thường', durationSec: 600 }] }],
      assets: []
    },
    new Map()
  )
  await writeFile(join(work, 'config.json'), JSON.stringify({ serverUrl: server.url, allowInsecureHttp: true, deviceId, token, trustedKeys: [{ keyId: 'bench', publicKey: server.publicKeyPem! }] }), { mode: 0o600 })
  const shell = spawn(process.execPath, [SHELL, '--no-browser', '--data-dir', work], { stdio: ['ignore', 'pipe', 'ignore'] })
  const browser = await chromium.launch({
    executablePath: findChromium() ?? undefined,
    args: TEST_CHROMIUM_FLAGS
  })
  const latencies: number[] = []
  try {
    await new Promise<void>((resolve, reject) => {
      createInterface({ input: shell.stdout! }).on('line', (line) => {
        if (line.startsWith('BANGTIN_SCREEN_URL ')) resolve()
      })
      shell.once('exit', () => reject(new Error('browser shell exited')))
    })
    // The screen URL on stdout carries no secret: the one-time launch URL is in the data dir.
    const url = launchUrlOf(work)
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } })
    await page.goto(url)
    await page.getByText('Bản tin thường').first().waitFor()
    await waitFor(() => server.connectedDevices().includes(deviceId))
    for (let i = 0; i < options.pushes; i++) {
      const acksBefore = server.acks.length
      const sentAt = Date.now()
      const emergency = server.emergency({ title: `Cảnh báo ${i + 1}`, body: 'Sơ tán khỏi vùng trũng thấp.', ttlSec: 300 }) as { id: string }
      await waitFor(() => server.acks.slice(acksBefore).some((a) => (a.ack as { id: string; kind: string }).id === emergency.id))
      const ack = server.acks.slice(acksBefore).find((a) => (a.ack as { id: string }).id === emergency.id)!.ack as { at: string }
      latencies.push(Date.parse(ack.at) - sentAt)
      server.clearEmergency(emergency.id)
      await page.getByTestId('emergency').waitFor({ state: 'hidden' })
    }
  } finally {
    await browser.close()
    shell.kill('SIGTERM')
    await new Promise((r) => shell.once('exit', r))
    await server.close()
    await rm(work, { recursive: true, force: true })
  }
  const p50 = percentile(latencies, 50)
  const p99 = percentile(latencies, 99)
  return [
    { section: 'emergency', name: `push → first painted frame, p50 (${latencies.length} pushes)`, value: p50, unit: 'ms', target: null, ok: null },
    { section: 'emergency', name: `push → first painted frame, p99 (${latencies.length} pushes)`, value: p99, unit: 'ms', target: '≤ 100 ms (250 ms at most)', ok: p99 <= 100 },
    { section: 'emergency', name: 'push → first painted frame, max', value: Math.max(...latencies), unit: 'ms', target: '≤ 250 ms', ok: Math.max(...latencies) <= 250 }
  ]
}
