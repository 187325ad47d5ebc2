// Signs update metadata (latest.yml, latest-linux.yml) with the province's offline Ed25519 update key,
// writing `<file>.sig` beside each; boards refuse metadata without one. Run it on the offline machine:
//   npm run sign-update -- --key /media/usb/update-signing-key.pem latest-linux.yml latest.yml
//   npm run sign-update -- --generate-key /media/usb            (once: a new key pair, private key 0600)
import { createHash, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto'
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises'
import { basename, join } from 'node:path'
import { parseArgs } from 'node:util'
import { generateSigningKey, trustedKeysFrom } from '../main/core/protocol/signing'
import { DEFAULT_VALIDITY_DAYS, MAX_VALIDITY_DAYS, SIGNATURE_SUFFIX, signUpdateMetadata, verifyUpdateMetadata } from '../main/electron/updater/metadata-signature'

const USAGE = `Ký siêu dữ liệu cập nhật / Sign update metadata
  npm run sign-update -- --key FILE [--key-id ID] [--valid-days ${DEFAULT_VALIDITY_DAYS}] latest-linux.yml [latest.yml ...]
  npm run sign-update -- --generate-key DIR [--key-id ID]
Writes <file>${SIGNATURE_SUFFIX} beside each file. The key id defaults to one derived from the public key.
The signature is valid for --valid-days (at most ${MAX_VALIDITY_DAYS}): sign the feed again before then, even
without a new version, or boards refuse it as stale (so a feed held back cannot freeze them unseen).`

const PRIVATE_KEY_FILE = 'update-signing-key.pem'
const PUBLIC_KEY_FILE = 'update-public-key.pem'

/** A key id anyone can recompute from the public key: the province need not keep a separate list. */
function defaultKeyId(publicKey: KeyObject): string {
  const der = publicKey.export({ type: 'spki', format: 'der' })
  return `capnhat-${createHash('sha256').update(der).digest('hex').slice(0, 16)}`
}

const spkiBase64 = (publicKey: KeyObject): string => publicKey.export({ type: 'spki', format: 'der' }).toString('base64')

function fail(message: string): never {
  process.stderr.write(`${message}\n`)
  process.exit(1)
}

/** As ssh does: a private key others can read is not used. */
async function readPrivateKey(path: string): Promise<KeyObject> {
  const mode = (await stat(path)).mode
  if (process.platform !== 'win32' && (mode & 0o077) !== 0) {
    fail(`Khoá ${path} có quyền 0${(mode & 0o777).toString(8)}: người khác đọc được; chạy chmod 600 / Key ${path} has mode 0${(mode & 0o777).toString(8)}: readable by others; run chmod 600`)
  }
  const key = createPrivateKey(await readFile(path, 'utf8'))
  if (key.asymmetricKeyType !== 'ed25519') fail(`${path}: khoá ${key.asymmetricKeyType}, không phải Ed25519 / a ${key.asymmetricKeyType} key, not Ed25519`)
  return key
}

async function generate(dir: string, keyId: string | undefined): Promise<void> {
  await mkdir(dir, { recursive: true })
  const pair = generateSigningKey()
  // Never overwrite: replacing a key boards already trust would lock them out of every update.
  try {
    await writeFile(join(dir, PRIVATE_KEY_FILE), pair.privateKeyPem, { mode: 0o600, flag: 'wx' })
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') fail(`${join(dir, PRIVATE_KEY_FILE)} đã có, không ghi đè / already exists, not overwritten`)
    throw error
  }
  await chmod(join(dir, PRIVATE_KEY_FILE), 0o600) // the umask may have widened it
  await writeFile(join(dir, PUBLIC_KEY_FILE), pair.publicKeyPem, { mode: 0o644 })
  const publicKey = createPublicKey(pair.publicKeyPem)
  const id = keyId ?? defaultKeyId(publicKey)
  process.stdout.write(
    `${join(dir, PRIVATE_KEY_FILE)} (0600: keep it offline) and ${join(dir, PUBLIC_KEY_FILE)} written.\n` +
      `For each board's shell.json:\n` +
      `  "updates": { "trustedKeys": [{ "keyId": "${id}", "publicKey": "${spkiBase64(publicKey)}" }] }\n`
  )
}

async function signFiles(keyPath: string, keyId: string | undefined, validDays: number, files: string[]): Promise<void> {
  if (files.length === 0) fail(USAGE)
  if (!Number.isInteger(validDays) || validDays < 1 || validDays > MAX_VALIDITY_DAYS) fail(`--valid-days: 1–${MAX_VALIDITY_DAYS}`)
  const privateKey = await readPrivateKey(keyPath)
  const publicKey = createPublicKey(privateKey)
  const id = keyId ?? defaultKeyId(publicKey)
  const trust = { keys: trustedKeysFrom([{ keyId: id, publicKey: spkiBase64(publicKey) }]), allowUnsigned: false }
  for (const path of files) {
    const bytes = await readFile(path)
    const file = basename(path)
    const version = /^version:\s*['"]?([^'"\s]+)/m.exec(bytes.toString('utf8'))?.[1]
    if (!version) fail(`${path}: không có dòng "version:" — có phải siêu dữ liệu cập nhật? / no "version:" line: is this update metadata?`)
    const signature = signUpdateMetadata(file, bytes, id, privateKey, { validDays })
    // Checked as a board will check it, before anything is published.
    verifyUpdateMetadata(file, bytes, JSON.stringify(signature), trust)
    await writeFile(`${path}${SIGNATURE_SUFFIX}`, `${JSON.stringify(signature)}\n`)
    process.stdout.write(`${file} (version ${version}) signed with key ${id}, valid until ${signature.expiresAt.slice(0, 10)} → ${file}${SIGNATURE_SUFFIX}\n`)
  }
  process.stdout.write('Upload the installers first, then each .yml together with its .sig (a board that sees one without the other refuses and tries again at its next check).\n')
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { key: { type: 'string' }, 'key-id': { type: 'string' }, 'valid-days': { type: 'string' }, 'generate-key': { type: 'string' }, help: { type: 'boolean' } }
  })
  if (values.help) return void process.stdout.write(`${USAGE}\n`)
  if (values['generate-key']) return generate(values['generate-key'], values['key-id'])
  if (!values.key) fail(USAGE)
  await signFiles(values.key, values['key-id'], Number(values['valid-days'] ?? DEFAULT_VALIDITY_DAYS), positionals)
}

main().catch((error: Error) => fail(error.message))
