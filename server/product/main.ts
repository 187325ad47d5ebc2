// The source server as a district centre runs it: `npm run server -- --data-dir DIR` (serve, durable),
// `… backup FILE`, `… restore FILE`. Built to out/server/product.js (scripts/build-server.mjs), run by Node.
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { parseArgs, type ParseArgsConfig } from 'node:util'
import { keyFingerprint } from '../../main/core/protocol/key-fingerprint'
import { openSqlite } from '../db/database'
import { generateOrReuseKey, PRIVATE_KEY_FILE, publicKeyPemOf, spkiBase64 } from '../key-files'
import { startReferenceServer } from '../reference-server'
import { writeAudit } from '../api/audit'
import { adminToken } from '../store/settings'
import { removeLeftovers } from '../store/files'
import { sweepMedia } from '../store/media-gc'
import { backup, restore } from './backup'
import { checkKeyFile, DATABASE_FILE, lockDataDir, prepareDataDir, ProductError } from './data-dir'
import { firstAdministrator } from './first-administrator'
import { productServices, ServerHolder } from './services'

const USAGE = `Máy chủ nguồn Bảng tin điện tử / Bảng tin source server

  npm run server -- --data-dir DIR [--host 127.0.0.1] [--port 8080] [--key-file key.pem] [--key-id k1]
                    [--tls-key key.pem --tls-cert cert.pem] [--manifest-ttl SECONDS] [--console DIR]
                    [--storage-reserve-mb MB] [--admin-api loopback|off]
      First start creates DIR (0700), its database and the province signing key (DIR/${PRIVATE_KEY_FILE}, 0600).
      Serves the web console at /console/ (--console DIR: another build of it).
      Uploads are refused (507 storage-full) when they would leave less than the reserve free on DIR's disk
      (default: 1 GiB or 5 % of the disk, the smaller).
      The admin API (/admin/…, ADMIN_TOKEN: for scripts) answers only on this machine, every change audited;
      --admin-api off turns it off (then ADMIN_TOKEN prints as -).
      Prints "BANGTIN_SOURCE_URL <url> ADMIN_TOKEN <token>" (and, at the first start only, "FIRST_ADMIN quantri
      ONE_TIME_PASSWORD <password>": sign in with it and change it), then logs JSON lines on stderr.
  npm run server -- gc --data-dir DIR    deletes media nothing uses any more (refused while a server runs on DIR;
                                        a server also does it each time it starts)
  npm run server -- backup FILE --data-dir DIR      a consistent copy while the server runs (database, media, key)
  npm run server -- restore FILE --data-dir DIR [--force]   refused while a server runs on DIR
`

const options = {
  'data-dir': { type: 'string' },
  host: { type: 'string', default: '127.0.0.1' },
  port: { type: 'string', default: '8080' },
  'key-file': { type: 'string' },
  'key-id': { type: 'string', default: 'k1' },
  'tls-key': { type: 'string' },
  'tls-cert': { type: 'string' },
  'manifest-ttl': { type: 'string' },
  /** The console's build (npm run build:console); default: out/console beside the built server. */
  console: { type: 'string' },
  'storage-reserve-mb': { type: 'string' },
  force: { type: 'boolean' },
  'admin-api': { type: 'string', default: 'loopback' }
} satisfies ParseArgsConfig['options']

class UsageError extends Error {}

function integer(text: string | undefined, what: string): number | undefined {
  if (text === undefined) return undefined
  const value = Number(text)
  if (!Number.isInteger(value) || value < 0) throw new UsageError(`${what} must be a whole number, got ${text}`)
  return value
}

