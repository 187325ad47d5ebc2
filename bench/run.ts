// `npm run bench`: every benchmark section, a table on stdout, JSON in .bench/results.json.
// Speed targets live here, never as timed assertions in the test suite.
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { printTable, writeJson, type BenchRow } from './report'
import { editorialBench } from './editorial.bench'
import { consoleBench } from './console.bench'
import { emergencyBench } from './emergency.bench'
import { libraryBench } from './library.bench'
import { programmeBench } from './programme.bench'
import { recoveryBench } from './recovery.bench'
import { refserverBench, refserverThroughputBench } from './refserver.bench'
import { schedulerBench } from './scheduler.bench'
import { screenshotBench } from './screenshot.bench'
import { startupBench } from './startup.bench'
import { syncBench } from './sync.bench'
import { transitionsBench } from './transitions.bench'
import { wireBench } from './wire.bench'

const quick = process.argv.includes('--quick')
/** `--only=playback,startup`: just those sections (by their table name), e.g. to compare one change. */
const onlyArg = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length)
const only = onlyArg ? new Set(onlyArg.split(',')) : null
const wanted = (section: string): boolean => !only || only.has(section)

async function main(): Promise<void> {
  const rows: BenchRow[] = []
  if (wanted('sync')) rows.push(...(await syncBench({ hashFileMb: quick ? 50 : 500, pushes: quick ? 5 : 30 })))
  if (wanted('schedule')) rows.push(...(await schedulerBench()))
  if (wanted('wire')) rows.push(...wireBench())
  if (wanted('editorial')) rows.push(...(await editorialBench({ boards: quick ? 10 : 100, playsPerDay: 30, deliveryBoards: quick ? 100 : 1_000 })))
  if (wanted('programme')) rows.push(...(await programmeBench({ boards: 1000 })))
  if (wanted('refserver')) rows.push(...(await refserverBench({ reports: quick ? 50 : 300 })))
  if (wanted('library')) rows.push(...(await libraryBench({ videoMb: quick ? 100 : 500 })))
  if (wanted('refserver')) rows.push(...(await refserverThroughputBench({ requests: quick ? 2_000 : 20_000 })))
  // The playback benchmarks drive the built browser shell.
  const build = spawnSync('npx', ['electron-vite', 'build'], { cwd: join(__dirname, '..'), stdio: 'ignore' })
  if (build.status !== 0) throw new Error('electron-vite build failed')
  if (wanted('emergency')) rows.push(...(await emergencyBench({ pushes: quick ? 20 : 100 })))
  if (wanted('screenshot')) rows.push(...(await screenshotBench({ shots: quick ? 5 : 30 })))
  if (wanted('startup')) rows.push(...(await startupBench({ runs: quick ? 3 : Number(process.env.STARTUP_RUNS ?? 7) })))
  if (wanted('playback')) rows.push(...(await transitionsBench({ transitions: quick ? 30 : 200 })))
  if (wanted('recovery')) rows.push(...(await recoveryBench({ rounds: quick ? 2 : 5 })))
  if (wanted('console')) {
    const consoleBuild = spawnSync('npm', ['run', '--silent', 'build:console'], { cwd: join(__dirname, '..'), stdio: 'ignore' })
    if (consoleBuild.status !== 0) throw new Error('npm run build:console failed')
    rows.push(...(await consoleBench({ loads: quick ? 5 : 20 })))
  }
  printTable(rows)
  const out = join(__dirname, '..', '.bench', 'results.json')
  await writeJson(out, rows)
  console.log(`\nwritten ${out}`)
}

main().catch((error: Error) => {
  console.error(error)
  process.exit(1)
})
