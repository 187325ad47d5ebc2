// Builds the Electron main process, the sandboxed preload, the renderer, and the browser shell.
import { resolve } from 'node:path'
import react from '@vitejs/plugin-react'
import { defineConfig } from 'electron-vite'

export default defineConfig({
  main: {
    build: {
      // zod bundled (tree-shaken from its ES build) rather than required: as a package it loads ~95 files,
      // all its locales among them, which was the largest part of the shell's start before Chromium could.
      externalizeDeps: { exclude: ['zod'] },
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'main/electron/index.ts'),
          // The browser shell shares the main build: same core, run with plain Node.
          browser: resolve(__dirname, 'main/browser/index.ts')
        }
      }
    }
  },
  preload: {
    build: {
      // A sandboxed preload cannot require() packages: bundle the contract's zod into it.
      externalizeDeps: false,
      rollupOptions: { input: { index: resolve(__dirname, 'main/electron/preload.ts') } }
    }
  },
  renderer: {
    root: resolve(__dirname, 'renderer'),
    build: {
      // Minified: the screen parses its code before it can paint anything, on a slow box at every start.
      minify: true,
      rollupOptions: { input: { index: resolve(__dirname, 'renderer/index.html') } }
    },
    plugins: [react()]
  }
})
