// Command line of the reference source server: `serve` runs one (demo, lab, vendor testing); the other
// subcommands drive a running one through its admin API. `npm run source-server -- …` builds it to
// out/server/cli.js (scripts/build-server.mjs) and runs it with plain Node.
import { readFile, writeFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { parseArgs, type ParseArgsConfig } from 'node:util'
import { COMMAND_KINDS, COMMAND_SPECS, commandArgsHint, isCommandKind, parseCommandArgs } from '../main/core/protocol/command-kinds'
import { adminDownload, adminRequest, commandArg, type AdminClientOptions } from './admin-client'
import { generateOrReuseKey, publicKeyPemOf, spkiBase64 } from './key-files'
import { keyFingerprint } from '../main/core/protocol/key-fingerprint'
import { startReferenceServer, type ReferenceServerOptions } from './reference-server'

/** One line per command kind, from the protocol's registry: a new kind shows up here by itself. */
function commandLines(): string {
  const calls = COMMAND_KINDS.map((kind) => `${kind} ${commandArgsHint(kind)}`.trimEnd())
  const width = Math.max(...calls.map((call) => call.length)) + 3
  return COMMAND_KINDS.map((kind, i) => `      ${calls[i]!.padEnd(width)}${COMMAND_SPECS[kind].vi} / ${COMMAND_SPECS[kind].en}`).join('\n')
}

const USAGE = `Reference source server for Bảng tin điện tử (protocol v1)

  serve [--port 8080] [--host 127.0.0.1] [--key-file key.pem --key-id k1] [--generate-key DIR]
        [--tls-key key.pem --tls-cert cert.pem] [--device ID[:TOKEN] ...] [--publish FOLDER]
        [--admin-token T] [--manifest-ttl SECONDS]
      Prints "BANGTIN_SOURCE_URL <url> ADMIN_TOKEN <token>", then device tokens and the public key,
      then logs JSON lines on stderr.

  publish FOLDER [--device ID ...]
  emergency TITLE [BODY] [--ttl 3600] [--id ID] [--device ID ...]
  clear ID [--device ID ...]
  devices | acks | problems
  add-device ID [TOKEN]
  pairings | approve CODE DEVICE_ID [BOARD_NAME] [--rekey]
      --rekey replaces an already paired device's token (a swapped board); without it that is refused.
  command KIND [KEY=VALUE ...] [--device ID ...]
${commandLines()}
  uploads [--device ID] [--kind screenshot|logs]   what boards uploaded (screenshots, log bundles)
  download UPLOAD_ID FILE [--device ID]            save one (a .jpg, or a .gz of log text)
      Talk to a running server: --server URL --admin-token T [--ca cert.pem]
      (or the environment variables BANGTIN_SOURCE_URL and BANGTIN_ADMIN_TOKEN).
`

class UsageError extends Error {}

const clientOptions = {
  server: { type: 'string' },
  'admin-token': { type: 'string' },
  ca: { type: 'string' },
  device: { type: 'string', multiple: true },
  ttl: { type: 'string' },
  id: { type: 'string' },
  kind: { type: 'string' },
  rekey: { type: 'boolean' }
} satisfies ParseArgsConfig['options']

const serveOptions = {
  port: { type: 'string', default: '0' },
  host: { type: 'string', default: '127.0.0.1' },
  'key-file': { type: 'string' },
  'key-id': { type: 'string', default: 'k1' },
  'generate-key': { type: 'string' },
  'tls-key': { type: 'string' },
  'tls-cert': { type: 'string' },
  device: { type: 'string', multiple: true },
  publish: { type: 'string' },
  'admin-token': { type: 'string' },
  'manifest-ttl': { type: 'string' }
} satisfies ParseArgsConfig['options']

function integer(text: string | undefined, what: string): number | undefined {
  if (text === undefined) return undefined
  const value = Number(text)
  if (!Number.isInteger(value) || value < 0) throw new UsageError(`${what} must be a whole number, got ${text}`)
  return value
}

async function serve(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: serveOptions, strict: true, allowPositionals: false })
  const keyFile = values['key-file']
  const keyDir = values['generate-key']
  if (keyFile && keyDir) throw new UsageError('use --key-file or --generate-key, not both')
  if (Boolean(values['tls-key']) !== Boolean(values['tls-cert'])) throw new UsageError('--tls-key and --tls-cert go together')

  let signingKey: ReferenceServerOptions['signingKey'] = null
  let generatedNote: Record<string, unknown> | null = null
  if (keyFile) signingKey = { keyId: values['key-id'], privateKeyPem: await readFile(keyFile, 'utf8') }
  if (keyDir) {
    const key = await generateOrReuseKey(keyDir)
    signingKey = { keyId: values['key-id'], privateKeyPem: key.privateKeyPem }
    generatedNote = { dir: resolve(keyDir), generated: key.generated }
  }
  const tlsKey = values['tls-key']
  const tlsCert = values['tls-cert']
  const tls = tlsKey && tlsCert ? { key: await readFile(tlsKey, 'utf8'), cert: await readFile(tlsCert, 'utf8') } : undefined

  const manifestTtlSec = integer(values['manifest-ttl'], '--manifest-ttl')
  const server = await startReferenceServer({
    port: integer(values.port, '--port') ?? 0,
    host: values.host,
    signingKey,
    ...(manifestTtlSec === undefined ? {} : { manifestTtlSec }),
    ...(tls ? { tls } : {}),
    ...(values['admin-token'] ? { adminToken: values['admin-token'] } : {}),
    logger: (line) => process.stderr.write(`${line}\n`)
  })
  const shutdown = () => void server.close().finally(() => process.exit(0))
  process.once('SIGINT', shutdown)
  process.once('SIGTERM', shutdown)

  try {
    const devices = (values.device ?? []).map((spec) => {
      const colon = spec.indexOf(':')
      return colon < 0 ? server.addDevice(spec) : server.addDevice(spec.slice(0, colon), spec.slice(colon + 1))
    })
    const version = values.publish ? await server.publishFolder(values.publish) : null
    const lines = [`BANGTIN_SOURCE_URL ${server.url} ADMIN_TOKEN ${server.adminToken}`]
    for (const device of devices) lines.push(`DEVICE ${device.deviceId} TOKEN ${device.token}`)
    if (version !== null) lines.push(`PUBLISHED ${version}`)
    if (signingKey) {
      const publicKeyPem = publicKeyPemOf(signingKey.privateKeyPem)
      lines.push(`SIGNING_KEY_ID ${signingKey.keyId} PUBLIC_KEY_SPKI_BASE64 ${spkiBase64(publicKeyPem)}`)
      // What a board shows on its pairing screen: print it for installers to compare.
      lines.push(`KEY_FINGERPRINT ${keyFingerprint(publicKeyPem)}`)
      lines.push(publicKeyPem.trimEnd())
    }
    process.stdout.write(`${lines.join('\n')}\n`)
    if (generatedNote) process.stderr.write(`${JSON.stringify({ at: new Date().toISOString(), level: 'info', event: 'signing-key', ...generatedNote })}\n`)
  } catch (error) {
    await server.close()
    throw error
  }
}

