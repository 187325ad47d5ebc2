// Proves the layer rules bite: the real ESLint config run on probe files placed in each layer, and
// the import-cycle check run on small trees of probe files written to a temp folder.
import { ESLint } from 'eslint'
import { mkdir, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { useTempDirs } from '../helpers/temp-dir'

const repo = join(__dirname, '../..')
const eslint = new ESLint({ cwd: repo })

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

  it('keeps the protocol the floor: it imports nothing of ours above it', async () => {
    const upward = "import { consoleLogger } from '../log'\nexport const x = consoleLogger\n"
    const ids = await ruleIds('main/core/protocol/probe.ts', upward)
    expect(ids).toContain('boundaries/dependencies')
    expect(ids).toContain('no-restricted-imports')
    expect(await ruleIds('main/core/protocol/probe.ts', "import { MEDIA_SCHEME } from '../../../contract/screen'\nexport const x = MEDIA_SCHEME\n")).toContain(
      'boundaries/dependencies'
    )
    // Not even a Node module other than crypto: the screen and any server must be able to use it.
    expect(await ruleIds('main/core/protocol/probe.ts', "import { readFile } from 'node:fs/promises'\nexport const x = readFile\n")).toContain(
      'no-restricted-imports'
    )
  })

  it('lets the protocol import zod, node:crypto and itself, and everyone import the protocol', async () => {
    const own = "import { z } from 'zod'\nimport { createHash } from 'node:crypto'\nimport { Id } from './manifest'\nexport const x = [z, createHash, Id]\n"
    expect(await ruleIds('main/core/protocol/probe.ts', own)).toEqual([])
    expect(await ruleIds('contract/probe.ts', "import { PlayEvent } from '../main/core/protocol/plays'\nexport const x = PlayEvent\n")).toEqual([])
    expect(await ruleIds('main/core/sync/probe.ts', "import { paths } from '../protocol/api'\nexport const x = paths\n")).toEqual([])
    expect(await ruleIds('main/browser/probe.ts', "import { paths } from '../core/protocol/api'\nexport const x = paths\n")).toEqual([])
  })
})

describe('import-cycle lint rule', () => {
  const tempDir = useTempDirs()

  /** Writes the files into a fresh folder and lints them all with the project's real config. */
  async function lintTree(files: Record<string, string>): Promise<{ file: string; ruleId: string | null; message: string }[]> {
    const root = await tempDir()
    for (const [path, text] of Object.entries(files)) {
      await mkdir(dirname(join(root, path)), { recursive: true })
      await writeFile(join(root, path), text)
    }
    const probe = new ESLint({ cwd: root, overrideConfigFile: join(repo, 'eslint.config.mjs') })
    const results = await probe.lintFiles(Object.keys(files))
    return results.flatMap((r) => r.messages.map((m) => ({ file: r.filePath.slice(root.length + 1), ruleId: m.ruleId, message: m.message })))
  }

  it('fails a cycle of plain imports, naming the chain', async () => {
    const problems = await lintTree({
      'main/core/a.ts': "import { b } from './b'\nexport const a = () => b\n",
      'main/core/b.ts': "import { c } from './sub/c'\nexport const b = () => c\n",
      'main/core/sub/c.ts': "import { a } from '../a'\nexport const c = () => a\n"
    })
    const cycles = problems.filter((p) => p.ruleId === 'local/no-import-cycle')
    expect(cycles.map((p) => p.file).sort()).toEqual(['main/core/a.ts', 'main/core/b.ts', 'main/core/sub/c.ts'])
    expect(cycles.find((p) => p.file === 'main/core/a.ts')?.message).toBe(
      'import cycle: main/core/a.ts → main/core/b.ts → main/core/sub/c.ts → main/core/a.ts'
    )
  })

  it('fails a cycle that runs through a type-only import (the one that tied protocol/ to reporting/ and sync/)', async () => {
    const problems = await lintTree({
      'main/core/protocol/api.ts': "import { Heartbeat } from '../reporting/heartbeat'\nexport const api = Heartbeat\n",
      'main/core/reporting/heartbeat.ts': "import type { Snapshot } from '../sync/engine'\nexport const Heartbeat = (s: Snapshot) => s\n",
      'main/core/sync/engine.ts': "import { api } from '../protocol/api'\nexport type Snapshot = typeof api\n"
    })
    expect(problems.filter((p) => p.ruleId === 'local/no-import-cycle').map((p) => p.file)).toContain('main/core/protocol/api.ts')
  })

  it('checks the renderer, the contract and the reference server where it is now and where it moves', async () => {
    for (const dir of ['renderer/src', 'contract', 'lib', 'server']) {
      const problems = await lintTree({
        [`${dir}/x.ts`]: "import { y } from './y'\nexport const x = () => y\n",
        [`${dir}/y.ts`]: "import { x } from './x'\nexport const y = () => x\n"
      })
      expect(problems.filter((p) => p.ruleId === 'local/no-import-cycle').map((p) => p.file), dir).toEqual([`${dir}/x.ts`, `${dir}/y.ts`])
    }
  })

  it('passes imports that only go one way', async () => {
    const problems = await lintTree({
      'main/core/a.ts': "import { b } from './b'\nimport type { C } from './c'\nexport const a = (c: C) => [b, c]\n",
      'main/core/b.ts': "import type { C } from './c'\nexport const b = (c?: C) => c\n",
      'main/core/c.ts': 'export type C = number\n'
    })
    expect(problems).toEqual([])
  })
})