async function serve(values: ReturnType<typeof parse>['values'], dataDirArg: string): Promise<void> {
  if (Boolean(values['tls-key']) !== Boolean(values['tls-cert'])) throw new UsageError('--tls-key and --tls-cert go together')
  const dataDir = await prepareDataDir(dataDirArg)
  const release = await lockDataDir(dataDir)
  // Whatever a kill left half-written never carried a final name: remove it.
  for (const folder of ['media', 'uploads']) await removeLeftovers(join(dataDir, folder))
  const keyFile = values['key-file'] ?? join(dataDir, PRIVATE_KEY_FILE)
  if (!values['key-file']) await generateOrReuseKey(dataDir)
  await checkKeyFile(keyFile)
  const signingKey = { keyId: values['key-id'], privateKeyPem: await readFile(keyFile, 'utf8') }
  const tls = values['tls-key'] && values['tls-cert'] ? { key: await readFile(values['tls-key'], 'utf8'), cert: await readFile(values['tls-cert'], 'utf8') } : undefined

  const reach = values['admin-api']
  if (reach !== 'loopback' && reach !== 'off') throw new UsageError(`--admin-api is loopback or off, got ${reach}`)
  const database = await openSqlite(join(dataDir, DATABASE_FILE))
  // Before the state is loaded and before anything listens: no upload or publication can be half-recorded.
  const swept = await sweepMedia(database.db, dataDir, Date.now())
  const token = await adminToken(database.db)
  const first = await firstAdministrator(database.db)
  const manifestTtlSec = integer(values['manifest-ttl'], '--manifest-ttl')
  const log = (line: string) => process.stderr.write(`${line}\n`)
  const holder = new ServerHolder()
  const reserveMb = integer(values['storage-reserve-mb'], '--storage-reserve-mb')
  const rooms = productServices({ db: database.db, dataDir, holder, ...(reserveMb === undefined ? {} : { storageReserveBytes: reserveMb * 1024 * 1024 }), onError: (error, route) => log(JSON.stringify({ level: 'error', event: 'console-api', route, error: String((error as Error)?.stack ?? error) })) })
  for (const line of await rooms.start()) log(line)
  const server = await startReferenceServer({
    port: integer(values.port, '--port') ?? 8080,
    host: values.host,
    signingKey,
    adminToken: token,
    adminApi: {
      reach,
      // The token bypasses roles and approval: whatever it changed is in the audit log, as the console's changes are.
      onChange: ({ method, path, address, status }) =>
        void writeAudit(database.db, { actor: null, address, action: 'admin-api', target: `${method} ${path}`, targetUnitId: null, detail: { status, via: 'admin-token' }, at: Date.now() }).catch(
          (error: unknown) => log(JSON.stringify({ level: 'error', event: 'audit-failed', path, error: String(error) }))
        )
    },
    database: { db: database.db, dataDir },
    consoleApi: rooms.consoleApi,
    // The console's pages are served by the same server (out/server/product.js → out/console).
    consoleStatic: values.console ?? join(__dirname, '..', 'console'),
    ...(manifestTtlSec === undefined ? {} : { manifestTtlSec }),
    ...(tls ? { tls } : {}),
    logger: log
  })
  holder.set(server)
  const shutdown = () =>
    void server
      .close()
      .then(() => database.close())
      .then(release)
      .finally(() => process.exit(0))
  process.once('SIGINT', shutdown)
  process.once('SIGTERM', shutdown)

  const publicKeyPem = publicKeyPemOf(signingKey.privateKeyPem)
  const lines = [`BANGTIN_SOURCE_URL ${server.url} ADMIN_TOKEN ${reach === 'off' ? '-' : server.adminToken}`]
  if (swept.deletedFiles > 0) log(JSON.stringify({ level: 'info', event: 'media-swept', ...swept }))
  if (first) lines.push(`FIRST_ADMIN ${first.username} ONE_TIME_PASSWORD ${first.oneTimePassword}`)
  lines.push(`SIGNING_KEY_ID ${signingKey.keyId} PUBLIC_KEY_SPKI_BASE64 ${spkiBase64(publicKeyPem)}`)
  lines.push(`KEY_FINGERPRINT ${keyFingerprint(publicKeyPem)}`)
  process.stdout.write(`${lines.join('\n')}\n`)
}

function parse(args: string[]) {
  return parseArgs({ args, options, strict: true, allowPositionals: true })
}

async function main(argv: string[]): Promise<void> {
  // Everything the product writes (database, WAL, media, uploads, backups) is for its owner only.
  process.umask(0o077)
  if (argv.includes('--help') || argv.includes('-h') || argv[0] === 'help') return void process.stdout.write(USAGE)
  const { values, positionals } = parse(argv)
  const dataDir = values['data-dir']
  if (!dataDir) throw new UsageError('--data-dir DIR is required')
  const [command, file] = positionals
  if (command === undefined || command === 'serve') return serve(values, dataDir)
  if (command === 'gc') {
    const dir = await prepareDataDir(dataDir)
    const release = await lockDataDir(dir)
    const database = await openSqlite(join(dir, DATABASE_FILE))
    try {
      return void process.stdout.write(`${JSON.stringify(await sweepMedia(database.db, dir, Date.now()))}\n`)
    } finally {
      await database.close()
      await release()
    }
  }
  if (!file) throw new UsageError(`${command} FILE`)
  if (command === 'backup') {
    const done = await backup(await prepareDataDir(dataDir), file)
    return void process.stdout.write(`${JSON.stringify(done)}\n`)
  }
  if (command === 'restore') {
    const done = await restore(file, await prepareDataDir(dataDir), { force: values.force === true })
    return void process.stdout.write(`${JSON.stringify(done)}\n`)
  }
  throw new UsageError(`unknown command ${command}`)
}

main(process.argv.slice(2)).catch((error: unknown) => {
  const usage = error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')
  const message = error instanceof ProductError ? `${error.vi}\n${error.en}` : error instanceof Error ? error.message : String(error)
  process.stderr.write(`${message}\n${usage ? `\n${USAGE}` : ''}`)
  process.exit(usage ? 2 : 1)
})
