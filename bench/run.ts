// `npm run bench`: every benchmark section, a table on stdout, JSON in .bench/results.json.
// Speed targets live here, never as timed assertions in the test suite.
import { join } from 'node:path'
import { printTable, writeJson, type BenchRow } from './report'
import { syncBench } from './sync.bench'

const quick = process.argv.includes('--quick')

async function main(): Promise<void> {
  const rows: BenchRow[] = []
  rows.push(...(await syncBench({ hashFileMb: quick ? 50 : 500, pushes: quick ? 5 : 30 })))
  printTable(rows)
  const out = join(__dirname, '..', '.bench', 'results.json')
  await writeJson(out, rows)
  console.log(`\nwritten ${out}`)
}

main().catch((error: Error) => {
  console.error(error)
  process.exit(1)
})
