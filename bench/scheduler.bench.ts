// Scheduler benchmark: plan() on a generated 10,000-item manifest (3 zones, mixed schedules) at
// random instants, in Hà Nội time and in a DST zone; median and p99 per call.
import { performance } from 'node:perf_hooks'
import { parseManifest, type Manifest } from '../main/core/protocol/manifest'
import { plan } from '../main/core/schedule/scheduler'
import { percentile, type BenchRow } from './report'
import { seededRandom } from '../test/helpers/seeded-random'

const DAY = 86_400_000
const ITEMS = 10_000
const PLAYLISTS = 100
const CALLS = 420
const WARM_UP = 20


const pad = (n: number): string => String(n).padStart(2, '0')

/** Schedules of the shapes operators publish: none, validity only, weekdays, time windows (some across midnight), all at once. */
function schedule(next: () => number, around: number): Record<string, unknown> | undefined {
  const kind = Math.floor(next() * 5)
  const time = (): string => `${pad(Math.floor(next() * 24))}:${pad(Math.floor(next() * 4) * 15)}`
  const from = around + Math.floor((next() - 0.5) * 60) * DAY
  const validity = { validFrom: new Date(from).toISOString(), validTo: new Date(from + (1 + Math.floor(next() * 30)) * DAY).toISOString() }
  const weekdays = [1, 2, 3, 4, 5, 6, 7].filter(() => next() < 0.6)
  const times = Array.from({ length: 1 + Math.floor(next() * 3) }, () => ({ from: time(), to: time() }))
  switch (kind) {
    case 0:
      return undefined
    case 1:
      return validity
    case 2:
      return weekdays.length > 0 ? { weekdays } : undefined
    case 3:
      return { times }
    default:
      return { ...validity, ...(weekdays.length > 0 ? { weekdays } : {}), times }
  }
}

function benchManifest(seed = 39): Manifest {
  const next = seededRandom(seed)
  const around = Date.parse('2026-01-01T00:00:00Z')
  const zones = ['main', 'ticker', 'header']
  const perPlaylist = ITEMS / PLAYLISTS
  return parseManifest({
    schema: 'bangtin.manifest/v1',
    version: 'bench',
    assets: [],
    layout: {
      id: 'three',
      zones: [
        { id: 'header', role: 'header', x: 0, y: 0, width: 1, height: 0.1 },
        { id: 'main', role: 'main', x: 0, y: 0.1, width: 1, height: 0.8 },
        { id: 'ticker', role: 'ticker', x: 0, y: 0.9, width: 1, height: 0.1 }
      ]
    },
    displayHours: { on: '05:30', off: '22:30' },
    playlists: Array.from({ length: PLAYLISTS }, (_, p) => ({
      id: `pl-${p}`,
      name: `Danh sách ${p}`,
      zone: zones[p % zones.length],
      // Mostly normal, some priority, a rare scheduled emergency playlist.
      priority: p % 50 === 7 ? 'emergency' : p % 5 === 1 ? 'priority' : 'normal',
      ...(p % 3 === 0 ? {} : { schedule: schedule(next, around) }),
      items: Array.from({ length: perPlaylist }, (_, i) => ({
        id: `pl-${p}-item-${i}`,
        kind: 'text',
        body: `Thông báo số ${i}`,
        durationSec: 10,
        ...(() => {
          const s = schedule(next, around)
          return s ? { schedule: s } : {}
        })()
      }))
    }))
  })
}

function measure(manifest: Manifest, timeZone: string, seed: number): { first: number; times: number[]; changes: number } {
  const next = seededRandom(seed)
  const start = Date.parse('2025-10-01T00:00:00Z')
  const span = 120 * DAY
  const instants = Array.from({ length: CALLS }, () => new Date(start + Math.floor(next() * span)))
  const times: number[] = []
  let first = NaN
  let changes = 0
  instants.forEach((now, i) => {
    const began = performance.now()
    const result = plan({ manifest, emergencies: [], timeZone, now })
    const took = performance.now() - began
    if (i === 0) first = took
    // The first calls also pay for compiling the manifest's schedules and for V8 warming up:
    // reported as "first call", kept out of the steady-state figures.
    else if (i > WARM_UP) times.push(took)
    if (result.nextChangeAt) changes++
  })
  return { first, times, changes }
}

export async function schedulerBench(): Promise<BenchRow[]> {
  const built = performance.now()
  const manifest = benchManifest()
  const parseMs = performance.now() - built
  const rows: BenchRow[] = [
    {
      section: 'schedule',
      name: 'generate + parse 10,000-item manifest',
      value: parseMs,
      unit: 'ms',
      target: null,
      ok: null
    }
  ]
  for (const timeZone of ['Asia/Ho_Chi_Minh', 'Europe/Berlin']) {
    const { first, times, changes } = measure(manifest, timeZone, timeZone.length)
    const median = percentile(times, 50)
    const p99 = percentile(times, 99)
    const detail = `${times.length} calls at random instants over 120 days, 3 zones, ${changes} with a next change`
    rows.push(
      { section: 'schedule', name: `plan() first call (${timeZone})`, value: first, unit: 'ms', target: null, ok: null, detail },
      { section: 'schedule', name: `plan() median, 10k items (${timeZone})`, value: median, unit: 'ms', target: '≤ 5 ms', ok: median <= 5, detail },
      { section: 'schedule', name: `plan() p99, 10k items (${timeZone})`, value: p99, unit: 'ms', target: '≤ 20 ms', ok: p99 <= 20, detail }
    )
  }
  return rows
}
