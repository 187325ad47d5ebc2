// Benchmark results: one row per measurement, printed as a table and written as JSON.
import { mkdir, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'

export interface BenchRow {
  section: string
  name: string
  value: number
  unit: string
  /** Human-readable target, and whether the value met it (null when there is no target). */
  target: string | null
  ok: boolean | null
  detail?: string
}

export function printTable(rows: BenchRow[]): void {
  const cells = rows.map((r) => [r.section, r.name, formatValue(r.value, r.unit), r.target ?? '', r.ok === null ? '' : r.ok ? 'ok' : 'MISSED'])
  const header = ['section', 'measurement', 'value', 'target', '']
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)))
  const line = (c: string[]): string => c.map((v, i) => v.padEnd(widths[i]!)).join('  ')
  console.log(line(header))
  console.log(widths.map((w) => '-'.repeat(w)).join('  '))
  for (const c of cells) console.log(line(c))
}

function formatValue(value: number, unit: string): string {
  const rounded = Math.abs(value) >= 100 ? value.toFixed(0) : Math.abs(value) >= 1 ? value.toFixed(2) : value.toFixed(3)
  return `${rounded} ${unit}`
}

export async function writeJson(path: string, rows: BenchRow[]): Promise<void> {
  await mkdir(dirname(path), { recursive: true })
  await writeFile(path, JSON.stringify({ at: new Date().toISOString(), node: process.version, rows }, null, 2) + '\n')
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN
}
