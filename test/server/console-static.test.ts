// The console's static files (server/console-static.ts) through a real reference server: app routes get
// index.html, hashed assets are cached for good and the rest never, every answer carries the strict CSP,
// and no path (encoded, doubled, backslashed, through a symlink) reaches a file outside the folder.
import { request } from 'node:http'
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CONSOLE_CSP } from '../../server/console-static'
import { startReferenceServer, type ReferenceServer } from '../../server/reference-server'

interface Answer {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
}

let base: string
let dir: string
let server: ReferenceServer
let noBuild: ReferenceServer

/** A raw request line: the path goes out exactly as written (no URL normalisation of `..`). */
function raw(target: ReferenceServer, path: string, method = 'GET', headers: Record<string, string> = {}): Promise<Answer & { bytes: Buffer }> {
  const url = new URL(target.url)
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path, method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => {
        const bytes = Buffer.concat(chunks)
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: bytes.toString('utf8'), bytes })
      })
    })
    req.on('error', reject)
    req.end()
  })
}

beforeAll(async () => {
  base = mkdtempSync(join(tmpdir(), 'console-static-'))
  dir = join(base, 'console')
  mkdirSync(join(dir, 'assets'), { recursive: true })
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>app</title>')
  writeFileSync(join(dir, 'preview.html'), '<!doctype html><title>preview</title>')
  writeFileSync(join(dir, 'assets', 'index-AbC12_-z.js'), 'console.log(1)')
  writeFileSync(join(dir, 'assets', 'logo.svg'), '<svg/>')
  writeFileSync(join(dir, '.hidden'), 'hidden')
  writeFileSync(join(base, 'secret.txt'), 'SECRET')
  symlinkSync(join(base, 'secret.txt'), join(dir, 'assets', 'link.txt'))
  server = await startReferenceServer({ consoleStatic: dir })
  noBuild = await startReferenceServer({ consoleStatic: join(base, 'missing') })
})

afterAll(async () => {
  await server.close()
  await noBuild.close()
  rmSync(base, { recursive: true, force: true })
})

