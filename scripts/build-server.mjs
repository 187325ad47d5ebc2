// Builds the reference source server (server/cli.ts) into out/server/cli.js, run by plain Node (no tsx).
// Packages stay external (socket.io, zod from node_modules); it never goes into the player's installers.
import { build } from 'esbuild'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))

await build({
  entryPoints: [join(root, 'server', 'cli.ts')],
  outfile: join(root, 'out', 'server', 'cli.js'),
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning'
})
