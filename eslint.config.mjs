// Lint: TypeScript rules plus the layer rules (who may import whom) that keep the core platform-free.
import boundaries from 'eslint-plugin-boundaries'
import globals from 'globals'
import tseslint from 'typescript-eslint'
import noImportCycle from './scripts/eslint/no-import-cycle.mjs'

/**
 * The layers. The protocol (main/core/protocol/: wire schemas and names between a board and the source
 * system) is the floor everyone stands on and that stands on nothing of ours; above it, the contract is
 * the only thing the renderer and the host side share. Listed before `core`: the first pattern that
 * matches names a file's element.
 */
const elements = [
  { type: 'protocol', pattern: 'main/core/protocol/**', partialMatch: false },
  { type: 'contract', pattern: 'contract/**', partialMatch: false },
  { type: 'core', pattern: 'main/core/**', partialMatch: false },
  { type: 'electron-shell', pattern: 'main/electron/**', partialMatch: false },
  { type: 'browser-shell', pattern: 'main/browser/**', partialMatch: false },
  { type: 'renderer', pattern: 'renderer/**', partialMatch: false },
  // Small libraries that know nothing of boards or servers (the shared logger).
  { type: 'lib', pattern: 'lib/**', partialMatch: false },
  // The web console (a browser app the server serves): before `server`, which would otherwise claim it.
  { type: 'console', pattern: 'server/console/**', partialMatch: false },
  // The reference source server, and the fault hooks only tests wrap it with.
  { type: 'server-testing', pattern: 'server/testing/**', partialMatch: false },
  { type: 'server', pattern: 'server/**', partialMatch: false }
]

/**
 * What the server may take from the player: the protocol, and the pure scheduler (so "what plays when" on
 * the server is what the board computes), nothing else of it.
 */
const serverMayImport = [
  { element: { types: { anyOf: ['server', 'lib', 'protocol'] } } },
  { element: { type: 'core' }, file: { path: '**/main/core/schedule/scheduler.ts' } }
]

const layerPolicies = [
  { from: { element: { type: 'protocol' } }, allow: { to: { element: { type: 'protocol' } } } },
  { from: { element: { type: 'contract' } }, allow: { to: { element: { types: { anyOf: ['contract', 'protocol'] } } } } },
  { from: { element: { type: 'core' } }, allow: { to: { element: { types: { anyOf: ['core', 'contract', 'protocol'] } } } } },
  {
    from: { element: { type: 'electron-shell' } },
    allow: { to: { element: { types: { anyOf: ['electron-shell', 'core', 'contract', 'protocol'] } } } }
  },
  {
    from: { element: { type: 'browser-shell' } },
    allow: { to: { element: { types: { anyOf: ['browser-shell', 'core', 'contract', 'protocol'] } } } }
  },
  // The renderer may use the protocol's plain definitions (a weekday's number); tsconfig.web.json has no
  // Node types, so a protocol module that needs Node (signing.ts) is a type error there.
  { from: { element: { type: 'renderer' } }, allow: { to: { element: { types: { anyOf: ['renderer', 'contract', 'protocol'] } } } } },
  { from: { element: { type: 'lib' } }, allow: { to: { element: { type: 'lib' } } } },
  // Every Node-side element may use the shared libraries; the renderer has no use for them.
  { from: { element: { types: { anyOf: ['core', 'electron-shell', 'browser-shell'] } } }, allow: { to: { element: { type: 'lib' } } } },
  { from: { element: { type: 'server' } }, allow: { to: serverMayImport } },
  // The console talks to the server only over HTTP; it may show the renderer's display components (preview).
  { from: { element: { type: 'console' } }, allow: { to: { element: { types: { anyOf: ['console', 'renderer', 'contract', 'protocol'] } } } } },
  // The test extension wraps the server; the server itself never imports it (checked by the policy above).
  { from: { element: { type: 'server-testing' } }, allow: { to: [...serverMayImport, { element: { type: 'server-testing' } }] } }
]

/** Globals that only exist in a browser or Electron renderer: the core must not reach for them. */
const domGlobals = ['window', 'document', 'navigator', 'location', 'localStorage', 'HTMLElement', 'requestAnimationFrame']

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'test/fixtures/lint/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx,mts,mjs}'],
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }]
    }
  },
  {
    files: ['contract/**/*.ts', 'main/**/*.ts', 'renderer/**/*.{ts,tsx}', 'lib/**/*.ts', 'server/**/*.{ts,tsx}'],
    plugins: { boundaries },
    settings: {
      'boundaries/elements': elements,
      'import/resolver': { node: { extensions: ['.ts', '.tsx', '.js'] } }
    },
    rules: {
      'boundaries/dependencies': ['error', { default: 'disallow', policies: layerPolicies }]
    }
  },
  {
    // The core (and what it shares with the server) runs in plain Node: no electron, no DOM, no UI libraries.
    files: ['main/core/**/*.ts', 'contract/**/*.ts', 'lib/**/*.ts', 'server/**/*.ts'],
    ignores: ['server/console/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'electron', message: 'The core is platform-free: electron belongs in main/electron.' },
            { name: 'react', message: 'The core draws nothing: UI belongs in renderer/.' }
          ],
          patterns: [{ group: ['electron/*', 'react-dom*', '@electron/*'], message: 'The core is platform-free.' }]
        }
      ],
      'no-restricted-globals': ['error', ...domGlobals.map((name) => ({ name, message: 'The core has no DOM.' }))]
    }
  },
  {
    // The floor: zod, node:crypto (signatures) and its own modules, nothing else, so the reference
    // server, the shells and the screen can all stand on it without pulling in the rest of the core.
    files: ['main/core/protocol/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: '^(?!zod$|node:crypto$|\\./[^/]+$)', message: 'main/core/protocol/ imports only zod, node:crypto and its own modules.' }] }
      ]
    }
  },
  {
    // No import cycles (type-only imports count) in the player, the screen, the contract, the shared
    // libraries and the reference server.
    files: ['contract/**/*.ts', 'main/**/*.ts', 'renderer/**/*.{ts,tsx}', 'lib/**/*.ts', 'server/**/*.{ts,tsx}'],
    plugins: { local: { rules: { 'no-import-cycle': noImportCycle } } },
    rules: { 'local/no-import-cycle': 'error' }
  },
  {
    // The renderer gets everything through the bridge: no Node, no electron.
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'The renderer talks to the host only through the bridge.' }],
          patterns: [{ group: ['node:*'], message: 'The renderer has no Node.' }]
        }
      ]
    }
  },
  {
    // The web console runs in a browser: DOM yes, Node and electron no.
    files: ['server/console/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'The console is a web page.' }],
          patterns: [{ group: ['node:*'], message: 'The console runs in a browser: no Node.' }]
        }
      ]
    }
  }
)
