// A small client of a running reference server's admin API (/admin/…), for the CLI's subcommands.
// node:http(s) rather than fetch, so a self-signed lab certificate can be trusted with --ca.
import { request as httpRequest } from 'node:http'
import { request as httpsRequest } from 'node:https'

export interface AdminClientOptions {
  server: string
  adminToken: string
  /** PEM of a CA or self-signed certificate to trust for https. */
  ca?: string
}

export class AdminError extends Error {
  constructor(
    readonly status: number,
    message: string
  ) {
    super(message)
  }
}

const TIMEOUT_MS = 60_000

/** One admin request; resolves with the raw answer of any status. */
function send(options: AdminClientOptions, method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; bytes: Buffer; url: URL }> {
  const url = new URL(path, options.server)
  const payload = body === undefined ? undefined : JSON.stringify(body)
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method,
        timeout: TIMEOUT_MS,
        ...(options.ca ? { ca: options.ca } : {}),
        headers: {
          Authorization: `Bearer ${options.adminToken}`,
          ...(payload === undefined ? {} : { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) })
        }
      },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (chunk: Buffer) => chunks.push(chunk))
        res.on('error', reject)
        res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes: Buffer.concat(chunks), url }))
      }
    )
    req.on('timeout', () => req.destroy(new Error(`${method} ${url.pathname}: no answer in ${TIMEOUT_MS / 1000} s`)))
    req.on('error', reject)
    req.end(payload)
  })
}

function failure(method: string, url: URL, status: number, bytes: Buffer): AdminError {
  const text = bytes.toString('utf8')
  let message = text
  try {
    message = (JSON.parse(text) as { error?: { message?: string } }).error?.message ?? text
  } catch {
    // not JSON: the text is the message
  }
  return new AdminError(status, `${method} ${url.pathname}: ${status} ${message}`)
}

export async function adminRequest(options: AdminClientOptions, method: 'GET' | 'POST', path: string, body?: unknown): Promise<unknown> {
  const { status, bytes, url } = await send(options, method, path, body)
  if (status < 200 || status >= 300) throw failure(method, url, status, bytes)
  const text = bytes.toString('utf8')
  try {
    return text ? JSON.parse(text) : null
  } catch {
    return text
  }
}

/** GET of a file (an uploaded screenshot or log bundle), as bytes. */
export async function adminDownload(options: AdminClientOptions, path: string): Promise<Buffer> {
  const { status, bytes, url } = await send(options, 'GET', path)
  if (status < 200 || status >= 300) throw failure('GET', url, status, bytes)
  return bytes
}

/** A command argument typed as KEY=VALUE: numbers and true/false keep their type (set-volume volume=0.3). */
export function commandArg(text: string): string | number | boolean {
  if (text === 'true' || text === 'false') return text === 'true'
  return text.trim() !== '' && Number.isFinite(Number(text)) ? Number(text) : text
}
