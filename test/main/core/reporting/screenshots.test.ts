import { describe, expect, it } from 'vitest'
import { memoryLogger } from '../../../../main/core/log'
import type { UploadMeta } from '../../../../main/core/protocol/api'
import { Screenshots } from '../../../../main/core/reporting/screenshots'

const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xd9])

describe('Screenshots', () => {
  it('shares a capture between requests for the same command, but gives another command its own shot', async () => {
    let captures = 0
    let release: () => void = () => {}
    const queued: UploadMeta[] = []
    const shots = new Screenshots({
      shell: {
        capture: async () => {
          captures++
          await new Promise<void>((resolve) => (release = resolve))
          return { jpeg, width: 2, height: 1 }
        }
      },
      queue: async (meta) => void queued.push(meta),
      maxWidth: 960,
      intervalMs: 0,
      log: memoryLogger()
    })
    const periodic = shots.take()
    const periodicAgain = shots.take()
    const command = shots.take('lenh-1')
    expect(periodicAgain).toBe(periodic)
    await expect.poll(() => captures).toBe(1)
    release()
    await periodic
    await expect.poll(() => captures).toBe(2)
    release()
    await command
    expect(captures).toBe(2)
    expect(queued.map((m) => (m.kind === 'screenshot' ? (m.commandId ?? null) : 'logs'))).toEqual([null, 'lenh-1'])
  })

  it('refuses without a capture, and takes no periodic shots while the display is off', async () => {
    const none = new Screenshots({ shell: {}, queue: async () => {}, maxWidth: 960, intervalMs: 0, log: memoryLogger() })
    expect(none.available).toBe(false)
    await expect(none.take()).rejects.toThrow(/cannot capture/)
    let captures = 0
    let displayOn = false
    const periodic = new Screenshots({
      shell: { capture: async () => (captures++, { jpeg, width: 2, height: 1 }) },
      queue: async () => {},
      maxWidth: 960,
      intervalMs: 20,
      log: memoryLogger(),
      displayOn: () => displayOn
    })
    periodic.start()
    await new Promise((r) => setTimeout(r, 120))
    expect(captures).toBe(0)
    displayOn = true
    await expect.poll(() => captures).toBeGreaterThan(0)
    periodic.stop()
  })
})
