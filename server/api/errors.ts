// Console API errors: `{ error: { code, field, vi, en } }`, with the status each kind maps to. A zod
// failure names its first failing field in Vietnamese and English; nothing else of the server leaks.
import type { z } from 'zod'

export interface ApiErrorBody {
  error: { code: string; field: string | null; vi: string; en: string }
}

/** Thrown by handlers (and the framework) to answer with a status and a bilingual message. */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly vi: string,
    readonly en: string,
    readonly field: string | null = null,
    /** Extra response headers, e.g. Retry-After on 429. */
    readonly headers: Record<string, string> = {}
  ) {
    super(en)
  }

  body(): ApiErrorBody {
    return { error: { code: this.code, field: this.field, vi: this.vi, en: this.en } }
  }
}

/** The usual failures, so every room words them alike. */
export const fail = {
  badInput: (field: string | null, vi: string, en: string) => new ApiFailure(400, 'bad-input', vi, en, field),
  unauthenticated: () => new ApiFailure(401, 'unauthenticated', 'Chưa đăng nhập hoặc phiên đã hết hạn.', 'Not signed in, or the session has expired.'),
  forbiddenRole: () => new ApiFailure(403, 'forbidden-role', 'Vai trò của bạn không được phép làm việc này.', 'Your role may not do this.'),
  forbiddenUnit: (field: string | null) =>
    new ApiFailure(403, 'forbidden-unit', 'Đối tượng này nằm ngoài đơn vị bạn quản lý.', 'This belongs outside the units you manage.', field),
  notFound: (field: string | null, vi = 'Không tìm thấy.', en = 'Not found.') => new ApiFailure(404, 'not-found', vi, en, field),
  conflict: (field: string | null, vi: string, en: string) => new ApiFailure(409, 'conflict', vi, en, field),
  tooMany: (retryAfterSec: number, vi: string, en: string, field: string | null = null) =>
    new ApiFailure(429, 'too-many', vi, en, field, { 'Retry-After': String(Math.max(1, Math.ceil(retryAfterSec))) })
}

type Issue = z.core.$ZodIssue

function viReason(issue: Issue): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? 'bắt buộc phải có' : `sai kiểu dữ liệu (cần ${issue.expected})`
    case 'too_small':
      return issue.origin === 'string' ? `quá ngắn (tối thiểu ${String(issue.minimum)} ký tự)` : `quá nhỏ (tối thiểu ${String(issue.minimum)})`
    case 'too_big':
      return issue.origin === 'string' ? `quá dài (tối đa ${String(issue.maximum)} ký tự)` : `quá lớn (tối đa ${String(issue.maximum)})`
    case 'invalid_format':
      return `sai định dạng (${issue.format})`
    case 'invalid_value':
      return `giá trị không hợp lệ (chỉ nhận: ${issue.values.map(String).join(', ')})`
    case 'unrecognized_keys':
      return `có trường không được phép: ${issue.keys.join(', ')}`
    default:
      return 'không hợp lệ'
  }
}

function enReason(issue: Issue): string {
  if (issue.code === 'invalid_type' && issue.input === undefined) return 'is required'
  return issue.message
}

/** The first failing field of a zod error, as a 400 naming it (`body.name`, `params.id`, …). */
export function zodFailure(error: z.ZodError, where: 'params' | 'query' | 'body'): ApiFailure {
  const issue = error.issues[0]
  if (!issue) return fail.badInput(where, 'Dữ liệu không hợp lệ.', 'Invalid input.')
  const path = issue.code === 'unrecognized_keys' ? [...issue.path] : issue.path
  const field = [where, ...path.map(String)].join('.')
  // A check that words its own refusal (server/api/human-text.ts) says it in its words, naming the field.
  const own = issue.code === 'custom' ? (issue.params as { vi?: unknown; en?: unknown } | undefined) : undefined
  if (own && typeof own.vi === 'string' && typeof own.en === 'string') return fail.badInput(field, own.vi, own.en)
  return fail.badInput(field, `Trường «${field}»: ${viReason(issue)}.`, `Field "${field}": ${enReason(issue)}.`)
}
