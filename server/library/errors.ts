// The library's refusals: an HTTP status and the API's bilingual error body, naming the field at fault
// ({ "error": { "code", "field", "vi", "en" } }, docs/source-server.md).

export type LibraryStatus = 400 | 404 | 409 | 413 | 503 | 507

export interface FieldError {
  code: string
  field: string
  vi: string
  en: string
}

export class LibraryError extends Error {
  override name = 'LibraryError'
  constructor(
    readonly status: LibraryStatus,
    readonly code: string,
    readonly field: string,
    readonly vi: string,
    readonly en: string
  ) {
    super(en)
  }

  /** The API's error body. */
  toJSON(): { error: FieldError } {
    return { error: { code: this.code, field: this.field, vi: this.vi, en: this.en } }
  }
}

export function notFound(field: string): LibraryError {
  return new LibraryError(404, 'not-found', field, 'Không tìm thấy nội dung này (có thể đã bị xoá, hoặc thuộc đơn vị khác).', 'No such content item (it may have been deleted, or belong to another unit).')
}

/** Human sizes in both languages ("12,5 MB" / "12.5 MB"). */
export function megabytes(bytes: number): { vi: string; en: string } {
  const mb = Math.round((bytes / 1024 / 1024) * 10) / 10
  return { vi: `${String(mb).replace('.', ',')} MB`, en: `${mb} MB` }
}
