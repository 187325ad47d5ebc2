// Proves the layer rules bite: the real ESLint config run on probe files placed in each layer.
import { ESLint } from 'eslint'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

const eslint = new ESLint({ cwd: join(__dirname, '../..') })

async function ruleIds(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath })
  return result!.messages.map((m) => m.ruleId ?? m.message)
}

describe('layer lint rules', () => {
  it('fails a core file that imports electron', async () => {
    expect(await ruleIds('main/core/probe.ts', "import { app } from 'electron'\nexport const x = app\n")).toContain('no-restricted-imports')
  })

  it('fails a core file that touches the DOM', async () => {
    expect(await ruleIds('main/core/probe.ts', 'export const title = document.title\n')).toContain('no-restricted-globals')
  })

  it('fails a renderer file that imports main-process code', async () => {
    expect(await ruleIds('renderer/src/probe.ts', "import { consoleLogger } from '../../main/core/log'\nexport const x = consoleLogger\n")).toContain(
      'boundaries/dependencies'
    )
  })

  it('fails the core importing a shell', async () => {
    expect(await ruleIds('main/core/probe.ts', "import { parseShellArgs } from '../browser/args'\nexport const x = parseShellArgs\n")).toContain(
      'boundaries/dependencies'
    )
  })

  it('lets the renderer and the core import the shared contract', async () => {
    const code = "import { MEDIA_SCHEME } from '../../contract/screen'\nexport const x = MEDIA_SCHEME\n"
    expect(await ruleIds('renderer/src/probe.ts', code)).toEqual([])
    expect(await ruleIds('main/core/probe.ts', "import { MEDIA_SCHEME } from '../../contract/screen'\nexport const x = MEDIA_SCHEME\n")).toEqual([])
  })
})
