// Unit and integration tests of the core, the shells (electron mocked) and renderer logic.
import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 20_000,
    // Polls wait on real sockets, fsyncs and child processes: a slow CI disk needs more than the 1 s default.
    expect: { poll: { timeout: 5_000 } },
    pool: 'forks',
    // Most files wait on sockets, fsync and child processes rather than compute: three at a time on two cores
    // (the default is cores - 1, i.e. one file at a time here) halves the stage; no test depends on speed.
    maxWorkers: 3
  }
})
