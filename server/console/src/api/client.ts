// The console's API client: JSON over fetch (uploads over XHR for progress), the session's CSRF token on
// every state-changing request, answers checked with zod, and every failure as an ApiError carrying the
// server's bilingual message and the form field it names.
import type { z } from 'zod'
import { getLang, translate, type Lang } from '../i18n/i18n'

export const API_BASE = '/console/api'

/** A failed call: `{ error: { code, field, vi, en } }` from the server, or a network / format failure. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly vi: string,
    readonly en: string,
    /** As the server names it: `body.password`, `params.id`, `query.limit`; null for the whole form. */
    readonly field: string | null = null,
    readonly retryAfterSec: number | null = null
  ) {
    super(en)
  }

  /** The message in the page's language. */
  text(lang: Lang = getLang()): string {
    return lang === 'vi' ? this.vi : this.en
  }

  /** The form field without its `body.` / `query.` / `params.` prefix (`password`), or null. */
  get formField(): string | null {
    if (!this.field) return null
    const name = this.field.replace(/^(body|query|params)\.?/, '')
    return name === '' ? null : name
  }
}

let csrfToken: string | null = null
const unauthenticatedListeners = new Set<(error: ApiError) => void>()

/** Kept from sign-in and from GET /me (after a reload); sent as X-CSRF-Token. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token
}

/** Called when any call answers 401 or 403 password-change-required (the app shows sign-in or the password page). */
export function onSessionProblem(listener: (error: ApiError) => void): () => void {
  unauthenticatedListeners.add(listener)
  return () => unauthenticatedListeners.delete(listener)
}

function localError(status: number, code: string, key: 'app.error.network' | 'app.error.badAnswer' | 'app.error.generic'): ApiError {
  return new ApiError(status, code, translate('vi', key), translate('en', key))
}

const ERROR_SHAPE = (body: unknown): body is { error: { code: string; field?: string | null; vi: string; en: string } } => {
  const e = (body as { error?: Record<string, unknown> } | null)?.error
  return typeof e === 'object' && e !== null && typeof e.code === 'string' && typeof e.vi === 'string' && typeof e.en === 'string'
}

function interpret<T>(status: number, text: string, retryAfter: string | null, schema: z.ZodType<T>, path: string): T {
  let body: unknown = null
  try {
    body = text === '' ? null : JSON.parse(text)
  } catch {
    throw localError(status, 'bad-answer', status >= 500 ? 'app.error.generic' : 'app.error.badAnswer')
  }
  if (status < 200 || status >= 300) {
    const error = ERROR_SHAPE(body)
      ? new ApiError(status, body.error.code, body.error.vi, body.error.en, body.error.field ?? null, retryAfter ? Number(retryAfter) : null)
      : localError(status, 'http-' + String(status), 'app.error.generic')
    const sessionProblem = (status === 401 && path !== '/session') || error.code === 'password-change-required'
    if (sessionProblem) for (const listener of unauthenticatedListeners) listener(error)
    throw error
  }
  const parsed = schema.safeParse(body)
  if (!parsed.success) throw localError(status, 'bad-answer', 'app.error.badAnswer')
  return parsed.data
}

/** One JSON call: `path` is below /console/api (e.g. `/units`). */
export async function apiCall<T>(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, schema: z.ZodType<T>, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' }
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken
  if (body !== undefined) headers['Content-Type'] = 'application/json'
  let res: Response
  try {
    res = await fetch(API_BASE + path, { method, headers, credentials: 'same-origin', ...(body !== undefined ? { body: JSON.stringify(body) } : {}) })
  } catch {
    throw localError(0, 'network', 'app.error.network')
  }
  return interpret(res.status, await res.text(), res.headers.get('Retry-After'), schema, path)
}

export const api = {
  get: <T>(path: string, schema: z.ZodType<T>) => apiCall('GET', path, schema),
  post: <T>(path: string, schema: z.ZodType<T>, body?: unknown) => apiCall('POST', path, schema, body),
  put: <T>(path: string, schema: z.ZodType<T>, body?: unknown) => apiCall('PUT', path, schema, body),
  patch: <T>(path: string, schema: z.ZodType<T>, body?: unknown) => apiCall('PATCH', path, schema, body),
  del: <T>(path: string, schema: z.ZodType<T>, body?: unknown) => apiCall('DELETE', path, schema, body)
}

/**
 * An upload with progress (fetch cannot report upload progress): `onProgress(sent, total)` as bytes go
 * out. `body` is sent as is (a File keeps its type as Content-Type unless `contentType` says otherwise).
 */
export function apiUpload<T>(
  method: 'POST' | 'PUT',
  path: string,
  schema: z.ZodType<T>,
  body: Blob | FormData,
  options: { onProgress?: (sent: number, total: number) => void; contentType?: string; headers?: Record<string, string>; signal?: AbortSignal } = {}
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest()
    xhr.open(method, API_BASE + path)
    xhr.setRequestHeader('Accept', 'application/json')
    if (csrfToken) xhr.setRequestHeader('X-CSRF-Token', csrfToken)
    if (options.contentType) xhr.setRequestHeader('Content-Type', options.contentType)
    for (const [name, value] of Object.entries(options.headers ?? {})) xhr.setRequestHeader(name, value)
    xhr.upload.onprogress = (event) => options.onProgress?.(event.loaded, event.lengthComputable ? event.total : 0)
    xhr.onerror = () => reject(localError(0, 'network', 'app.error.network'))
    xhr.onabort = () => reject(localError(0, 'aborted', 'app.error.generic'))
    xhr.onload = () => {
      try {
        resolve(interpret(xhr.status, xhr.responseText, xhr.getResponseHeader('Retry-After'), schema, path))
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)))
      }
    }
    options.signal?.addEventListener('abort', () => xhr.abort())
    xhr.send(body)
  })
}

/** Any thrown value as an ApiError (a bug in a page becomes the generic bilingual message). */
export function asApiError(error: unknown): ApiError {
  return error instanceof ApiError ? error : localError(0, 'client', 'app.error.generic')
}
