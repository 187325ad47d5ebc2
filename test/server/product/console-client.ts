// The product as an operator and a board meet it over HTTP: its start lines (URL, first administrator,
// province key), a signed-in console session (cookie + CSRF), and a board pairing through /api/v1/pairings.
import type { ChildProcessWithoutNullStreams } from 'node:child_process'
import { createInterface } from 'node:readline'
import { paths } from '../../../main/core/protocol/api'
import { ADDRESSED_MEDIA_TYPE } from '../../../main/core/protocol/addressed'
import { openSigned, trustedKeysFrom } from '../../../main/core/protocol/signing'
import { rawRequest, type RawResponse } from '../helpers'
import { runProduct } from './product-process'

export interface StartedProduct {
  url: string
  adminToken: string
  firstAdmin: { username: string; password: string } | null
  keyId: string
  publicKeySpki: string
  child: ChildProcessWithoutNullStreams
  stderr(): string
}

/** `product.js --data-dir DIR --port 0`, with every start line read (through KEY_FINGERPRINT). */
export async function startProductLines(dataDir: string, extra: string[] = []): Promise<StartedProduct> {
  const child = runProduct(['--data-dir', dataDir, '--port', '0', ...extra])
  let stderr = ''
  child.stderr.on('data', (data: Buffer) => (stderr += data.toString()))
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]()
  const read: string[] = []
  for (let next = await lines.next(); !next.done; next = await lines.next()) {
    read.push(next.value)
    if (next.value.startsWith('KEY_FINGERPRINT')) break
  }
  void (async () => {
    for (let next = await lines.next(); !next.done; next = await lines.next());
  })()
  const first = /^BANGTIN_SOURCE_URL (\S+) ADMIN_TOKEN (\S+)$/.exec(read[0] ?? '')
  const key = read.map((line) => /^SIGNING_KEY_ID (\S+) PUBLIC_KEY_SPKI_BASE64 (\S+)$/.exec(line)).find(Boolean)
  if (!first || !key) throw new Error(`start lines: ${read.join('\n')}\nstderr: ${stderr}`)
  const admin = read.map((line) => /^FIRST_ADMIN (\S+) ONE_TIME_PASSWORD (\S+)$/.exec(line)).find(Boolean)
  return { url: first[1]!, adminToken: first[2]!, firstAdmin: admin ? { username: admin[1]!, password: admin[2]! } : null, keyId: key[1]!, publicKeySpki: key[2]!, child, stderr: () => stderr }
}

export interface Answer<T = Record<string, unknown>> {
  status: number
  body: T
  raw: RawResponse
}

/** A signed-in person: the session cookie and CSRF token, as the web console holds them. */
export class ConsoleSession {
  private constructor(
    readonly url: string,
    private readonly cookie: string,
    private readonly csrf: string
  ) {}