function clientFrom(values: { server?: string; 'admin-token'?: string; ca?: string | undefined }, ca: string | undefined): AdminClientOptions {
  const server = values.server ?? process.env.BANGTIN_SOURCE_URL
  const adminToken = values['admin-token'] ?? process.env.BANGTIN_ADMIN_TOKEN
  if (!server) throw new UsageError('which server? pass --server URL or set BANGTIN_SOURCE_URL')
  if (!adminToken) throw new UsageError('pass --admin-token T or set BANGTIN_ADMIN_TOKEN')
  return { server, adminToken, ...(ca ? { ca } : {}) }
}

async function client(command: string, args: string[]): Promise<unknown> {
  const { values, positionals } = parseArgs({ args, options: clientOptions, strict: true, allowPositionals: true })
  const ca = values.ca ? await readFile(values.ca, 'utf8') : undefined
  const options = clientFrom(values, ca)
  const deviceIds = values.device && values.device.length > 0 ? { deviceIds: values.device } : {}
  const [first, second, third] = positionals
  switch (command) {
    case 'publish':
      if (!first) throw new UsageError('publish FOLDER')
      // The folder is read by the server, so send an absolute path (the server's cwd may differ).
      return adminRequest(options, 'POST', '/admin/publish', { folder: resolve(first), ...deviceIds })
    case 'emergency': {
      if (!first) throw new UsageError('emergency TITLE [BODY]')
      const ttlSec = integer(values.ttl, '--ttl')
      return adminRequest(options, 'POST', '/admin/emergency', {
        title: first,
        ...(second === undefined ? {} : { body: second }),
        ...(ttlSec === undefined ? {} : { ttlSec }),
        ...(values.id ? { id: values.id } : {}),
        ...deviceIds
      })
    }
    case 'clear':
      if (!first) throw new UsageError('clear ID')
      return adminRequest(options, 'POST', '/admin/emergency/clear', { id: first, ...deviceIds })
    case 'devices':
    case 'acks':
    case 'problems':
      return adminRequest(options, 'GET', `/admin/${command}`)
    case 'pairings':
      return adminRequest(options, 'GET', '/admin/pairings')
    case 'command': {
      if (!first) throw new UsageError('command KIND [KEY=VALUE ...]')
      if (!isCommandKind(first)) throw new UsageError(`unknown command kind ${first} (boards know ${COMMAND_KINDS.join(', ')})`)
      const args = Object.fromEntries(positionals.slice(1).map((pair) => [pair.split('=')[0] ?? pair, commandArg(pair.split('=').slice(1).join('='))]))
      const checked = parseCommandArgs(first, args)
      if (!checked.ok) throw new UsageError(`command ${first}: ${checked.detail.replace(/^refused: /, '')}`)
      return adminRequest(options, 'POST', '/admin/command', { kind: first, args, ...deviceIds })
    }
    case 'uploads': {
      const query = new URLSearchParams({ ...(values.device?.[0] ? { deviceId: values.device[0] } : {}), ...(values.kind ? { kind: values.kind } : {}) })
      return adminRequest(options, 'GET', `/admin/uploads${query.size > 0 ? `?${query}` : ''}`)
    }
    case 'download': {
      if (!first || !second) throw new UsageError('download UPLOAD_ID FILE')
      const device = values.device?.[0] ? `?deviceId=${encodeURIComponent(values.device[0])}` : ''
      const bytes = await adminDownload(options, `/admin/uploads/${encodeURIComponent(first)}${device}`)
      await writeFile(second, bytes)
      return { id: first, file: resolve(second), bytes: bytes.length }
    }
    case 'approve':
      if (!first || !second) throw new UsageError('approve CODE DEVICE_ID [BOARD_NAME] [--rekey]')
      return adminRequest(options, 'POST', '/admin/pairings/approve', {
        code: first,
        deviceId: second,
        ...(third === undefined ? {} : { boardName: third }),
        ...(values.rekey ? { rekey: true } : {})
      })
    case 'add-device':
      if (!first) throw new UsageError('add-device ID [TOKEN]')
      return adminRequest(options, 'POST', '/admin/devices', { deviceId: first, ...(second === undefined ? {} : { token: second }) })
    default:
      throw new UsageError(`unknown command ${command}`)
  }
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv
  if (!command || command === 'help' || command === '--help' || command === '-h') {
    process.stdout.write(USAGE)
    return
  }
  if (command === 'serve') return serve(rest)
  const answer = await client(command, rest)
  process.stdout.write(`${JSON.stringify(answer, null, 2)}\n`)
}

main(process.argv.slice(2)).catch((error: unknown) => {
  const usage = error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${usage ? `\n${USAGE}` : ''}`)
  process.exit(usage ? 2 : 1)
})
