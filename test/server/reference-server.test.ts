// The reference source server for real: HTTP on 127.0.0.1, real socket.io clients, signed documents
// checked with the device's own openSigned. (Its test extension's faults: testing/test-server.test.ts.)
import { execFileSync } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { ApiError, EmergencyClear, ManifestChanged, paths, pushEvents } from '../../main/core/protocol/api'
import { Emergency, parseManifest } from '../../main/core/protocol/manifest'
import { generateSigningKey, openSigned, SignatureError, trustedKeysFrom, type SignedEnvelope } from '../../main/core/protocol/signing'
import { bearer, connected, connectError, manifestFor, nextEvent, patternBytes, rawRequest, sha256, useReferenceServers } from './helpers'

const image = patternBytes(100_000)
const imageSha = sha256(image)
const files = () => new Map([[imageSha, image]])
const key = generateSigningKey()
const trusted = trustedKeysFrom([{ keyId: 'province-1', publicKey: key.publicKeyPem }])
const signingKey = { keyId: 'province-1', privateKeyPem: key.privateKeyPem }

describe('reference server', () => {
  const servers = useReferenceServers()
  let scratch = ''
  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'bangtin-refserver-'))
  })
  afterAll(async () => {
    await rm(scratch, { recursive: true, force: true })
  })

  async function withBoard(options: Parameters<typeof servers.start>[0] = {}) {
    const server = await servers.start(options)
    const board = server.addDevice('board-1', 'token-board-1')
    const manifestUrl = `${server.url}${paths.manifest('board-1')}`
    return { server, board, manifestUrl }
  }

  describe('device API auth', () => {
    it('refuses a missing or unknown token with 401 and another device’s manifest with 403', async () => {
      const { server, manifestUrl } = await withBoard()
      server.addDevice('board-2', 'token-board-2')
      server.publish(manifestFor('v1', [{ sha: imageSha, size: image.length }]), files())
      for (const headers of [{}, bearer('nope')]) {
        const res = await rawRequest(manifestUrl, { headers })
        expect(res.status).toBe(401)
        expect(ApiError.parse(JSON.parse(res.body.toString())).error.code).toBe('unauthorized')
      }
      const other = await rawRequest(manifestUrl, { headers: bearer('token-board-2') })
      expect(other.status).toBe(403)
      expect(ApiError.parse(JSON.parse(other.body.toString())).error.code).toBe('forbidden')
      // Assets are for any known device.
      expect((await rawRequest(`${server.url}${paths.asset(imageSha)}`, { headers: bearer('token-board-2') })).status).toBe(200)
      expect((await rawRequest(`${server.url}${paths.asset(imageSha)}`)).status).toBe(401)
    })

    it('answers 404 no-manifest before anything is published, then the manifest with a Date header', async () => {
      const { server, manifestUrl } = await withBoard()
      const none = await rawRequest(manifestUrl, { headers: bearer('token-board-1') })
      expect(none.status).toBe(404)
      expect(ApiError.parse(JSON.parse(none.body.toString())).error.code).toBe('no-manifest')
      server.publish(manifestFor('v1', [{ sha: imageSha, size: image.length }]), files())
      const res = await rawRequest(manifestUrl, { headers: bearer('token-board-1') })
      expect(res.status).toBe(200)
      expect(res.headers['content-type']).toBe('application/json')
      expect(Math.abs(Date.parse(String(res.headers.date)) - Date.now())).toBeLessThan(5000)
      const manifest = parseManifest(JSON.parse(res.body.toString()))
      expect(manifest.assets[0]?.url).toBe(paths.asset(imageSha))
      expect(Date.parse(manifest.expiresAt ?? '') - Date.now()).toBeGreaterThan(6 * 24 * 3600 * 1000)
    })
  })

  describe('manifest', () => {
    it('gives an unchanged manifest the same ETag and a 304, and a new one after publish', async () => {
      const { server, manifestUrl } = await withBoard()
      server.publish(manifestFor('v1', [{ sha: imageSha, size: image.length }]), files())
      const first = await rawRequest(manifestUrl, { headers: bearer('token-board-1') })
      const etag = String(first.headers.etag)
      expect(etag).toMatch(/^"[0-9a-f]+"$/)
      await new Promise((resolve) => setTimeout(resolve, 5))
      // Sealed once: a later request gets the very same document (same issuedAt, same bytes) and ETag.
      const again = await rawRequest(manifestUrl, { headers: bearer('token-board-1') })
      expect(again.headers.etag).toBe(etag)
      expect(again.body.equals(first.body)).toBe(true)
      const notModified = await rawRequest(manifestUrl, { headers: { ...bearer('token-board-1'), 'If-None-Match': etag } })
      expect(notModified.status).toBe(304)
      expect(notModified.body.length).toBe(0)
      expect(server.stats.manifest304).toBe(1)

      expect(server.publish(manifestFor('v2', []), new Map())).toBe('v2')
      const changed = await rawRequest(manifestUrl, { headers: { ...bearer('token-board-1'), 'If-None-Match': etag } })
      expect(changed.status).toBe(200)
      expect(changed.headers.etag).not.toBe(etag)
      expect(server.stats.manifestRequests).toBe(4)
    })

    it('serves a signed envelope that openSigned accepts, and a tampered payload fails', async () => {
      const { server, manifestUrl } = await withBoard({ signingKey, manifestTtlSec: 600 })
      expect(server.publicKeyPem).toBe(key.publicKeyPem)
      server.publish(manifestFor('v1', [{ sha: imageSha, size: image.length }]), files())
      const envelope = JSON.parse((await rawRequest(manifestUrl, { headers: bearer('token-board-1') })).body.toString()) as SignedEnvelope
      expect(envelope.keyId).toBe('province-1')
      const manifest = parseManifest(openSigned(envelope, trusted))
      expect(manifest.version).toBe('v1')
      expect(Date.parse(manifest.expiresAt ?? '') - Date.parse(manifest.issuedAt ?? '')).toBe(600_000)
      const tampered = { ...envelope, payload: envelope.payload.replace('Lịch tiêm chủng', 'Tin giả mạo') }
      expect(tampered.payload).not.toBe(envelope.payload)
      expect(() => openSigned(tampered, trusted)).toThrow(SignatureError)
      try {
        openSigned(tampered, trusted)
      } catch (error) {
        expect((error as SignatureError).reason).toBe('bad-signature')
      }
    })

    it('serves bare documents without a key (refused by a board that trusts keys), and override bodies as given', async () => {
      const { server, manifestUrl } = await withBoard()
      server.publish(manifestFor('v1', []), new Map())
      const bare = JSON.parse((await rawRequest(manifestUrl, { headers: bearer('token-board-1') })).body.toString()) as unknown
      expect(parseManifest(openSigned(bare, null)).version).toBe('v1')
      expect(() => openSigned(bare, trusted)).toThrow(/unsigned/)
      server.overrideManifestBody('{"not": "a manifest"')
      const overridden = await rawRequest(manifestUrl, { headers: bearer('token-board-1') })
      expect(overridden.body.toString()).toBe('{"not": "a manifest"')
      server.overrideManifestBody(null)
      expect(JSON.parse((await rawRequest(manifestUrl, { headers: bearer('token-board-1') })).body.toString()).version).toBe('v1')
    })

    it('refuses to publish a manifest without its files or that fails the schema, unless told to allow it', async () => {
      const { server, manifestUrl } = await withBoard()
      expect(() => server.publish(manifestFor('v1', [{ sha: imageSha, size: image.length }]), new Map())).toThrow(/no file for asset/)
      expect(() => server.publish(manifestFor('v1', [{ sha: imageSha, size: 5 }]), files())).toThrow(/5 bytes/)
      expect(() => server.publish({ ...manifestFor('v1', []), playlists: 'nope' }, new Map())).toThrow(/invalid manifest: playlists/)
      expect(() => server.publish(manifestFor('v1', []), new Map([[imageSha, Buffer.from('other bytes')]]))).toThrow(/hash to/)
      server.publish({ ...manifestFor('bad', []), playlists: 'nope' }, new Map(), { allowInvalid: true })
      expect(JSON.parse((await rawRequest(manifestUrl, { headers: bearer('token-board-1') })).body.toString()).playlists).toBe('nope')
    })

    it('publishes to some devices only, and a fleet publish replaces per-device manifests', async () => {
      const { server, manifestUrl } = await withBoard()
      server.addDevice('board-2', 'token-board-2')
      server.publish(manifestFor('fleet-1', []), new Map())
      server.publish(manifestFor('only-2', []), new Map(), { deviceIds: ['board-2'] })
      const version = async (deviceId: string, token: string) =>
        JSON.parse((await rawRequest(`${server.url}${paths.manifest(deviceId)}`, { headers: bearer(token) })).body.toString()).version as string
      expect(await version('board-1', 'token-board-1')).toBe('fleet-1')
      expect(await version('board-2', 'token-board-2')).toBe('only-2')
      server.publish(manifestFor('fleet-2', []), new Map(), { version: 'fleet-2b' })
      expect(await version('board-2', 'token-board-2')).toBe('fleet-2b')
      expect((await rawRequest(manifestUrl, { headers: bearer('token-board-1') })).status).toBe(200)
    })
  })

  describe('assets', () => {
    it('serves whole bodies and single byte ranges, 416 past the end, 404 for unknown hashes', async () => {
      const { server } = await withBoard()
      server.publish(manifestFor('v1', [{ sha: imageSha, size: image.length }]), files())
      const url = `${server.url}${paths.asset(imageSha)}`
      const auth = bearer('token-board-1')
      const whole = await rawRequest(url, { headers: auth })
      expect(whole.status).toBe(200)
      expect(whole.headers['accept-ranges']).toBe('bytes')
      expect(whole.headers.etag).toBe(`"${imageSha}"`)
      expect(whole.body.equals(image)).toBe(true)

      const tail = await rawRequest(url, { headers: { ...auth, Range: 'bytes=40000-' } })
      expect(tail.status).toBe(206)
      expect(tail.headers['content-range']).toBe(`bytes 40000-${image.length - 1}/${image.length}`)
      expect(tail.body.equals(image.subarray(40000))).toBe(true)
      const middle = await rawRequest(url, { headers: { ...auth, Range: 'bytes=10-19' } })
      expect(middle.body.equals(image.subarray(10, 20))).toBe(true)
      const suffix = await rawRequest(url, { headers: { ...auth, Range: 'bytes=-5' } })
      expect(suffix.body.equals(image.subarray(-5))).toBe(true)

      const past = await rawRequest(url, { headers: { ...auth, Range: `bytes=${image.length}-` } })
      expect(past.status).toBe(416)
      expect(past.headers['content-range']).toBe(`bytes */${image.length}`)
      expect((await rawRequest(`${server.url}${paths.asset('0'.repeat(64))}`, { headers: auth })).status).toBe(404)
      expect(server.stats.assetRequests).toBe(6)
      expect(server.stats.rangeRequests).toBe(4)
    })

    it('streams files given by path', async () => {
      const { server } = await withBoard()
      const big = patternBytes(3 * 1024 * 1024 + 17, 3)
      const path = join(scratch, 'big.bin')
      await writeFile(path, big)
      const bigSha = sha256(big)
      server.publish(manifestFor('v1', [{ sha: bigSha, size: big.length }]), new Map([[bigSha, path]]))
      const res = await rawRequest(`${server.url}${paths.asset(bigSha)}`, { headers: { ...bearer('token-board-1'), Range: 'bytes=1000000-' } })
      expect(res.status).toBe(206)
      expect(res.body.equals(big.subarray(1_000_000))).toBe(true)
      expect(server.stats.assetBytesSent).toBe(big.length - 1_000_000)
    })
  })

  describe('restarts', () => {
    it('stops and starts on the same port keeping its state, and push clients reconnect', async () => {
      const { server, manifestUrl } = await withBoard()
      server.publish(manifestFor('v1', []), new Map())
      const etag = (await rawRequest(manifestUrl, { headers: bearer('token-board-1') })).headers.etag
      const socket = servers.socket(server, { deviceId: 'board-1', token: 'token-board-1' }, { reconnect: true })
      await connected(socket)
      const url = server.url

      const down = nextEvent(socket, 'disconnect')
      await server.stop()
      await down
      await expect(rawRequest(manifestUrl, { headers: bearer('token-board-1') })).rejects.toThrow(/ECONNREFUSED/)
      expect(server.connectedDevices()).toEqual([])

      await server.start()
      expect(server.url).toBe(url)
      const back = await rawRequest(manifestUrl, { headers: { ...bearer('token-board-1'), 'If-None-Match': String(etag) } })
      expect(back.status).toBe(304)
      await vi.waitFor(() => expect(server.connectedDevices()).toEqual(['board-1']), { timeout: 3000 })
    })
  })

  describe('push', () => {
    it('refuses sockets with a bad token or another device’s token', async () => {
      const { server } = await withBoard()
      server.addDevice('board-2', 'token-board-2')
      for (const auth of [
        { deviceId: 'board-1', token: 'wrong' },
        { deviceId: 'board-1', token: 'token-board-2' }
      ]) {
        const error = await connectError(servers.socket(server, auth))
        expect(error.message).toBe('unauthorized')
      }
    })

    it('pushes manifest:changed to the devices a publish affects', async () => {
      const { server } = await withBoard()
      server.addDevice('board-2', 'token-board-2')
      const one = servers.socket(server, { deviceId: 'board-1', token: 'token-board-1' })
      const two = servers.socket(server, { deviceId: 'board-2', token: 'token-board-2' })
      await Promise.all([connected(one), connected(two)])
      expect(server.connectedDevices()).toEqual(['board-1', 'board-2'])

      const toOne = nextEvent(one, pushEvents.manifestChanged)
      const toTwo = nextEvent(two, pushEvents.manifestChanged)
      server.publish(manifestFor('only-2', []), new Map(), { deviceIds: ['board-2'] })
      server.publish(manifestFor('fleet', []), new Map())
      // board-1's first message is the fleet publish: the targeted one never reached it.
      const first = ManifestChanged.parse(await toOne)
      expect(first.version).toBe('fleet')
      expect(Date.parse(first.expiresAt)).toBeGreaterThan(Date.now())
      expect(ManifestChanged.parse(await toTwo).version).toBe('only-2')
    })

    it('pushes a signed emergency, lists it in the next manifest, and a clear removes it', async () => {
      const { server, manifestUrl } = await withBoard({ signingKey })
      server.publish(manifestFor('v1', []), new Map())
      const socket = servers.socket(server, { deviceId: 'board-1', token: 'token-board-1' })
      await connected(socket)
      const before = await rawRequest(manifestUrl, { headers: bearer('token-board-1') })

      const started = nextEvent(socket, pushEvents.emergencyStart)
      const sent = server.emergency({ title: 'Cảnh báo bão số 3', body: 'Người dân không ra khơi', ttlSec: 600 })
      const pushed = Emergency.parse(openSigned(await started, trusted))
      expect(pushed).toEqual(sent)
      expect(Date.parse(pushed.expiresAt) - Date.parse(pushed.issuedAt)).toBe(600_000)

      const during = await rawRequest(manifestUrl, { headers: { ...bearer('token-board-1'), 'If-None-Match': String(before.headers.etag) } })
      expect(during.status).toBe(200)
      expect(parseManifest(openSigned(JSON.parse(during.body.toString()), trusted)).emergencies.map((e) => e.id)).toEqual([pushed.id])

      const cleared = nextEvent(socket, pushEvents.emergencyClear)
      server.clearEmergency(pushed.id)
      const clear = EmergencyClear.parse(openSigned(await cleared, trusted))
      expect(clear.id).toBe(pushed.id)
      const after = await rawRequest(manifestUrl, { headers: bearer('token-board-1') })
      const afterManifest = parseManifest(openSigned(JSON.parse(after.body.toString()), trusted))
      expect(afterManifest.emergencies).toEqual([])
      // Sealed afresh, not the document from before the emergency: a board ends an emergency only on a
      // manifest issued after it, so the same content gets a new document (and ETag) after a clear.
      expect(after.headers.etag).not.toBe(before.headers.etag)
      expect(Date.parse(afterManifest.issuedAt ?? '')).toBeGreaterThanOrEqual(Date.parse(pushed.issuedAt))
    })

    it('pushes raw payloads and records acks and problems, flagging invalid ones', async () => {
      const { server } = await withBoard()
      const socket = servers.socket(server, { deviceId: 'board-1', token: 'token-board-1' })
      await connected(socket)
      const raw = nextEvent(socket, pushEvents.emergencyStart)
      server.pushRaw(pushEvents.emergencyStart, { payload: 'forged', keyId: 'x', signature: 'AAAA' })
      expect(await raw).toEqual({ payload: 'forged', keyId: 'x', signature: 'AAAA' })

      const at = new Date().toISOString()
      socket.emit('ack', { kind: 'emergency-start', id: 'em-1', at })
      socket.emit('ack', { kind: 'nonsense' })
      socket.emit('problem', { kind: 'signature-refused', detail: 'bad signature', at })
      await vi.waitFor(() => expect(server.acks.length + server.problems.length).toBe(3))
      expect(server.acks.map((a) => [a.deviceId, a.valid])).toEqual([
        ['board-1', true],
        ['board-1', false]
      ])
      expect(server.problems[0]).toMatchObject({ deviceId: 'board-1', valid: true, problem: { kind: 'signature-refused' } })
      // Of an invalid one only the start of its JSON is kept (a board cannot park megabytes here).
      expect(server.acks[1]).toMatchObject({ valid: false, ack: '{"kind":"nonsense"}', error: expect.stringContaining('id') })
    })
  })

  describe('reports and admin API', () => {
    it('stores protocol reports up to 1 MB; refuses others with a 400 that says why, and keeps nothing of them', async () => {
      const { server } = await withBoard()
      const url = `${server.url}${paths.reports('board-1')}`
      const headers = { ...bearer('token-board-1'), 'Content-Type': 'application/json' }
      const uptime = { kind: 'uptime', days: [{ date: '2026-11-21', upSeconds: 80000, downSeconds: 400, expectedSeconds: 80400, percent: 99.5 }] }
      const body = JSON.stringify({ ...uptime, extra: 'dropped' })
      expect((await rawRequest(url, { method: 'POST', headers, body })).status).toBe(204)
      const refused = await rawRequest(url, { method: 'POST', headers, body: JSON.stringify({ heartbeat: { uptime: 5 } }) })
      expect(refused.status).toBe(400)
      expect(ApiError.parse(JSON.parse(refused.body.toString())).error.message).toMatch(/not a protocol v1 report \(not stored\): kind/)
      expect((await rawRequest(url, { method: 'POST', headers, body: '{not json' })).status).toBe(400)
      // Kept as parsed: unknown fields are not stored, and the size on the wire is what counts against the device.
      expect(server.reports).toEqual([{ deviceId: 'board-1', report: uptime, receivedAt: expect.any(Number), bytes: Buffer.byteLength(body) }])
      expect(server.uptimeDays('board-1')).toEqual(uptime.days)
      const big = await rawRequest(url, { method: 'POST', headers, body: JSON.stringify({ pad: 'x'.repeat(1024 * 1024) }) }).catch(() => null)
      if (big) expect(big.status).toBe(413)
      expect(server.reports).toHaveLength(1)
    })

    it('stores uploads once per id, refusing a body that is not what its meta says, and serves them to the admin', async () => {
      const { server } = await withBoard()
      server.addDevice('board-2', 'token-board-2')
      const query = 'kind=screenshot&id=shot-1&takenAt=2026-11-22T03%3A00%3A00%2B07%3A00&contentType=image%2Fjpeg&width=4&height=3'
      const url = `${server.url}${paths.uploads('board-1')}?${query}`
      const jpegBytes = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 0xff, 0xd9])
      const headers = { ...bearer('token-board-1'), 'Content-Type': 'image/jpeg' }
      const post = (target: string, body: Buffer, h: Record<string, string> = headers) => rawRequest(target, { method: 'POST', headers: h, body })
      expect((await post(url, jpegBytes)).status).toBe(204)
      // A retry after a lost answer: still one copy.
      expect((await post(url, jpegBytes)).status).toBe(204)
      expect(server.uploads.size).toBe(1)
      expect((await post(url, jpegBytes, { ...bearer('token-board-2'), 'Content-Type': 'image/jpeg' })).status).toBe(403)
      expect((await post(url, jpegBytes, { 'Content-Type': 'image/jpeg' })).status).toBe(401)
      expect((await post(url, Buffer.from('<svg/>'))).status).toBe(400)
      expect((await post(url, jpegBytes, { ...bearer('token-board-1'), 'Content-Type': 'text/html' })).status).toBe(415)
      for (const bad of [query.replace('width=4', 'width=0'), query.replace('id=shot-1', 'id=..%2Fx'), query.replace('kind=screenshot', 'kind=exe'), `${query}&extra=1`]) {
        expect((await post(`${server.url}${paths.uploads('board-1')}?${bad}`, jpegBytes)).status).toBe(400)
      }
      expect(server.uploads.size).toBe(1)
      const admin = bearer(server.adminToken)
      const list = JSON.parse((await rawRequest(`${server.url}/admin/uploads?kind=screenshot`, { headers: admin })).body.toString())
      expect(list.uploads).toMatchObject([{ deviceId: 'board-1', id: 'shot-1', kind: 'screenshot', width: 4, height: 3, bytes: jpegBytes.length }])
      const one = await rawRequest(`${server.url}/admin/uploads/shot-1`, { headers: admin })
      expect(one.headers['content-type']).toBe('image/jpeg')
      expect(one.body.equals(jpegBytes)).toBe(true)
      expect((await rawRequest(`${server.url}/admin/uploads/shot-1`)).status).toBe(401)
      expect((await rawRequest(`${server.url}/admin/uploads/none`, { headers: admin })).status).toBe(404)
      expect((await rawRequest(`${server.url}/admin/uploads/%E0%A4%A`, { headers: admin })).status).toBe(404)
      // Another device may use the same id: it gets its own copy, and the admin must say whose.
      expect((await post(url.replace('board-1', 'board-2'), jpegBytes, { ...bearer('token-board-2'), 'Content-Type': 'image/jpeg' })).status).toBe(204)
      expect(server.uploads.size).toBe(2)
      expect((await rawRequest(`${server.url}/admin/uploads/shot-1`, { headers: admin })).status).toBe(409)
      expect((await rawRequest(`${server.url}/admin/uploads/shot-1?deviceId=board-2`, { headers: admin })).status).toBe(200)
    })

    it('provisions devices, publishes a folder, pushes and clears emergencies behind the admin token', async () => {
      const server = await servers.start()
      const admin = (method: string, path: string, body?: unknown, token = server.adminToken) =>
        rawRequest(`${server.url}${path}`, {
          method,
          headers: { ...bearer(token), 'Content-Type': 'application/json' },
          ...(body === undefined ? {} : { body: JSON.stringify(body) })
        }).then((res) => ({ status: res.status, json: res.body.length ? (JSON.parse(res.body.toString()) as Record<string, unknown>) : null }))

      expect((await admin('GET', '/admin/devices', undefined, 'wrong')).status).toBe(401)
      expect((await admin('POST', '/admin/devices', { deviceId: 'bad id!' })).status).toBe(400)
      const added = await admin('POST', '/admin/devices', { deviceId: 'board-9' })
      expect(added.status).toBe(201)
      const token = String(added.json?.token)

      const folder = join(scratch, 'content')
      const { mkdir } = await import('node:fs/promises')
      await mkdir(join(folder, 'media'), { recursive: true })
      await writeFile(join(folder, 'media', 'image-0.png'), image)
      await writeFile(join(folder, 'manifest.json'), JSON.stringify(manifestFor('folder-1', [{ sha: imageSha, size: image.length }])))
      expect(await admin('POST', '/admin/publish', { folder })).toEqual({ status: 200, json: { version: 'folder-1' } })
      expect((await admin('POST', '/admin/publish', { folder: join(scratch, 'missing') })).status).toBe(400)
      expect((await rawRequest(`${server.url}${paths.asset(imageSha)}`, { headers: bearer(token) })).body.equals(image)).toBe(true)

      const emergency = await admin('POST', '/admin/emergency', { title: 'Lũ quét', ttlSec: 60, deviceIds: ['board-9'] })
      expect(emergency.status).toBe(201)
      expect((await admin('POST', '/admin/emergency/clear', { id: emergency.json?.id })).status).toBe(200)
      expect((await admin('POST', '/admin/emergency/clear', { id: 'unknown' })).status).toBe(404)
      expect((await admin('GET', '/admin/devices')).json).toEqual({
        devices: [{ deviceId: 'board-9', connected: false, lastSeen: expect.any(String), manifestVersion: 'folder-1' }]
      })
      expect((await admin('GET', '/admin/acks')).json).toEqual({ acks: [] })
      expect((await admin('GET', '/admin/problems')).json).toEqual({ problems: [] })
    })
  })

  const hasOpenssl = (() => {
    try {
      execFileSync('openssl', ['version'], { stdio: 'ignore' })
      return true
    } catch {
      return false
    }
  })()

  it.skipIf(!hasOpenssl)('serves HTTPS and wss with a given certificate', async () => {
    const keyPath = join(scratch, 'tls-key.pem')
    const certPath = join(scratch, 'tls-cert.pem')
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', keyPath, '-out', certPath, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' })
    const { readFile } = await import('node:fs/promises')
    const cert = await readFile(certPath, 'utf8')
    const { server, manifestUrl } = await withBoard({ tls: { key: await readFile(keyPath, 'utf8'), cert } })
    expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/)
    server.publish(manifestFor('v1', []), new Map())
    expect((await rawRequest(manifestUrl, { headers: bearer('token-board-1'), ca: cert })).status).toBe(200)
    await connected(servers.socket(server, { deviceId: 'board-1', token: 'token-board-1' }, { ca: cert }))
  })
})
