// The published protocol is generated from the schemas the code uses: the committed copy must be current.
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { protocolMarkdown, schemaFiles } from '../../scripts/protocol-docs'

const docs = join(__dirname, '../../docs')

describe('docs/protocol.md', () => {
  it('matches the schemas (run `npm run protocol-docs` after changing main/core/protocol)', async () => {
    expect(await readFile(join(docs, 'protocol.md'), 'utf8')).toBe(protocolMarkdown())
    for (const [name, text] of schemaFiles()) expect(await readFile(join(docs, 'schemas', name), 'utf8'), name).toBe(text)
  })

  it('exports a JSON Schema that knows the manifest fields', () => {
    const manifest = JSON.parse(schemaFiles().get('manifest.schema.json')!)
    expect(manifest.required).toEqual(expect.arrayContaining(['schema', 'version', 'playlists', 'assets']))
    expect(manifest.properties.playlists.items.properties.priority.enum).toEqual(['normal', 'priority', 'emergency'])
  })
})
