// The programme's errors: each names the field at fault, in Vietnamese and English, in the shape the API
// answers with ({ error: { code, field, vi, en } }), so a route can pass one through unchanged.

export type ProgrammeErrorCode = 'invalid' | 'not-found' | 'conflict'

export class ProgrammeError extends Error {
  override name = 'ProgrammeError'

  constructor(
    readonly code: ProgrammeErrorCode,
    /** Where the fault is, as a path a form can point at: `windows.0.to`, `entries.e1.playlist.items`. */
    readonly field: string,
    readonly vi: string,
    readonly en: string
  ) {
    super(`${field}: ${en}`)
  }

  /** The HTTP status a route answers with. */
  get status(): 400 | 404 | 409 {
    return this.code === 'not-found' ? 404 : this.code === 'conflict' ? 409 : 400
  }

  toBody(): { error: { code: string; field: string; vi: string; en: string } } {
    return { error: { code: this.code, field: this.field, vi: this.vi, en: this.en } }
  }
}

export function invalid(field: string, vi: string, en: string): ProgrammeError {
  return new ProgrammeError('invalid', field, vi, en)
}

export function notFound(field: string, vi: string, en: string): ProgrammeError {
  return new ProgrammeError('not-found', field, vi, en)
}
