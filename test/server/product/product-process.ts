// The product server (out/server/product.js, built by scripts/build-server.mjs) as a real child process,
// and the requests a board and an operator make to it, for the product's tests.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { once } from 'node:events'
import { rm } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { createInterface } from 'node:readline'
import { build } from 'esbuild'
import { rawRequest, type RawResponse } from '../helpers'

export const ROOT = join(__dirname, '..', '..', '..')
/** Each test file builds its own copy (as scripts/build-server.mjs does), so files running side by side never run a half-written build. */
export const PRODUCT = join(ROOT, 'out', 'test-product', `${process.pid}-${randomBytes(4).toString('hex')}`, 'product.js')

export async function buildProduct(): Promise<void> {
  await build({ entryPoints: [join(ROOT, 'server', 'product', 'main.ts')], outfile: PRODUCT, bundle: true, platform: 'node', target: 'node20', format: 'cjs', packages: 'external', logLevel: 'warning' })
}

export async function removeBuild(): Promise<void> {
  await rm(dirname(PRODUCT), { recursive: true, force: true })
}

export interface Product {
  url: string
  adminToken: string
  child: ChildProcessWithoutNullStreams
  stderr(): string
}

export function runProduct(args: string[]): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, [PRODUCT, ...args], { cwd: ROOT, stdio: 'pipe' })
}

/** Starts `product.js --data-dir DIR --port 0` and reads its first line. */
export async function startProduct(dataDir: string): Promise<Product> {
  const child = runProduct(['--data-dir', dataDir, '--port', '0'])
  let stderr = ''
  child.stderr.on('data', (data: Buffer) => (stderr += data.toString()))
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]()
  const first = (await lines.next()).value as string | undefined
  const match = /^BANGTIN_SOURCE_URL (http:\/\/127\.0\.0\.1:\d+) ADMIN_TOKEN (\S+)$/.exec(first ?? '')
  if (!match) throw new Error(`first line: ${first}\nstderr: ${stderr}`)
  // Keep reading so the child never blocks on a full pipe.
  void (async () => {
    for (let next = await lines.next(); !next.done; next = await lines.next());
  })()
  return { url: match[1]!, adminToken: match[2]!, child, stderr: () => stderr }
}

export async function kill9(product: Product): Promise<void> {
  if (product.child.exitCode !== null || product.child.signalCode !== null) return
  const exited = once(product.child, 'exit')
  product.child.kill('SIGKILL')
  await exited
}

export function admin(product: Product, method: string, path: string, body?: unknown): Promise<RawResponse> {
  return rawRequest(`${product.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${product.adminToken}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) })
  })
}

export function json<T>(res: RawResponse): T {
  return JSON.parse(res.body.toString()) as T
}
