// HTTP byte ranges (RFC 9110) as the protocol's asset path serves them, one implementation for every server
// in the project: the reference source server, the browser shell's loopback server and the Electron media scheme.

export type ByteRange = { start: number; end: number }

/**
 * One byte range from a Range header, for a file of `size` bytes: the range, 'unsatisfiable' (416),
 * or null to serve the whole file (no header, a malformed one, or several ranges, which RFC 9110 lets
 * a server ignore).
 */
export function parseRange(header: string | null | undefined, size: number): ByteRange | 'unsatisfiable' | null {
  if (header === null || header === undefined) return null
  const match = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header)
  if (!match) return null
  const [, first = '', last = ''] = match
  if (first === '' && last === '') return null
  if (first === '') {
    const suffix = Number(last)
    if (!Number.isSafeInteger(suffix)) return null
    if (suffix === 0 || size === 0) return 'unsatisfiable'
    return { start: Math.max(0, size - suffix), end: size - 1 }
  }
  const start = Number(first)
  const end = last === '' ? size - 1 : Number(last)
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end)) return null
  if (start >= size) return 'unsatisfiable'
  if (end < start) return null
  return { start, end: Math.min(end, size - 1) }
}
