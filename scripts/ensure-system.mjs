// Makes sure what `npm start` / `npm test` need is on the machine: npm packages (npm ci) and Debian
// packages (installed when running as root, otherwise the exact command to run is printed).
import { execFileSync, spawnSync } from 'node:child_process'
import { accessSync, constants, existsSync } from 'node:fs'
import { delimiter, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))

/** Debian package → the command that proves it is installed (or a check of its own). */
const PACKAGES = {
  start: { chromium: 'chromium' },
  test: {
    chromium: 'chromium',
    ffmpeg: 'ffmpeg',
    xvfb: 'Xvfb',
    'x11-apps': 'xwd',
    openbox: 'openbox',
    // Screen tests read the board's pixels back with OCR, in Vietnamese.
    'tesseract-ocr': 'tesseract',
    'tesseract-ocr-vie': () => onPath('tesseract') && /^vie$/m.test(spawnSync('tesseract', ['--list-langs'], { encoding: 'utf8' }).stdout ?? '')
  }
}

function onPath(command) {
  return (process.env.PATH ?? '').split(delimiter).some((dir) => {
    try {
      accessSync(join(dir, command), constants.X_OK)
      return true
    } catch {
      return false
    }
  })
}

export function ensureNpmPackages() {
  if (existsSync(join(root, 'node_modules', '.package-lock.json'))) return
  console.log('[setup] node_modules missing: running npm ci')
  const result = spawnSync('npm', ['ci'], { cwd: root, stdio: 'inherit', env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1', npm_config_build_from_source: 'true' } })
  if (result.status !== 0) process.exit(result.status ?? 1)
}

export function ensureDebianPackages(purpose) {
  const wanted = PACKAGES[purpose]
  const missing = Object.entries(wanted)
    .filter(([pkg, check]) => !(pkg === 'chromium' && process.env.CHROMIUM_PATH) && !(typeof check === 'function' ? check() : onPath(check)))
    .map(([pkg]) => pkg)
  if (missing.length === 0) return
  const command = `apt-get update && apt-get install -y ${missing.join(' ')}`
  if (process.getuid?.() !== 0 || !onPath('apt-get')) {
    console.error(`[setup] missing system packages: ${missing.join(', ')}. Install them with:\n  sudo sh -c '${command}'`)
    process.exit(1)
  }
  console.log(`[setup] installing Debian packages: ${missing.join(' ')}`)
  execFileSync('sh', ['-c', command], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } })
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const purpose = process.argv[2] === 'start' ? 'start' : 'test'
  ensureNpmPackages()
  ensureDebianPackages(purpose)
}
