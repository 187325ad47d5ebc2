// End-to-end tests: the browser shell in Debian's Chromium, and Electron specs where a binary exists.
import { defineConfig } from '@playwright/test'
import { TEST_CHROMIUM_FLAGS } from './e2e/fixtures/chromium-flags'
import { findChromium } from './main/browser/chromium'

const chromiumPath = findChromium() ?? undefined

export default defineConfig({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  workers: 1,
  fullyParallel: false,
  retries: 0,
  timeout: 90_000,
  expect: { timeout: 15_000 },
  outputDir: 'test-results/e2e',
  reporter: [['list'], ['json', { outputFile: 'test-results/playwright.json' }]],
  use: {
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: chromiumPath,
      args: TEST_CHROMIUM_FLAGS
    }
  },
  projects: [
    { name: 'browser-shell', testDir: 'e2e/specs' },
    { name: 'electron', testDir: 'e2e/electron' }
  ]
})
