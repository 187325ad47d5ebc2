// The committed OpenAPI document is the one the route registry generates: it cannot drift from the code.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, test } from 'vitest'
import { consoleApiDocument } from '../../../server/api/document'
import { ALL_ROUTES } from '../../../server/api/registry'

test('docs/console-api.json equals the document generated from the routes (npm run console-api-docs)', () => {
  const committed = readFileSync(join(process.cwd(), 'docs', 'console-api.json'), 'utf8')
  expect(committed).toBe(consoleApiDocument())
})

test('every registered route is in the document, with its method', () => {
  const doc = JSON.parse(consoleApiDocument()) as { paths: Record<string, Record<string, unknown>> }
  for (const route of ALL_ROUTES) {
    const path = route.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}')
    expect(doc.paths[path]?.[route.method.toLowerCase()], `${route.method} ${route.path}`).toBeDefined()
  }
})
