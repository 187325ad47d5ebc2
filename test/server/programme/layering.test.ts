// The server may take the core's pure scheduler (so "what plays when" is the board's own answer) and
// nothing else of the core: eslint.config.mjs's serverMayImport, checked with ESLint itself.
import { ESLint } from 'eslint'
import { join } from 'node:path'
import { expect, test } from 'vitest'

const eslint = new ESLint({ cwd: process.cwd() })

async function layerErrors(source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath: join(process.cwd(), 'server', 'programme', 'layering-probe.ts') })
  return (result?.messages ?? []).filter((m) => m.ruleId === 'boundaries/dependencies').map((m) => m.message)
}

test('server/ may import main/core/schedule/scheduler.ts, and not the rest of the core', async () => {
  expect(await layerErrors("import { plan } from '../../main/core/schedule/scheduler'\nexport const p = plan\n")).toEqual([])
  expect(await layerErrors("import { Director } from '../../main/core/schedule/director'\nexport const d = Director\n")).toHaveLength(1)
  expect(await layerErrors("import { wallClockMs } from '../../main/core/time/zoned'\nexport const w = wallClockMs\n")).toHaveLength(1)
}, 60_000)
