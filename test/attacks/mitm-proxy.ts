// A keyless man-in-the-middle on 127.0.0.1 in front of the real reference server: it passes everything on
// (WebSocket upgrades as raw bytes), keeps every manifest answer it saw, and can answer a manifest request
// with any body it kept, and rewrite or drop the unsigned Date header. It holds no signing key.
import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http'
import { connect, type AddressInfo, type Socket } from 'node:net'

export interface SeenManifest {
  path: string
  status: number
  body: string
}

export interface MitmProxy {
  url: string
  /** Every 200 manifest answer passed through, oldest first. */
  readonly manifests: SeenManifest[]
  /** Answer manifest requests with this body (200, no ETag) instead of asking the server; null: pass on. */
  replayManifest: string | null
  /** Rewrites the Date header of every answer (undefined: drop it); null: leave it. */
  rewriteDate: ((date: string | undefined) => string | undefined) | null
  close(): Promise<void>
}

export async function startMitmProxy(upstream: string): Promise<MitmProxy> {
  const target = new URL(upstream)
  const sockets = new Set<Socket>()
  const proxy: MitmProxy = {
    url: '',
    manifests: [],
    replayManifest: null,
    rewriteDate: null,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      })
  }
  const headersOut = (headers: IncomingHttpHeaders): IncomingHttpHeaders => {
    if (!proxy.rewriteDate) return headers
    const { date, ...rest } = headers
    const rewritten = proxy.rewriteDate(date)
    return rewritten === undefined ? rest : { ...rest, date: rewritten }
  }
  const isManifest = (path: string) => /\/manifest$/.test(path.split('?')[0] ?? '')
  const server: Server = createServer((req, res) => {
    const path = req.url ?? '/'
    if (isManifest(path) && proxy.replayManifest !== null) {
      req.resume()
      const body = proxy.replayManifest
      // sendDate off, so the Date header is the proxy's to choose (or to leave out).
      res.sendDate = false
      res.writeHead(200, headersOut({ 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), date: new Date().toUTCString() }))
      res.end(body)
      return
    }
    const forward = request({ host: target.hostname, port: target.port, method: req.method, path, headers: req.headers }, (answer) => {
      const chunks: Buffer[] = []
      answer.on('data', (chunk: Buffer) => chunks.push(chunk))
      answer.on('end', () => {
        const body = Buffer.concat(chunks)
        if (isManifest(path) && answer.statusCode === 200) proxy.manifests.push({ path, status: 200, body: body.toString('utf8') })
        res.sendDate = false
        res.writeHead(answer.statusCode ?? 502, headersOut(answer.headers))
        res.end(body)
      })
      answer.on('error', () => res.destroy())
    })
    forward.on('error', () => res.destroy())
    req.pipe(forward)
  })
  // socket.io's WebSocket: the handshake and every frame pass through untouched.
  server.on('upgrade', (req, client: Socket, head: Buffer) => {
    const up = connect(Number(target.port), target.hostname, () => {
      const lines = [`${req.method} ${req.url} HTTP/1.1`, ...Object.entries(req.headers).flatMap(([k, v]) => (Array.isArray(v) ? v.map((x) => `${k}: ${x}`) : [`${k}: ${v}`]))]
      up.write(lines.join('\r\n') + '\r\n\r\n')
      if (head.length > 0) up.write(head)
      up.pipe(client)
      client.pipe(up)
    })
    for (const s of [up, client]) {
      sockets.add(s)
      s.on('close', () => sockets.delete(s))
      s.on('error', () => (up.destroy(), client.destroy()))
    }
  })
  server.on('connection', (socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return proxy
}
