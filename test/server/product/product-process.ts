// The product server (out/server/product.js, built by scripts/build-server.mjs) as a real child process,
// and the requests a board and an operator make to it, for the product's tests.
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { once } from 'node:events'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { rawRequest, type RawResponse } from '../helpers'

export const ROOT = join(__dirname, '..', '..', '..')
export const PRODUCT = join(ROOT, 'out', 'server', 'product.js')

export function buildProduct(): void {
  const built = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build-server.mjs')], { cwd: ROOT, encoding: 'utf8' })
  if (built.status !== 0) throw new Error(`building the server failed: ${built.stderr}`)
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
