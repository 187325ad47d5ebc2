// `npm start`: the player on the bundled demo content. Electron where its binary is installed;
// otherwise the same player in the system Chromium (browser shell), said in one line.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { ensureDebianPackages, ensureNpmPackages } from './ensure-system.mjs'

const root = fileURLToPath(new URL('..', import.meta.url))

/** The Electron binary the electron package would run, if it was ever downloaded (it cannot be here). */
function electronBinary() {
  if (process.env.ELECTRON_PATH && existsSync(process.env.ELECTRON_PATH)) return process.env.ELECTRON_PATH
  const pathFile = join(root, 'node_modules', 'electron', 'path.txt')
  if (!existsSync(pathFile)) return null
  const binary = join(root, 'node_modules', 'electron', 'dist', readFileSync(pathFile, 'utf8').trim())
  return existsSync(binary) ? binary : null
}

ensureNpmPackages()
const build = spawnSync('npx', ['electron-vite', 'build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] })
if (build.status !== 0) process.exit(build.status ?? 1)

const electron = electronBinary()
const extra = process.argv.slice(2)
let child
if (electron) {
  child = spawn(electron, ['.', ...extra], { cwd: root, stdio: 'inherit' })
} else {
  console.log('Electron binary not installed here; starting the same player in the system Chromium (kiosk mode).')
  ensureDebianPackages('start')
  child = spawn(process.execPath, [join(root, 'out', 'main', 'browser.js'), ...extra], { cwd: root, stdio: 'inherit' })
}
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal))
child.on('exit', (code) => process.exit(code ?? 0))
