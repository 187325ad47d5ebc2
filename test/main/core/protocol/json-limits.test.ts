// The shape check run on untrusted JSON before JSON.parse: depth counted outside strings only, a bomb stopped at its first levels.
import { describe, expect, it } from 'vitest'
import { jsonDepth, JsonLimitError, MAX_JSON_DEPTH, parseBoundedJson } from '../../../../main/core/protocol/json-limits'

describe('bounded JSON', () => {
  it('counts nesting outside strings, escapes included', () => {
    expect(jsonDepth('1')).toBe(0)
    expect(jsonDepth('{"a":[1,{"b":[]}]}')).toBe(4)
    expect(jsonDepth('{"a":"[[[[{{{{"}')).toBe(1)
    expect(jsonDepth('["\\"[[[[", "\\\\", [2]]')).toBe(2)
  })

  it('stops one level past the limit, however deep the text goes', () => {
    expect(jsonDepth('['.repeat(1_000_000), 3)).toBe(4)
  })

  it('parses what fits, refuses what is too deep or too long before parsing', () => {
    const deep = '['.repeat(MAX_JSON_DEPTH + 1) + ']'.repeat(MAX_JSON_DEPTH + 1)
    const fits = '['.repeat(MAX_JSON_DEPTH) + ']'.repeat(MAX_JSON_DEPTH)
    expect(parseBoundedJson(fits, 'test')).toBeInstanceOf(Array)
    expect(() => parseBoundedJson(deep, 'test')).toThrow(JsonLimitError)
    expect(() => parseBoundedJson(deep, 'test')).toThrow(/test refused unread: nested deeper than 32 levels/)
    expect(() => parseBoundedJson('"abcdef"', 'test', { maxChars: 4 })).toThrow(/8 characters, at most 4/)
    expect(() => parseBoundedJson('{', 'test')).toThrow(SyntaxError)
  })
})
