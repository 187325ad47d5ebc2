// Chromium's processes as Linux shows them in /proc: the tree under the browser process we started, which
// of them render pages, and how much memory the tree really uses. Elsewhere (no /proc) the lists are empty.
import { readdir, readFile } from 'node:fs/promises'

export interface ProcessInfo {
  pid: number
  ppid: number
}

/** pid and parent pid from /proc/<pid>/stat; the command name in parentheses may itself hold spaces or ')'. */
export function parseStat(stat: string): ProcessInfo | null {
  const close = stat.lastIndexOf(')')
  const pid = Number.parseInt(stat, 10)
  const ppid = Number(stat.slice(close + 2).split(' ')[1])
  return close > 0 && Number.isInteger(pid) && Number.isInteger(ppid) ? { pid, ppid } : null
}

async function allProcesses(proc: string): Promise<ProcessInfo[]> {
  const names = await readdir(proc).catch(() => [] as string[])
  const rows = await Promise.all(
    names
      .filter((name) => /^\d+$/.test(name))
      // A process may end between the listing and the read: it is simply not in the tree.
      .map((name) => readFile(`${proc}/${name}/stat`, 'utf8').then(parseStat, () => null))
  )
  return rows.filter((row): row is ProcessInfo => row !== null)
}

/** Every process below `root` (children, their children…), not `root` itself. */
export async function descendantsOf(root: number, proc = '/proc'): Promise<number[]> {
  const children = new Map<number, number[]>()
  for (const { pid, ppid } of await allProcesses(proc)) children.set(ppid, [...(children.get(ppid) ?? []), pid])
  const found: number[] = []
  const queue = [root]
  while (queue.length > 0) {
    for (const child of children.get(queue.shift()!) ?? []) {
      found.push(child)
      queue.push(child)
    }
  }
  return found
}

const commandLineOf = (pid: number, proc: string): Promise<string> => readFile(`${proc}/${pid}/cmdline`, 'utf8').catch(() => '')
/** A flag in a command line: NUL-separated as exec'd, or space-separated once Chromium has retitled the process. */
const hasFlag = (commandLine: string, flag: string): boolean => commandLine.split(/[\0 ]/).includes(flag)

/**
 * The renderer processes under Chromium's browser process that may hold the screen's page: every
 * `--type=renderer` but extension processes. The kiosk shows one page, so these are its renderer (and
 * perhaps a spare one Chromium keeps warm, which may go too).
 */
export async function pageRenderersOf(browserPid: number, proc = '/proc'): Promise<number[]> {
  const pids = await descendantsOf(browserPid, proc)
  const lines = await Promise.all(pids.map((pid) => commandLineOf(pid, proc)))
  return pids.filter((_, i) => hasFlag(lines[i]!, '--type=renderer') && !hasFlag(lines[i]!, '--extension-process'))
}

/**
 * Memory the process and its descendants use, in MB: proportional set size (shared pages split between
 * the processes sharing them, so Chromium's many processes are not counted many times over), or the
 * resident size where the kernel has no smaps_rollup. Null when nothing could be read.
 */
export async function treeMemoryMb(root: number, proc = '/proc'): Promise<number | null> {
  const pids = [root, ...(await descendantsOf(root, proc))]
  const kb = await Promise.all(
    pids.map(async (pid) => {
      const rollup = await readFile(`${proc}/${pid}/smaps_rollup`, 'utf8').catch(() => '')
      const pss = /^Pss:\s+(\d+) kB/m.exec(rollup)
      if (pss) return Number(pss[1])
      const status = await readFile(`${proc}/${pid}/status`, 'utf8').catch(() => '')
      const rss = /^VmRSS:\s+(\d+) kB/m.exec(status)
      return rss ? Number(rss[1]) : null
    })
  )
  const known = kb.filter((value): value is number => value !== null)
  return known.length === 0 ? null : known.reduce((sum, value) => sum + value, 0) / 1024
}
