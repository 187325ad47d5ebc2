// Builds the web console (server/console/, React) into out/console, served by the source server at /console/.
import { resolve } from 'node:path'
import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

const root = import.meta.dirname

export default defineConfig({
  root: resolve(root, 'server/console'),
  base: '/console/',
  plugins: [react()],
  // Nothing fetched from elsewhere at run time: fonts and all are bundled files under /console/assets/.
  build: {
    outDir: resolve(root, 'out/console'),
    emptyOutDir: true,
    minify: true,
    // No data: URLs for fonts and images (the CSP's font-src is 'self'), no inline preload helper script.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    reportCompressedSize: false,
    // The app, and the board preview it frames (the player's renderer at a board's own size).
    rollupOptions: { input: { index: resolve(root, 'server/console/index.html'), preview: resolve(root, 'server/console/preview.html') } }
  }
})
