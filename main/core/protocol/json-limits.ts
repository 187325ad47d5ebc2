// Untrusted JSON from the wire is measured before it is parsed: one linear pass over the text refuses a
// nesting deeper than any protocol document needs, so 16 MiB of `[[[[…` never reaches JSON.parse (which
// held the event loop for seconds on it, before any signature was checked).

/**
 * The deepest nesting a protocol document needs is about 8 (manifest → playlists → item → schedule →
 * times → window); an envelope is 1. Twice and then some, so a vendor's extra wrapping still passes.
 */
export const MAX_JSON_DEPTH = 32

export class JsonLimitError extends Error {
  override name = 'JsonLimitError'
}

/**
 * The deepest nesting of arrays and objects in `text`, scanning no further than one level past `limit`
 * (a bomb is refused at its first levels, whatever its size). Strings are skipped, escapes included;
 * the text is not otherwise checked: JSON.parse does that once the shape is known to be affordable.
 */
export function jsonDepth(text: string, limit = MAX_JSON_DEPTH): number {
  let depth = 0
  let deepest = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (inString) {
      if (c === 0x5c) i++ // backslash: the next character is escaped
      else if (c === 0x22) inString = false
      continue
    }
    if (c === 0x22) inString = true
    else if (c === 0x5b || c === 0x7b) {
      depth++
      if (depth > deepest) deepest = depth
      if (deepest > limit) return deepest
    } else if (c === 0x5d || c === 0x7d) depth--
  }
  return deepest
}

/**
 * JSON.parse for untrusted text, refusing (JsonLimitError, before parsing) text longer than `maxChars`
 * or nested deeper than `maxDepth`; a SyntaxError as JSON.parse throws it.
 */
export function parseBoundedJson(text: string, what: string, limits: { maxChars?: number; maxDepth?: number } = {}): unknown {
  const maxDepth = limits.maxDepth ?? MAX_JSON_DEPTH
  if (limits.maxChars !== undefined && text.length > limits.maxChars) {
    throw new JsonLimitError(`${what} refused unread: ${text.length} characters, at most ${limits.maxChars}`)
  }
  if (jsonDepth(text, maxDepth) > maxDepth) throw new JsonLimitError(`${what} refused unread: nested deeper than ${maxDepth} levels`)
  return JSON.parse(text)
}
