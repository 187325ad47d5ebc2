// Small HTTP helpers shared by the device API and the admin API: JSON answers, the protocol's
// ApiError body, bounded request bodies, Bearer tokens.
import { timingSafeEqual } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { ApiError } from '../main/core/protocol/api'

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body)
  res.writeHead(status, { ...headers, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-store' })
  res.end(text)
}

/** Every non-2xx JSON answer has the protocol's ApiError shape. */
export function sendError(res: ServerResponse, status: number, code: string, message: string, headers: Record<string, string> = {}): void {
  const body: ApiError = { error: { code, message: message.slice(0, 2000) } }
  sendJson(res, status, body, headers)
}

export class BodyError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string
  ) {
    super(message)
  }
}

/** Reads a body of at most `limit` bytes; throws BodyError (413) otherwise. */
export async function readRawBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'])
  if (Number.isFinite(declared) && declared > limit) {
    req.resume()
    throw new BodyError(413, 'too-large', `body over ${limit} bytes`)
  }
  const chunks: Buffer[] = []
  let total = 0
  for await (const chunk of req) {
    total += (chunk as Buffer).length
    if (total > limit) {
      req.resume()
      throw new BodyError(413, 'too-large', `body over ${limit} bytes`)
    }
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks)
}

/** Reads a JSON body of at most `limit` bytes; throws BodyError (413, 400) otherwise. */
export async function readJsonBody(req: IncomingMessage, limit: number): Promise<unknown> {
  return parseJsonBody(await readRawBody(req, limit))
}

/** JSON.parse of a body; throws BodyError (400) when it is not JSON. */
export function parseJsonBody(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'))
  } catch {
    throw new BodyError(400, 'bad-json', 'body is not JSON')
  }
}

export function bearerToken(req: IncomingMessage): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '')
  return match?.[1] ?? null
}

/** Compares secrets in constant time, so the admin token cannot be guessed byte by byte. */
export function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given)
  const b = Buffer.from(expected)
  return a.length === b.length && timingSafeEqual(a, b)
}