  static async signIn(url: string, username: string, password: string): Promise<ConsoleSession> {
    const res = await rawRequest(`${url}/console/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) })
    if (res.status !== 200) throw new Error(`sign-in ${username}: ${res.status} ${res.body.toString()}`)
    const setCookie = ([] as string[]).concat(res.headers['set-cookie'] ?? [])
    const cookie = setCookie.map((c) => c.split(';')[0]).join('; ')
    const { csrfToken } = JSON.parse(res.body.toString()) as { csrfToken: string }
    return new ConsoleSession(url, cookie, csrfToken)
  }

  /** Signs in with a one-time password and changes it, as the first sign-in must. */
  static async firstSignIn(url: string, username: string, oneTime: string, newPassword: string): Promise<ConsoleSession> {
    const session = await ConsoleSession.signIn(url, username, oneTime)
    await session.ok('POST', '/console/api/me/password', { currentPassword: oneTime, newPassword })
    return session
  }

  async call<T = Record<string, unknown>>(method: string, path: string, body?: unknown, raw?: { bytes: Buffer; contentType: string }): Promise<Answer<T>> {
    const headers: Record<string, string> = { cookie: this.cookie, 'x-csrf-token': this.csrf }
    if (raw) headers['content-type'] = raw.contentType
    else if (body !== undefined) headers['content-type'] = 'application/json'
    const res = await rawRequest(`${this.url}${path}`, { method, headers, ...(raw ? { body: raw.bytes } : body !== undefined ? { body: JSON.stringify(body) } : {}) })
    const text = res.body.toString()
    return { status: res.status, body: (text ? JSON.parse(text) : null) as T, raw: res }
  }

  /** A call that must succeed (2xx); throws with the answer otherwise. */
  async ok<T = Record<string, unknown>>(method: string, path: string, body?: unknown, raw?: { bytes: Buffer; contentType: string }): Promise<T> {
    const answer = await this.call<T>(method, path, body, raw)
    if (answer.status < 200 || answer.status > 299) throw new Error(`${method} ${path}: ${answer.status} ${answer.raw.body.toString()}`)
    return answer.body
  }
}

/** A board asking to pair: its code (what its screen shows) and its secret pairing id. */
export async function startPairing(url: string): Promise<{ code: string; pairingId: string; approveUrl: string }> {
  const res = await rawRequest(`${url}/api/v1/pairings`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })
  if (res.status !== 201) throw new Error(`pairing: ${res.status} ${res.body.toString()}`)
  return JSON.parse(res.body.toString()) as { code: string; pairingId: string; approveUrl: string }
}

/** The board's poll once approved: its device id and token. */
export async function collectToken(url: string, pairingId: string): Promise<{ deviceId: string; token: string }> {
  const res = await rawRequest(`${url}/api/v1/pairings/${pairingId}`)
  const status = JSON.parse(res.body.toString()) as { state: string; deviceId?: string; token?: string }
  if (status.state !== 'approved' || !status.deviceId || !status.token) throw new Error(`pairing not approved: ${res.body.toString()}`)
  return { deviceId: status.deviceId, token: status.token }
}

/** What a board's manifest request answers, opened with the province key (v2: addressed to it). */
export async function boardManifest(product: StartedProduct, board: { deviceId: string; token: string }): Promise<{ status: number; document: Record<string, unknown> | null }> {
  const res = await rawRequest(`${product.url}${paths.manifest(board.deviceId)}`, { headers: { authorization: `Bearer ${board.token}`, accept: ADDRESSED_MEDIA_TYPE } })
  if (res.status !== 200) return { status: res.status, document: null }
  const opened = openSigned(JSON.parse(res.body.toString()), trustedKeysFrom([{ keyId: product.keyId, publicKey: product.publicKeySpki }])) as { body?: Record<string, unknown> }
  return { status: 200, document: (opened.body ?? opened) as Record<string, unknown> }
}

/** A district with one commune, an editor and an approver of the district, all signed in for the first time. */
export interface District {
  admin: ConsoleSession
  district: { id: string }
  commune: { id: string }
  editor: ConsoleSession
  approver: ConsoleSession
}

/** What most product tests start from: the first administrator sets up a district and its two officers. */
export async function districtWithOfficers(product: StartedProduct): Promise<District> {
  const url = product.url
  const admin = await ConsoleSession.firstSignIn(url, product.firstAdmin!.username, product.firstAdmin!.password, 'mật-khẩu-quản-trị-mới')
  const province = (await admin.ok<{ unit: { id: string } }>('GET', '/console/api/me')).unit.id
  const district = await admin.ok<{ id: string }>('POST', '/console/api/units', { parentId: province, name: 'Huyện Ninh Phước' })
  const commune = await admin.ok<{ id: string }>('POST', '/console/api/units', { parentId: district.id, name: 'Xã Phước Hậu' })
  const editorMade = await admin.ok<{ password: string }>('POST', '/console/api/users', { unitId: district.id, username: 'bientap', displayName: 'Nguyễn Thị Biên', role: 'bien-tap' })
  const approverMade = await admin.ok<{ password: string }>('POST', '/console/api/users', { unitId: district.id, username: 'duyet', displayName: 'Trần Văn Duyệt', role: 'duyet' })
  const editor = await ConsoleSession.firstSignIn(url, 'bientap', editorMade.password, 'biên-tập-viên-2026')
  const approver = await ConsoleSession.firstSignIn(url, 'duyet', approverMade.password, 'người-duyệt-2026')
  return { admin, district, commune, editor, approver }
}
