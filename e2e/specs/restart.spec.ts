// "Restart player" from the district centre: the browser shell answers, stops cleanly and comes back
// as a new process with the same command line, which connects to the source system again.
import { expect, test } from '../fixtures/test'

test('a restart command is acknowledged, then the shell comes back as a new process and reconnects', async ({ rig }) => {
  const { server, shell, deviceId } = await rig.pairedBoard('bang-khoi-dong-lai', {
    schema: 'bangtin.manifest/v1',
    version: 'v1',
    playlists: [{ id: 'p', name: 'p', items: [{ id: 't', kind: 'text', body: 'Tin', durationSec: 30 }] }],
    assets: []
  })
  await expect.poll(() => server.connectedDevices(), { timeout: 20_000 }).toContain(deviceId)
  const before = server.stats.manifestRequests
  const command = server.command('restart')
  await expect
    .poll(() => server.acks.map((a) => a.ack as { id: string; ok?: boolean; detail?: string }).find((a) => a.id === command.id))
    .toMatchObject({ ok: true, detail: expect.stringMatching(/restarting/) })
  await shell.waitForLog((r) => r.message === 'stopping' && r.reason === 'restart command')
  await expect.poll(() => shell.process.exitCode, { timeout: 20_000 }).toBe(0)
  // The new process logs on the same stderr, with another pid, and syncs again.
  const started = () => shell.log.filter((r) => r.message === 'browser shell started')
  await expect.poll(() => started().length, { timeout: 20_000 }).toBe(2)
  expect(started()[1]!.pid).not.toBe(started()[0]!.pid)
  await expect.poll(() => server.stats.manifestRequests, { timeout: 20_000 }).toBeGreaterThan(before)
  await expect.poll(() => server.connectedDevices(), { timeout: 20_000 }).toContain(deviceId)
})
