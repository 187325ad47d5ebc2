// The v1 adapter's push channel after the server refused its handshake: socket.io never retries a
// refused handshake by itself, so a passing refusal (a server restarting, a token being re-issued) must
// not leave the board without push until its next restart. Real reference server on 127.0.0.1.
import { afterEach, describe, expect, it } from 'vitest'
import { startTestServer, type TestServer } from '../../../../server/testing/test-server'
import type { PushChannel, PushState } from '../../../../main/core/sync/source-adapter'
import { V1Adapter } from '../../../../main/core/sync/v1-adapter'

describe('v1 push channel refused once', () => {
  const cleanup: (() => Promise<void> | void)[] = []
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step()
  })

  it('comes back by itself once the server takes the token again', async () => {
    const server: TestServer = await startTestServer({})
    cleanup.push(() => server.close())
    const deviceId = 'xa-tan-phu-01'
    const token = 'token-xa-tan-phu-01-0123456789'
    // The server does not know this token yet: the handshake is refused as `unauthorized`.
    const adapter = new V1Adapter({ serverUrl: server.url, deviceId, token, allowInsecureHttp: true, reconnectDelayMs: 50, reconnectDelayMaxMs: 200 })
    const states: PushState[] = []
    const refusals: string[] = []
    const channel: PushChannel = adapter.openPushChannel({
      onState: (state) => states.push(state),
      onManifestChanged: () => {},
      onEmergencyStart: () => {},
      onEmergencyClear: () => {},
      onCommand: () => {},
      onRefused: (reason) => refusals.push(reason)
    })
    cleanup.push(() => channel.close())
    await expect.poll(() => refusals, { timeout: 20_000 }).toContain('unauthorized')
    server.addDevice(deviceId, token)
    await expect.poll(() => server.connectedDevices(), { timeout: 20_000 }).toEqual([deviceId])
    expect(states.at(-1)).toBe('connected')
  }, 60_000)
})
