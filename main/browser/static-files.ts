// Serves files over loopback HTTP with single-range support (video elements seek and buffer with Range).
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { parseRange } from '../core/protocol/http-range'

const MIME_BY_EXTENSION: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.json': 'application/json'
}

export function mimeFor(path: string): string {
  const dot = path.lastIndexOf('.')
  return (dot >= 0 && MIME_BY_EXTENSION[path.slice(dot).toLowerCase()]) || 'application/octet-stream'
}

export async function sendFile(
  request: IncomingMessage,
  response: ServerResponse,
  path: string,
  headers: Record<string, string>
): Promise<void> {
  const { size } = await stat(path)
  const range = parseRange(request.headers.range, size)
  const common = { ...headers, 'Accept-Ranges': 'bytes' }
  if (range === 'unsatisfiable') {
    response.writeHead(416, { ...common, 'Content-Range': `bytes */${size}` }).end()
    return
  }
  const { start, end } = range ?? { start: 0, end: size - 1 }
  const status = range ? 206 : 200
  response.writeHead(status, {
    ...common,
    'Content-Length': String(end - start + 1),
    ...(range ? { 'Content-Range': `bytes ${start}-${end}/${size}` } : {})
  })
  if (request.method === 'HEAD' || size === 0) {
    response.end()
    return
  }
  const stream = createReadStream(path, { start, end })
  stream.on('error', () => response.destroy())
  stream.pipe(response)
}