describe('console static files', () => {
  it('answers index.html for the app and its routes, never cached, with the strict headers', async () => {
    for (const path of ['/console/', '/console/users', '/console/boards/abc-123', '/console/sign-in?next=1']) {
      const answer = await raw(server, path)
      expect(answer.status, path).toBe(200)
      expect(answer.body).toContain('<title>app</title>')
      expect(answer.headers['content-type']).toBe('text/html; charset=utf-8')
      expect(answer.headers['cache-control']).toBe('no-store')
      expect(answer.headers['content-security-policy']).toBe(CONSOLE_CSP)
      expect(answer.headers['x-content-type-options']).toBe('nosniff')
      expect(answer.headers['referrer-policy']).toBe('no-referrer')
      expect(answer.headers['x-frame-options']).toBe('DENY')
    }
    expect(CONSOLE_CSP).toContain("default-src 'self'")
    expect(CONSOLE_CSP).toContain("script-src 'self'")
    expect(CONSOLE_CSP).toContain("frame-ancestors 'none'")
    expect(CONSOLE_CSP).not.toContain('unsafe-inline')
    expect(CONSOLE_CSP).not.toContain('unsafe-eval')
  })

  it('lets only the board preview be framed, and only by the console itself', async () => {
    const preview = await raw(server, '/console/preview.html')
    expect(preview.status).toBe(200)
    expect(preview.headers['x-frame-options']).toBe('SAMEORIGIN')
    expect(preview.headers['content-security-policy']).toContain("frame-ancestors 'self'")
    expect(preview.headers['content-security-policy']).not.toContain("frame-ancestors 'none'")
    expect(preview.headers['content-security-policy']).toContain("script-src 'self'")
    for (const path of ['/console/', '/console/content', '/console/assets/logo.svg']) {
      const answer = await raw(server, path)
      expect(answer.headers['x-frame-options'], path).toBe('DENY')
      expect(answer.headers['content-security-policy'], path).toBe(CONSOLE_CSP)
    }
  })

  it('redirects /console to /console/', async () => {
    const answer = await raw(server, '/console')
    expect(answer.status).toBe(308)
    expect(answer.headers.location).toBe('/console/')
  })

  it('caches hashed assets for good and other files never', async () => {
    const hashed = await raw(server, '/console/assets/index-AbC12_-z.js')
    expect(hashed.status).toBe(200)
    expect(hashed.body).toBe('console.log(1)')
    expect(hashed.headers['content-type']).toBe('text/javascript; charset=utf-8')
    expect(hashed.headers['cache-control']).toBe('public, max-age=31536000, immutable')
    const plain = await raw(server, '/console/assets/logo.svg')
    expect(plain.status).toBe(200)
    expect(plain.headers['cache-control']).toBe('no-store')
    expect(plain.headers['content-security-policy']).toBe(CONSOLE_CSP)
  })

  it('gzips text for a client that accepts it (once per file), and not fonts or for a client that does not', async () => {
    const big = 'console.log("Bảng tin điện tử");\n'.repeat(2000)
    writeFileSync(join(dir, 'assets', 'big-Zz99Yy88.js'), big)
    writeFileSync(join(dir, 'assets', 'font-Zz99Yy88.woff2'), Buffer.alloc(5000, 7))
    const zipped = await raw(server, '/console/assets/big-Zz99Yy88.js', 'GET', { 'Accept-Encoding': 'gzip, deflate, br' })
    expect(zipped.headers['content-encoding']).toBe('gzip')
    expect(zipped.headers.vary).toBe('Accept-Encoding')
    expect(Number(zipped.headers['content-length'])).toBe(zipped.bytes.length)
    expect(zipped.bytes.length).toBeLessThan(big.length / 10)
    expect(gunzipSync(zipped.bytes).toString('utf8')).toBe(big)
    const again = await raw(server, '/console/assets/big-Zz99Yy88.js', 'GET', { 'Accept-Encoding': 'gzip' })
    expect(again.bytes.equals(zipped.bytes)).toBe(true)
    const plain = await raw(server, '/console/assets/big-Zz99Yy88.js', 'GET', { 'Accept-Encoding': 'gzip;q=0, identity' })
    expect(plain.headers['content-encoding']).toBeUndefined()
    expect(plain.body).toBe(big)
    const font = await raw(server, '/console/assets/font-Zz99Yy88.woff2', 'GET', { 'Accept-Encoding': 'gzip' })
    expect(font.headers['content-encoding']).toBeUndefined()
    expect(font.headers['content-type']).toBe('font/woff2')
    const app = await raw(server, '/console/users', 'GET', { 'Accept-Encoding': 'gzip' })
    expect(gunzipSync(app.bytes).toString('utf8')).toContain('<title>app</title>')
  })

  it('answers 404 for a missing file (not the app), and HEAD without a body', async () => {
    const missing = await raw(server, '/console/assets/index-ZZZZZZZZ.js')
    expect(missing.status).toBe(404)
    expect(missing.headers['cache-control']).toBe('no-store')
    const head = await raw(server, '/console/assets/index-AbC12_-z.js', 'HEAD')
    expect(head.status).toBe(200)
    expect(head.body).toBe('')
    expect(head.headers['content-length']).toBe(String('console.log(1)'.length))
  })

  it('refuses other methods', async () => {
    const answer = await raw(server, '/console/', 'POST')
    expect(answer.status).toBe(405)
    expect(answer.headers.allow).toBe('GET, HEAD')
  })

  it('never serves a file outside its folder, however the path is written', async () => {
    const attempts = [
      '/console/../secret.txt',
      '/console/%2e%2e/secret.txt',
      '/console/%2E%2E%2Fsecret.txt',
      '/console/assets/..%2f..%2fsecret.txt',
      '/console/..%5csecret.txt',
      '/console/assets%5c..%5c..%5csecret.txt',
      '/console/%252e%252e/secret.txt',
      '/console/assets/link.txt',
      '/console/.hidden',
      '/console/secret.txt%00.js',
      '/console/%ff%fe',
      '/console//etc/passwd',
      '/console/assets/../../secret.txt'
    ]
    for (const path of attempts) {
      const answer = await raw(server, path)
      expect(answer.body, path).not.toContain('SECRET')
      expect(answer.body, path).not.toContain('hidden')
      expect(answer.body, path).not.toContain('root:')
      expect([200, 400, 404], path).toContain(answer.status)
      // A path that names a file (has an extension) must not fall back to the app either.
      if (/\.(txt|js)$/.test(path)) expect(answer.status, path).not.toBe(200)
    }
    expect((await raw(server, '/console/%2e%2e/secret.txt')).status).not.toBe(200)
    expect((await raw(server, '/console/..%5csecret.txt')).status).toBe(400)
    expect((await raw(server, '/console/assets/link.txt')).status).toBe(404)
  })

  it('leaves /console/api/ to the API (404 JSON here, where none is mounted) and other paths alone', async () => {
    const api = await raw(server, '/console/api/me')
    expect(api.status).toBe(404)
    expect(api.headers['content-type']).toBe('application/json')
    const root = await raw(server, '/')
    expect(root.status).toBe(200)
    expect(root.body).toContain('reference source server')
  })

  it('says the console is not built when its folder is missing', async () => {
    const answer = await raw(noBuild, '/console/')
    expect(answer.status).toBe(503)
    expect(answer.body).toContain('npm run build:console')
  })

  it('serves nothing under /console/ when no folder is configured', async () => {
    const bare = await startReferenceServer({})
    try {
      expect((await raw(bare, '/console/')).status).toBe(404)
    } finally {
      await bare.close()
    }
  })
})
