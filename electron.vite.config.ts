// Builds the Electron main process, the sandboxed preload, the renderer, and the browser shell.
import { resolve } from 'node:path'
import react from '@vitejs/plugin-react'
import { defineConfig } from 'electron-vite'

export default defineConfig({
  main: {
    build: {
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
      rollupOptions: { input: { index: resolve(__dirname, 'renderer/index.html') } }
    },
    plugins: [react()]
  }
})
