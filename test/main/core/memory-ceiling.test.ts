// The memory ceiling's rule, shared by both shells: two samples over, and display off or far over.
import { describe, expect, it } from 'vitest'
import { memoryCeilingVerdict } from '../../../main/core/memory-ceiling'

describe('memoryCeilingVerdict', () => {
  it('restarts only on the second sample over the ceiling, with the display off or 1.5× over', () => {
    expect(memoryCeilingVerdict(1000, 900, false, false)).toEqual({ restart: false, over: false })
    expect(memoryCeilingVerdict(1000, 1200, false, false)).toEqual({ restart: false, over: true })
    expect(memoryCeilingVerdict(1000, 1200, true, false)).toEqual({ restart: true, over: true, reason: 'memory 1200 MB above 1000 MB' })
    // Display on (or unknown): wait for it to go off unless far above.
    expect(memoryCeilingVerdict(1000, 1200, true, true)).toEqual({ restart: false, over: true })
    expect(memoryCeilingVerdict(1000, 1200, true, null)).toEqual({ restart: false, over: true })
    expect(memoryCeilingVerdict(1000, 1600, true, true)).toMatchObject({ restart: true })
  })
})
