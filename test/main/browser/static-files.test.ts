import { describe, expect, it } from 'vitest'
import { mimeFor } from '../../../main/browser/static-files'
import { parseRange } from '../../../main/core/protocol/http-range'

describe('parseRange', () => {
  it.each([
    [undefined, null],
    ['bytes=0-9', { start: 0, end: 9 }],
    ['bytes=5-', { start: 5, end: 99 }],
    ['bytes=-10', { start: 90, end: 99 }],
    ['bytes=90-500', { start: 90, end: 99 }],
    ['bytes=100-', 'unsatisfiable'],
    ['bytes=-0', 'unsatisfiable'],
    // Malformed or several ranges: RFC 9110 lets a server ignore the header and send the whole body.
    ['bytes=9-3', null],
    ['bytes=-', null],
    ['bytes=0-1,5-6', null],
    ['items=0-1', null]
  ])('%s of 100 bytes → %j', (header, expected) => {
    expect(parseRange(header, 100)).toEqual(expected)
  })
})

describe('mimeFor', () => {
  it('knows the renderer files and falls back to octet-stream', () => {
    expect(mimeFor('/x/index.html')).toMatch(/^text\/html/)
    expect(mimeFor('/x/font.WOFF2')).toBe('font/woff2')
    expect(mimeFor('/x/unknown')).toBe('application/octet-stream')
  })
})
