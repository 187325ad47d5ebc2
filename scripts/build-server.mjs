// Builds the reference source server (server/cli.ts) into out/server/cli.js and the product
// (server/product/main.ts) into out/server/product.js, run by plain Node (no tsx).
// Packages stay external (socket.io, zod from node_modules); it never goes into the player's installers.
import { build } from 'esbuild'
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
