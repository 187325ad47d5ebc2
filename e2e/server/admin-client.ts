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

export function adminRequest(options: AdminClientOptions, method: 'GET' | 'POST', path: string, body?: unknown): Promise<unknown> {
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
          Accept: 'application/json',
          ...(payload === undefined ? {} : { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) })
        }
      },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (chunk: Buffer) => chunks.push(chunk))
        res.on('error', reject)
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8')
          let json: unknown = null
          try {
            json = text ? JSON.parse(text) : null
          } catch {
            json = text
          }
          const status = res.statusCode ?? 0
          if (status >= 200 && status < 300) return resolve(json)
          const message = (json as { error?: { message?: string } } | null)?.error?.message ?? text
          reject(new AdminError(status, `${method} ${url.pathname}: ${status} ${message}`))
        })
      }
    )
    req.on('timeout', () => req.destroy(new Error(`${method} ${url.pathname}: no answer in ${TIMEOUT_MS / 1000} s`)))
    req.on('error', reject)
    req.end(payload)
  })
}
