// Lint rule: no import cycles, `import type` included. A type-only cycle is still two rooms that each
// lean on the other (the one that tangled protocol/ with reporting/ and sync/ ran through a type
// import, which import-x's `no-cycle` skips), so every import counts. Edges come from the TypeScript
// compiler's own module resolution, so what this sees is what `tsc` and the bundler see.
import { readFileSync, statSync } from 'node:fs'
import { relative, resolve } from 'node:path'
import ts from 'typescript'

const compilerOptions = {
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  resolveJsonModule: true
}
const SOURCE = /\.(ts|tsx|mts|cts|js|mjs|cjs)$/

/** The project files a text imports (packages, Node built-ins and non-code files left out), each with where its specifier stands. */
function importsOf(file, text) {
  const found = []
  for (const ref of ts.preProcessFile(text, true, true).importedFiles) {
    const resolved = ts.resolveModuleName(ref.fileName, file, compilerOptions, ts.sys).resolvedModule
    if (!resolved || resolved.isExternalLibraryImport || resolved.resolvedFileName.endsWith('.d.ts')) continue
    if (!SOURCE.test(resolved.resolvedFileName)) continue
    found.push({ target: resolve(resolved.resolvedFileName), index: ref.pos })
  }
  return found
}

/** Imports of a file as it is on disk, read again only when it changed (an editor keeps ESLint running). */
const onDisk = new Map()
function targetsOnDisk(file) {
  let stamp
  try {
    const stat = statSync(file)
    stamp = `${stat.mtimeMs}:${stat.size}`
  } catch {
    return []
  }
  const cached = onDisk.get(file)
  if (cached?.stamp === stamp) return cached.targets
  const targets = [...new Set(importsOf(file, readFileSync(file, 'utf8')).map((i) => i.target))]
  onDisk.set(file, { stamp, targets })
  return targets
}

/** The shortest chain of imports from `start` back to `goal` (both included), or null. */
function chainBack(start, goal) {
  const cameFrom = new Map([[start, null]])
  const queue = [start]
  while (queue.length > 0) {
    const file = queue.shift()
    for (const next of targetsOnDisk(file)) {
      if (cameFrom.has(next)) continue
      cameFrom.set(next, file)
      if (next === goal) {
        const chain = [goal]
        for (let at = file; at !== null; at = cameFrom.get(at)) chain.unshift(at)
        return chain
      }
      queue.push(next)
    }
  }
  return null
}

export default {
  meta: {
    type: 'problem',
    docs: { description: 'Forbid import cycles between project files, type-only imports included.' },
    messages: { cycle: 'import cycle: {{chain}}' },
    schema: []
  },
  create(context) {
    const file = resolve(context.physicalFilename)
    const root = context.cwd
    return {
      Program() {
        const sourceCode = context.sourceCode
        const reported = new Set()
        for (const { target, index } of importsOf(file, sourceCode.text)) {
          if (target === file || reported.has(target)) continue
          const chain = chainBack(target, file)
          if (!chain) continue
          reported.add(target)
          const start = sourceCode.getLocFromIndex(index)
          context.report({
            loc: { start, end: { line: start.line, column: start.column + 1 } },
            messageId: 'cycle',
            data: { chain: [file, ...chain].map((f) => relative(root, f)).join(' → ') }
          })
        }
      }
    }
  }
}
