// A push frame is measured before it is parsed (issue 12): 16 MiB of nesting held the board's event loop
// for seconds inside socket.io's own JSON.parse, before any signature check. Real reference server.
import { afterEach, expect, test } from 'vitest'
import { MAX_JSON_DEPTH } from '../../../../main/core/protocol/json-limits'
import { MAX_PUSH_FRAME_CHARS } from '../../../../main/core/sync/bounded-push-parser'
import type { PushChannel, PushState } from '../../../../main/core/sync/source-adapter'
import { V1Adapter } from '../../../../main/core/sync/v1-adapter'
import { startTestServer, type TestServer } from '../../../../server/testing/test-server'

const cleanup: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step()
})

function nested(depth: number): unknown {
  let value: unknown = 'LŨ'
  for (let i = 0; i < depth; i++) value = [value]
  return value
}

async function connectedBoard(): Promise<{ server: TestServer; received: unknown[]; refused: string[]; states: PushState[] }> {
  const server = await startTestServer({})
  cleanup.push(() => server.close())
  const deviceId = 'xa-hoa-binh-01'
  const { token } = server.addDevice(deviceId, 'token-xa-hoa-binh-01-0123456789')
  const adapter = new V1Adapter({ serverUrl: server.url, deviceId, token, allowInsecureHttp: true, reconnectDelayMs: 50, reconnectDelayMaxMs: 200 })
  const received: unknown[] = []
  const refused: string[] = []
  const states: PushState[] = []
  const channel: PushChannel = adapter.openPushChannel({
    onState: (state) => states.push(state),
    onManifestChanged: () => {},
    onEmergencyStart: (raw) => received.push(raw),
    onEmergencyClear: () => {},
    onCommand: () => {},
    onRefused: () => {},
    onFrameRefused: (reason) => refused.push(reason)
  })
  cleanup.push(() => channel.close())
  await expect.poll(() => server.connectedDevices(), { timeout: 20_000 }).toEqual([deviceId])
  return { server, received, refused, states }
}

for (const [what, payload, expected] of [
  ['nested deeper than the limit', nested(MAX_JSON_DEPTH + 8), /deeper than 32/],
  ['larger than the frame limit', { title: 'x'.repeat(MAX_PUSH_FRAME_CHARS + 10) }, /characters \(at most/]
] as const) {
  test(`a push frame ${what} is refused unparsed, and the channel comes back for the next, good one`, async () => {
    const board = await connectedBoard()
    board.server.pushRaw('emergency:start', payload)
    await expect.poll(() => board.refused, { timeout: 20_000 }).toHaveLength(1)
    expect(board.refused[0]).toMatch(expected)
    // Reconnected by itself (socket.io's own back-off), then a sound frame is read as usual.
    await expect.poll(() => board.states.filter((s) => s === 'connected').length, { timeout: 20_000 }).toBe(2)
    await expect.poll(() => board.server.connectedDevices().length, { timeout: 20_000 }).toBe(1)
    board.server.pushRaw('emergency:start', { title: 'Bão số 3' })
    await expect.poll(() => board.received, { timeout: 20_000 }).toEqual([{ title: 'Bão số 3' }])
  }, 60_000)
}

test('a frame at the nesting limit still passes (the protocol needs about 8 levels)', async () => {
  const board = await connectedBoard()
  board.server.pushRaw('emergency:start', nested(MAX_JSON_DEPTH - 4))
  await expect.poll(() => board.received, { timeout: 20_000 }).toHaveLength(1)
  expect(board.refused).toEqual([])
}, 60_000)
