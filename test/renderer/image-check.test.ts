// Which images the screen refuses before showing them (renderer/src/components/image-check.ts); the
// decode check itself needs a browser's ImageDecoder and is exercised by e2e/specs/failures.spec.ts.
import { describe, expect, it } from 'vitest'
import { imageSizeProblem, sniffImageType } from '../../renderer/src/components/image-check'
import { bombPng, solidPng } from '../../e2e/fixtures/images'

describe('image checks', () => {
  it('refuses pictures over 8192² pixels or with a side over 16384, in Vietnamese and English', () => {
    expect(imageSizeProblem(1920, 1080)).toBeNull()
    expect(imageSizeProblem(8192, 8192)).toBeNull()
    expect(imageSizeProblem(16_384, 100)).toBeNull()
    expect(imageSizeProblem(8193, 8192)).toMatch(/^ảnh quá lớn để hiển thị: 8193×8192 px .* \/ image too large to show: 8193×8192 px/)
    expect(imageSizeProblem(16_385, 10)).toMatch(/image too large/)
    expect(imageSizeProblem(16_000, 16_000)).toMatch(/16000×16000/)
    expect(imageSizeProblem(0, 0)).toMatch(/image has no size/)
  })

  it('tells image types from their first bytes', () => {
    expect(sniffImageType(solidPng(2, 2, [0, 0, 0]))).toBe('image/png')
    expect(sniffImageType(bombPng(64))).toBe('image/png')
    expect(sniffImageType(Uint8Array.from([0xff, 0xd8, 0xff, 0xe0]))).toBe('image/jpeg')
    expect(sniffImageType(new TextEncoder().encode('GIF89a'))).toBe('image/gif')
    expect(sniffImageType(new TextEncoder().encode('RIFF\0\0\0\0WEBPVP8 '))).toBe('image/webp')
    expect(sniffImageType(new TextEncoder().encode('\0\0\0\x1cftypavif'))).toBe('image/avif')
    expect(sniffImageType(new TextEncoder().encode('<svg'))).toBeNull()
  })
})
