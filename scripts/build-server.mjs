// Builds the reference source server (server/cli.ts) into out/server/cli.js and the product
// (server/product/main.ts) into out/server/product.js, run by plain Node (no tsx).
// Packages stay external (socket.io, zod from node_modules); it never goes into the player's installers.
import { build } from 'esbuild'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))

await build({
  entryPoints: { cli: join(root, 'server', 'cli.ts'), product: join(root, 'server', 'product', 'main.ts') },
  outdir: join(root, 'out', 'server'),
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning'
})

// The web console the product serves at /console/: rebuilt only when its sources are newer than the last
// build (a server restart should not wait ~10 s for an unchanged console).
if (process.argv.includes('--with-console') && consoleIsStale()) {
  const { build: viteBuild } = await import('vite')
  await viteBuild({ configFile: join(root, 'vite.console.config.mts'), logLevel: 'warn' })
}

function consoleIsStale() {
  const built = join(root, 'out', 'console', 'index.html')
  if (!existsSync(built)) return true
  const builtAt = statSync(built).mtimeMs
  const newest = (dir) =>
    readdirSync(dir, { withFileTypes: true }).reduce((latest, entry) => {
      const path = join(dir, entry.name)
      return Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs)
    }, 0)
  return Math.max(newest(join(root, 'server', 'console')), newest(join(root, 'renderer', 'src')), statSync(join(root, 'vite.console.config.mts')).mtimeMs) > builtAt
}
