import { cp, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { memoryLogger } from '../../../main/core/log'
import { DEFAULT_BOARD_NAME, assemblePlayer, type PlayerParts } from '../../../main/core/start-player'
import { MemoryScreenLink } from '../../helpers/memory-link'
import { useTempDirs } from '../../helpers/temp-dir'

const DEMO = join(__dirname, '../../../assets/demo')
const mainProgram = (player: PlayerParts) => player.host.currentView.zones.find((z) => z.zone.role === 'main')?.program ?? null

describe('startPlayer (standalone)', () => {
  const tempDir = useTempDirs()
  const players: PlayerParts[] = []
  afterEach(async () => {
    for (const player of players.splice(0)) await player.stop()
  })

  async function start(contentDir = DEMO, dataDir?: string) {
    const log = memoryLogger()
    const player = await assemblePlayer({
      dataDir: dataDir ?? (await tempDir()),
      bundledContentDir: contentDir,
      mediaUrl: (sha) => `/media/${sha}`,
      log
    })
    players.push(player)
    return { player, log }
  }

  it('plays the bundled demo through the verified cache', async () => {
    const { player } = await start()
    const program = mainProgram(player)
    expect(program?.items.map((i) => i.kind)).toEqual(['text', 'image', 'video', 'text'])
    for (const item of program!.items) {
      if (item.kind !== 'image' && item.kind !== 'video') continue
      const sha = item.src.replace('/media/', '')
      expect(player.cache.pathOf(sha)).not.toBeNull()
    }
  })

  it('keeps the display off outside the installer’s display hours when the content sets none', async () => {
    const dataDir = await tempDir()
    const [hour, minute] = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Ho_Chi_Minh', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .format(new Date())
      .split(':')
      .map(Number)
    const at = (plusHours: number) => `${String((hour! + plusHours) % 24).padStart(2, '0')}:${String(minute).padStart(2, '0')}`
    // On from two hours from now until three hours from now: off at this moment.
    await writeFile(join(dataDir, 'config.json'), JSON.stringify({ displayHours: { on: at(2), off: at(3) } }))
    const { player } = await start(DEMO, dataDir)
    expect(player.host.currentView.displayOn).toBe(false)
    await player.stop()
    players.splice(players.indexOf(player), 1)
    await writeFile(join(dataDir, 'config.json'), JSON.stringify({ displayHours: { on: at(23), off: at(1) } }))
    const { player: again } = await start(DEMO, dataDir)
    expect(again.host.currentView.displayOn).toBe(true)
  })

  it('takes the board name from the content unless the config names the board', async () => {
    const { player } = await start()
    const shown: string[] = []
    player.host.attach({
      send: (verb, payload) => verb === 'show' && shown.push((payload as { board: { name: string } }).board.name),
      onMessage: (handler) => handler({ verb: 'ready', payload: { userAgent: 't' } }),
      onClose: () => {}
    })
    expect(shown).toEqual(['Bảng tin điện tử – Bản trình diễn'])
  })

  it('skips an item whose file has the wrong bytes, reporting why', async () => {
    const content = await tempDir()
    await cp(DEMO, content, { recursive: true })
    await writeFile(join(content, 'poster.jpg'), 'not the poster')
    const { player, log } = await start(content)
    expect(mainProgram(player)?.items.map((i) => i.id)).toEqual(['thong-bao', 'clip', 'loi-chao'])
    expect(log.records.find((r) => r.message === 'local asset not imported')?.fields?.reason).toMatch(/do not match/)
  })

  it('refuses a manifest naming a file outside its folder', async () => {
    const content = await tempDir()
    await cp(DEMO, content, { recursive: true })
    const manifest = JSON.parse(await readFile(join(content, 'manifest.json'), 'utf8'))
    manifest.assets[0].url = '../../../../etc/hostname'
    await writeFile(join(content, 'manifest.json'), JSON.stringify(manifest))
    const { player, log } = await start(content)
    expect(mainProgram(player)?.items.map((i) => i.id)).not.toContain('poster')
    expect(log.records.some((r) => String(r.fields?.reason).match(/outside the content folder|ENOENT/))).toBe(true)
  })

  it('shows the fallback (null program) when the manifest is malformed, without throwing', async () => {
    const content = await tempDir()
    await writeFile(join(content, 'manifest.json'), '{"schema": "bangtin.manifest/v1", "version": ')
    const { player, log } = await start(content)
    expect(mainProgram(player)).toBeNull()
    expect(log.records.find((r) => r.level === 'error')?.message).toMatch(/fallback/)
  })

  it('starts again from the same data dir without re-importing verified files', async () => {
    const dataDir = await tempDir()
    const first = await start(DEMO, dataDir)
    const imports = first.log.records.filter((r) => r.message === 'imported local asset').length
    expect(imports).toBe(2)
    const second = await start(DEMO, dataDir)
    expect(second.log.records.filter((r) => r.message === 'imported local asset')).toHaveLength(0)
    expect(mainProgram(second.player)?.items).toHaveLength(4)
    expect(DEFAULT_BOARD_NAME).toBe('Bảng tin điện tử')
  })

  it('sets aside an item the screen could not decode (keeping its file), but not one that was merely slow', async () => {
    const { player } = await start()
    const clip = mainProgram(player)!.items.find((i) => i.kind === 'video')!
    const sha = (clip as { src: string }).src.replace('/media/', '')
    const screen = new MemoryScreenLink()
    player.host.attach(screen)
    screen.fromScreen('itemFailed', { itemId: 'clip', programVersion: 'demo-1', reason: 'not ready within 10000 ms', cause: 'timeout' })
    await new Promise((r) => setTimeout(r, 100))
    expect(player.cache.has(sha)).toBe(true)
    screen.fromScreen('itemFailed', { itemId: 'clip', programVersion: 'demo-1', reason: 'video could not be decoded', cause: 'broken' })
    await expect.poll(() => mainProgram(player)?.items.map((i) => i.id)).toEqual(['thong-bao', 'poster', 'loi-chao'])
    // The bytes are the right ones (their hash says so): nothing to download again.
    expect(player.cache.has(sha)).toBe(true)
    expect(player.cache.isQuarantined(sha)).toBe(false)
  })

  it('feeds the cache space: what the screen played is remembered, retired files leave, a held emergency keeps its image', async () => {
    const POSTER = '923fe62c9018f9a526894c6df1125c2b6c490a4a74fb1f4500625465486cfb37'
    const CLIP = '27b0f6ba7e8c4e97ca8c365eacb54466fc6bfbc6da5fa6962e87b02ab608cfa9'
    const dataDir = await tempDir()
    const { player } = await start(DEMO, dataDir)
    const link = new MemoryScreenLink()
    player.host.attach(link)
    link.fromScreen('played', { itemId: 'clip', programVersion: mainProgram(player)!.version, startedAt: 1, endedAt: 2 })
    await player.stop()
    players.splice(players.indexOf(player), 1)
    const usage = JSON.parse(await readFile(join(dataDir, 'cache', 'usage.json'), 'utf8')) as { played: Record<string, number> }
    expect(Object.keys(usage.played)).toEqual([CLIP])

    // New content names none of the demo's files, and the board keeps nothing retired; an emergency held
    // from before shows the poster.
    const content = await tempDir()
    const manifest = JSON.parse(await readFile(join(DEMO, 'manifest.json'), 'utf8')) as { playlists: { items: { kind: string }[] }[]; assets: unknown[] }
    manifest.playlists[0]!.items = manifest.playlists[0]!.items.filter((item) => item.kind === 'text')
    manifest.assets = []
    await writeFile(join(content, 'manifest.json'), JSON.stringify(manifest))
    await writeFile(join(dataDir, 'config.json'), JSON.stringify({ cacheRetiredGraceDays: 0 }))
    const emergency = { id: 'lu-lut', issuedAt: new Date().toISOString(), expiresAt: '2099-01-01T00:00:00Z', title: 'Cảnh báo lũ', body: '', asset: POSTER }
    await writeFile(join(dataDir, 'state', 'emergencies.json'), JSON.stringify({ active: [emergency], cleared: {} }))
    const { player: again } = await start(content, dataDir)
    await expect.poll(() => again.cache.stats().storedCount).toBe(1)
    expect(again.cache.has(POSTER)).toBe(true)
    expect(again.host.currentView.emergency?.imageSrc).toBe(`/media/${POSTER}`)
  })
})
