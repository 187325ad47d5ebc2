// What docs/protocol.md tells a vendor about gateways holding several boards: one socket.io connection per
// board (forceNew), since a shared Manager hands every board the first board's socket. Real server, real clients.
import { Manager } from 'socket.io-client'
import { describe, expect, it } from 'vitest'
import { PUSH_NAMESPACE, pushEvents } from '../../main/core/protocol/api'
import { connected, nextEvent, useReferenceServers } from './helpers'

describe('a gateway speaking for several boards', () => {
  const servers = useReferenceServers()

  it('with one connection per board (forceNew), each board gets its own pushes', async () => {
    const server = await servers.start()
    const a = server.addDevice('cong-ty-a-01', 'token-cong-ty-a-01-0123456789')
    const b = server.addDevice('cong-ty-a-02', 'token-cong-ty-a-02-0123456789')
    const [sa, sb] = [servers.socket(server, a), servers.socket(server, b)]
    await Promise.all([connected(sa), connected(sb)])
    expect(server.connectedDevices()).toEqual(['cong-ty-a-01', 'cong-ty-a-02'])
    const toB = nextEvent(sb, pushEvents.emergencyStart, 20_000)
    const toA = nextEvent(sa, pushEvents.emergencyStart, 20_000)
    server.emergency({ title: 'Mất điện khu vực 2', id: 'mat-dien-2' }, { deviceIds: [b.deviceId] })
    server.emergency({ title: 'Mất điện khu vực 1', id: 'mat-dien-1' }, { deviceIds: [a.deviceId] })
    expect(await toB).toMatchObject({ id: 'mat-dien-2' })
    // Events on one connection keep their order: had a's socket been b's, b's emergency would come first.
    expect(await toA).toMatchObject({ id: 'mat-dien-1' })
  }, 60_000)

  it('a shared Manager hands the second board the first board socket (the trap the docs warn of)', () => {
    const manager = new Manager('http://127.0.0.1:9', { autoConnect: false })
    const first = manager.socket(PUSH_NAMESPACE, { auth: { deviceId: 'a', token: 'token-a-0123456789' } })
    const second = manager.socket(PUSH_NAMESPACE, { auth: { deviceId: 'b', token: 'token-b-0123456789' } })
    expect(second).toBe(first)
    first.close()
  })
})
