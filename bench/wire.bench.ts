// Wire benchmark: how long the shape check takes to refuse 16 MiB of nested JSON (the attack held the
// event loop 7–9 s in JSON.parse), and how long it adds to reading a real 10,000-item manifest.
import { performance } from 'node:perf_hooks'
import { jsonDepth, parseBoundedJson } from '../main/core/protocol/json-limits'
import { MAX_MANIFEST_BYTES } from '../main/core/protocol/manifest'
import { percentile, type BenchRow } from './report'

const RUNS = 9

function timed(run: () => void): number {
  const times: number[] = []
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now()
    run()
    times.push(performance.now() - start)
  }
  return percentile(times, 50)
}

export function wireBench(): BenchRow[] {
  const half = MAX_MANIFEST_BYTES / 2 - 1
  const bomb = '['.repeat(half) + ']'.repeat(half)
  const refuseMs = timed(() => {
    try {
      parseBoundedJson(bomb, 'bomb')
    } catch {
      // refused, as it must be
    }
  })
  const items = Array.from({ length: 10_000 }, (_, i) => ({ id: `t-${i}`, kind: 'text', title: `Tin ${i}`, body: 'Lịch tiếp công dân tuần này. '.repeat(20), durationSec: 5 }))
  const manifest = JSON.stringify({ schema: 'bangtin.manifest/v1', version: 'v', playlists: [{ id: 'p', name: 'p', items }], assets: [] })
  const scanMs = timed(() => void jsonDepth(manifest))
  const parseMs = timed(() => void JSON.parse(manifest))
  return [
    { section: 'wire', name: '16 MiB nesting bomb refused (shape check)', value: refuseMs, unit: 'ms', target: '< 50 ms', ok: refuseMs < 50 },
    {
      section: 'wire',
      name: `shape check of a ${(manifest.length / 1024 ** 2).toFixed(1)} MiB manifest`,
      value: scanMs,
      unit: 'ms',
      target: null,
      ok: null,
      detail: `JSON.parse of the same: ${parseMs.toFixed(1)} ms`
    }
  ]
}
