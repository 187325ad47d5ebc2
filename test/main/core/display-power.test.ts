// The display power hook at boot and after: real shell commands (appending to a file) run by a real
// player, so what is checked is what a display would have been told, in order.
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { DisplayPower } from '../../../main/core/display-power'
import { memoryLogger } from '../../../main/core/log'
import { assemblePlayer, type PlayerParts } from '../../../main/core/start-player'
import { useTempDirs } from '../../helpers/temp-dir'

const DEMO = join(__dirname, '../../../assets/demo')
const ZONE = 'Asia/Ho_Chi_Minh'

/** "HH:MM" this many hours from now in the board's time zone. */
function hoursFromNow(plusHours: number): string {
  const [hour, minute] = new Intl.DateTimeFormat('en-GB', { timeZone: ZONE, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
    .format(new Date())
    .split(':')
    .map(Number)
  return `${String((hour! + plusHours + 24) % 24).padStart(2, '0')}:${String(minute).padStart(2, '0')}`
}
/** On from two hours from now until three hours from now: off at this moment. */
const OFF_NOW = () => ({ on: hoursFromNow(2), off: hoursFromNow(3) })
/** On from an hour ago until in an hour: on at this moment. */
const ON_NOW = () => ({ on: hoursFromNow(-1), off: hoursFromNow(1) })

/** A loopback port nothing listens on: the board is offline and plays what it stored. */
async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise((resolve) => server.close(resolve))
  return port
}

const manifestWith = (displayHours: { on: string; off: string }) => ({
  schema: 'bangtin.manifest/v1',
  version: 'hours-1',
  displayHours,
  playlists: [{ id: 'p', name: 'Chính', items: [{ id: 't', kind: 'text', title: 'Thông báo', body: 'Nội dung', durationSec: 30 }] }],
  assets: []
})

describe('display power at boot', () => {
  const tempDir = useTempDirs()
  const players: PlayerParts[] = []
  afterEach(async () => {
    for (const player of players.splice(0)) await player.stop()
  })

  /** A data dir whose config runs commands that append "on"/"off" to a file; returns that file. */
  async function board(config: object): Promise<{ dataDir: string; calls: string }> {
    const dataDir = await tempDir()
    const calls = join(dataDir, 'display-calls.txt')
    await writeFile(
      join(dataDir, 'config.json'),
      JSON.stringify({ ...config, displayOnCommand: `echo on >> '${calls}'`, displayOffCommand: `echo off >> '${calls}'` }),
      { mode: 0o600 }
    )
    return { dataDir, calls }
  }

  const start = async (dataDir: string, bundledContentDir = DEMO): Promise<PlayerParts> => {
    const player = await assemblePlayer({ dataDir, bundledContentDir, mediaUrl: (sha) => `/media/${sha}`, log: memoryLogger() })
    players.push(player)
    return player
  }
  const callsIn = (file: string) => readFile(file, 'utf8').catch(() => '')

  it('a board booting off-hours with its stored manifest runs only the off command, once', async () => {
    const { dataDir, calls } = await board({
      serverUrl: `http://127.0.0.1:${await closedPort()}`,
      allowInsecureHttp: true,
      deviceId: 'bang-tin-01',
      token: 'token-bang-tin-01-0123456789'
    })
    await mkdir(join(dataDir, 'state'), { recursive: true })
    await writeFile(join(dataDir, 'state', 'active-manifest.json'), JSON.stringify({ manifest: manifestWith(OFF_NOW()), savedAt: new Date().toISOString() }))
    const player = await start(dataDir)
    expect(player.host.currentView.displayOn).toBe(false)
    // Commands run one at a time in order: once "off" is there, any "on" asked before it has run too.
    await expect.poll(() => callsIn(calls), { timeout: 20_000 }).toContain('off')
    expect(await callsIn(calls)).toBe('off\n')
  })

  it('a standalone board booting off-hours runs only the off command, once', async () => {
    const { dataDir, calls } = await board({ displayHours: OFF_NOW() })
    await start(dataDir)
    await expect.poll(() => callsIn(calls), { timeout: 20_000 }).toContain('off')
    expect(await callsIn(calls)).toBe('off\n')
  })

  it('a board booting inside its display hours runs only the on command, once', async () => {
    const { dataDir, calls } = await board({ displayHours: ON_NOW() })
    const player = await start(dataDir)
    expect(player.host.currentView.displayOn).toBe(true)
    await expect.poll(() => callsIn(calls), { timeout: 20_000 }).toContain('on')
    // A remote command runs whatever the state; its "off" lands after the boot's "on".
    await new DisplayPower({ off: `echo off >> '${calls}'` }, memoryLogger()).set(false)
    expect(await callsIn(calls)).toBe('on\noff\n')
  })
})

describe('DisplayPower', () => {
  const tempDir = useTempDirs()

  it('follows the schedule only once released, then only on a change; a remote command always runs', async () => {
    const calls = join(await tempDir(), 'calls.txt')
    const power = new DisplayPower({ on: `echo on >> '${calls}'`, off: `echo off >> '${calls}'` }, memoryLogger(), { held: true })
    await power.follow(true)
    await power.follow(false)
    expect(await readFile(calls, 'utf8').catch(() => '')).toBe('')
    await power.release()
    await power.follow(false)
    await power.follow(true)
    await power.follow(true)
    await power.set(true)
    expect(await readFile(calls, 'utf8')).toBe('off\non\non\n')
  })
})
