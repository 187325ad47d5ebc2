import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ConfigError, DEFAULT_TIME_ZONE, loadConfig } from '../../../main/core/config'
import { useTempDirs } from '../../helpers/temp-dir'

describe('loadConfig', () => {
  const tempDir = useTempDirs()

  it('uses defaults when there is no config file', async () => {
    const config = await loadConfig(await tempDir())
    expect(config.timeZone).toBe(DEFAULT_TIME_ZONE)
    expect(config.serverUrl).toBeUndefined()
  })

  it('lets command-line overrides win over the file, ignoring undefined ones', async () => {
    const dir = await tempDir()
    await writeFile(join(dir, 'config.json'), JSON.stringify({ boardName: 'Xã A', timeZone: 'Asia/Bangkok' }))
    const config = await loadConfig(dir, { boardName: 'Xã B', timeZone: undefined })
    expect(config).toMatchObject({ boardName: 'Xã B', timeZone: 'Asia/Bangkok' })
  })

  it.each([
    ['not JSON', '{ boardName: '],
    ['an array', '[]'],
    ['an unknown time zone', JSON.stringify({ timeZone: 'Mars/Olympus' })],
    ['a non-http server URL', JSON.stringify({ serverUrl: 'file:///etc/passwd' })],
    ['an empty board name', JSON.stringify({ boardName: '   ' })]
  ])('refuses a config file holding %s with a clear error', async (_name, text) => {
    const dir = await tempDir()
    await writeFile(join(dir, 'config.json'), text)
    await expect(loadConfig(dir)).rejects.toThrow(ConfigError)
  })
})
