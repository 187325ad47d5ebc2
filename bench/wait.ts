// Polls a condition for the benchmarks: short intervals, because what is measured is latency.
export async function waitFor(check: () => boolean, timeoutMs = 15_000, intervalMs = 2): Promise<void> {
  const start = Date.now()
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out')
    await new Promise((r) => setTimeout(r, intervalMs))
  }
}
