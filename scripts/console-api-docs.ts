// Writes docs/console-api.json, the console API's OpenAPI document, from the route registry
// (test/server/api/openapi.test.ts fails when the committed file differs from what this writes).
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { consoleApiDocument } from '../server/api/document'

const file = join(process.cwd(), 'docs', 'console-api.json')
writeFileSync(file, consoleApiDocument())
console.log(`wrote ${file}`)
