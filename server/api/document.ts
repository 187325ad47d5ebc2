// The committed OpenAPI text (docs/console-api.json) for the registered routes, byte for byte.
import { buildOpenApi } from './openapi'
import { ALL_ROUTES } from './registry'

export function consoleApiDocument(): string {
  return `${JSON.stringify(buildOpenApi(ALL_ROUTES), null, 2)}\n`
}
