// The console API's OpenAPI 3.1 document, generated from the route registry's zod schemas (never written
// by hand): served at /console/api/openapi.json and committed as docs/console-api.json.
import { z } from 'zod'
import type { AnyRoute } from './route'

const ErrorBody = z.object({
  error: z.object({
    code: z.string(),
    field: z.string().nullable().describe('The input field at fault, e.g. body.name, params.id'),
    vi: z.string().describe('Message in Vietnamese'),
    en: z.string().describe('Message in English')
  })
})

type Json = Record<string, unknown>

function schemaOf(schema: z.ZodType, io: 'input' | 'output'): Json {
  const json = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as Json
  delete json.$schema
  return json
}

function parametersOf(route: AnyRoute, where: 'path' | 'query'): Json[] {
  const schema = where === 'path' ? route.params : route.query
  if (!schema) return []
  const json = schemaOf(schema, 'input')
  const properties = (json.properties ?? {}) as Record<string, Json>
  const required = new Set((json.required ?? []) as string[])
  return Object.entries(properties).map(([name, property]) => ({ name, in: where, required: where === 'path' || required.has(name), schema: property }))
}

const ERROR_STATUSES: Record<string, string> = {
  '400': 'Bad input: the field is named',
  '401': 'Not signed in',
  '403': 'Role, unit, CSRF token or Origin refused',
  '404': 'Not found',
  '409': 'Conflict',
  '413': 'Body too large',
  '429': 'Too many attempts'
}

export function buildOpenApi(routes: readonly AnyRoute[]): Json {
  const paths: Record<string, Record<string, Json>> = {}
  const sorted = [...routes].sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method))
  for (const route of sorted) {
    const path = route.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}')
    const responses: Record<string, Json> = {
      [String(route.status ?? 200)]: { description: 'OK', content: { 'application/json': { schema: schemaOf(route.output, 'output') } } }
    }
    for (const [status, description] of Object.entries(ERROR_STATUSES)) {
      if (route.roles === 'public' && (status === '401' || status === '403')) continue
      responses[status] = { description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } }
    }
    const operation: Json = {
      operationId: `${route.method.toLowerCase()}${path.replace(/^\/console\/api/, '').replace(/[{}]/g, '').replace(/[/-](\w)/g, (_m, c: string) => c.toUpperCase())}`,
      summary: route.summary,
      tags: [route.tag],
      'x-roles': route.roles,
      parameters: [...parametersOf(route, 'path'), ...parametersOf(route, 'query')],
      responses
    }
    if (route.roles === 'public') operation.security = []
    if (route.body && !route.rawBody) {
      operation.requestBody = { required: true, content: { 'application/json': { schema: schemaOf(route.body, 'input') } } }
    }
    if (route.rawBody) operation.requestBody = { required: true, content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } }
    ;(paths[path] ??= {})[route.method.toLowerCase()] = operation
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Bảng tin source server: console API',
      version: '1',
      description:
        'JSON API for the web console and scripts. People sign in (cookie session; state-changing requests send the X-CSRF-Token header given at sign-in); scripts use an API token (Authorization: Bearer). Every error is { error: { code, field, vi, en } }.'
    },
    components: {
      schemas: { Error: schemaOf(ErrorBody, 'output') },
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: 'bangtin_session' },
        csrf: { type: 'apiKey', in: 'header', name: 'X-CSRF-Token' },
        token: { type: 'http', scheme: 'bearer' }
      }
    },
    security: [{ session: [], csrf: [] }, { token: [] }],
    paths
  }
}
