// Proves the reference server's lint element bites: the real ESLint config run on probe files. The server
// may import the protocol, the shared libraries and itself; nothing else of the player, and never its own
// test extension. The shared logger's element (lib/) is open to the Node side only.
import { ESLint } from 'eslint'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

const eslint = new ESLint({ cwd: join(__dirname, '../..') })

async function ruleIds(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath })
  return result!.messages.map((m) => m.ruleId ?? m.message)
}

const importing = (from: string, name: string): string => `import { ${name} } from '${from}'\nexport const x = ${name}\n`

describe('server lint element', () => {
  it('lets the server import the protocol, the shared logger and itself', async () => {
    expect(await ruleIds('server/probe.ts', importing('../main/core/protocol/manifest', 'Manifest'))).toEqual([])
    expect(await ruleIds('server/probe.ts', importing('../lib/log', 'JsonLineLog'))).toEqual([])
    expect(await ruleIds('server/probe.ts', importing('./state', 'ServerState'))).toEqual([])
  })

  it('fails the server importing the core outside protocol/', async () => {
    expect(await ruleIds('server/probe.ts', importing('../main/core/config', 'loadConfig'))).toContain('boundaries/dependencies')
    expect(await ruleIds('server/probe.ts', importing('../main/core/log', 'consoleLogger'))).toContain('boundaries/dependencies')
  })

  it('fails the server importing a shell or the renderer', async () => {
    expect(await ruleIds('server/probe.ts', importing('../main/browser/args', 'parseShellArgs'))).toContain('boundaries/dependencies')
    expect(await ruleIds('server/probe.ts', importing('../renderer/src/store', 'useScreen'))).toContain('boundaries/dependencies')
  })

  it('fails the server importing its test extension; the extension may import the server', async () => {
    expect(await ruleIds('server/probe.ts', importing('./testing/test-server', 'startTestServer'))).toContain('boundaries/dependencies')
    expect(await ruleIds('server/testing/probe.ts', importing('../reference-server', 'startSeamedServer'))).toEqual([])
  })

  it('fails the core importing the server', async () => {
    expect(await ruleIds('main/core/probe.ts', importing('../../server/reference-server', 'startReferenceServer'))).toContain('boundaries/dependencies')
  })
})

describe('shared library element', () => {
  it('lets the core and the shells import it', async () => {
    expect(await ruleIds('main/core/probe.ts', importing('../../lib/log', 'teeLogger'))).toEqual([])
    expect(await ruleIds('main/browser/probe.ts', importing('../../lib/log', 'teeLogger'))).toEqual([])
  })

  it('fails the renderer importing it, and it importing the player', async () => {
    expect(await ruleIds('renderer/src/probe.ts', importing('../../lib/log', 'teeLogger'))).toContain('boundaries/dependencies')
    expect(await ruleIds('lib/probe.ts', importing('../main/core/protocol/manifest', 'Manifest'))).toContain('boundaries/dependencies')
  })
})
