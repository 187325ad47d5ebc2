// The published JSON Schemas as a vendor uses them: every docs/schemas/*.json compiles in ajv's strict
// mode (with ajv-formats, as a vendor's validator would load it), and what the real reference server sends validates.
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020'
import addFormats from 'ajv-formats'
import { describe, expect, it } from 'vitest'
import { paths, PUSH_NAMESPACE, pushEvents } from '../../main/core/protocol/api'
import { generateSigningKey } from '../../main/core/protocol/signing'
import { connected, manifestFor, nextEvent, rawRequest, bearer, useReferenceServers } from '../server/helpers'

const SCHEMAS = join(__dirname, '../../docs/schemas')

async function compileAll(): Promise<Map<string, ValidateFunction>> {
  const ajv = new Ajv2020({ strict: true, allErrors: true })
  addFormats(ajv)
  const validators = new Map<string, ValidateFunction>()
  for (const file of (await readdir(SCHEMAS)).filter((name) => name.endsWith('.schema.json')).sort()) {
    const schema = JSON.parse(await readFile(join(SCHEMAS, file), 'utf8')) as object
    validators.set(file.replace('.schema.json', ''), ajv.compile(schema))
  }
  return validators
}

function expectValid(validators: Map<string, ValidateFunction>, name: string, document: unknown): void {
  const validate = validators.get(name)!
  expect(validate(document), `${name}: ${JSON.stringify(validate.errors)}`).toBe(true)
}

describe('docs/schemas under a strict JSON-Schema validator', () => {
  const servers = useReferenceServers()

  it('every schema compiles with ajv in strict mode', async () => {
    const validators = await compileAll()
    expect([...validators.keys()]).toEqual(expect.arrayContaining(['manifest', 'signed-envelope', 'emergency', 'command', 'ack', 'report']))
  })

  it('validates what the reference server sends: signed manifest, pushes, pairing answers, errors', async () => {
    const validators = await compileAll()
    const key = generateSigningKey()
    const server = await servers.start({ signingKey: { keyId: 'tinh-2026', privateKeyPem: key.privateKeyPem } })
    const { deviceId, token } = server.addDevice('xa-phu-an-01', 'token-xa-phu-an-01-0123456789')
    server.publish(manifestFor('v7', []), new Map())

    const answer = await rawRequest(server.url + paths.manifest(deviceId), { headers: bearer(token) })
    expect(answer.status).toBe(200)
    const envelope = JSON.parse(answer.body.toString('utf8')) as { payload: string }
    expectValid(validators, 'signed-envelope', envelope)
    expectValid(validators, 'manifest', JSON.parse(envelope.payload))

    const refused = await rawRequest(server.url + paths.manifest(deviceId), { headers: bearer('not-the-token-0123456789') })
    expect(refused.status).toBe(401)
    expectValid(validators, 'api-error', JSON.parse(refused.body.toString('utf8')))

    const started = await rawRequest(server.url + paths.pairings(), { method: 'POST' })
    const pairing = JSON.parse(started.body.toString('utf8')) as { pairingId: string }
    expectValid(validators, 'pairing-started', pairing)
    const status = await rawRequest(server.url + paths.pairing(pairing.pairingId))
    expectValid(validators, 'pairing-status', JSON.parse(status.body.toString('utf8')))

    const socket = servers.socket(server, { deviceId, token })
    await connected(socket)
    const pushed = async (event: string, send: () => void): Promise<unknown> => {
      const next = nextEvent(socket, event, 20_000)
      send()
      return next
    }
    const start = (await pushed(pushEvents.emergencyStart, () => server.emergency({ title: 'Bão số 3', id: 'bao-3' }))) as { payload: string }
    expectValid(validators, 'signed-envelope', start)
    expectValid(validators, 'emergency', JSON.parse(start.payload))
    const clear = (await pushed(pushEvents.emergencyClear, () => server.clearEmergency('bao-3'))) as { payload: string }
    expectValid(validators, 'emergency-clear', JSON.parse(clear.payload))
    const command = (await pushed(pushEvents.command, () => server.command('set-volume', { volume: 0.5 }))) as { payload: string }
    expectValid(validators, 'signed-envelope', command)
    expectValid(validators, 'command', JSON.parse(command.payload))
    expectValid(validators, 'command-kinds', (({ kind, args }) => ({ kind, args }))(JSON.parse(command.payload) as { kind: string; args: unknown }))
    const changed = await pushed(pushEvents.manifestChanged, () => server.publish(manifestFor('v8', []), new Map()))
    expectValid(validators, 'manifest-changed', changed)
    expect(PUSH_NAMESPACE).toBe('/device')
  }, 60_000)
})
