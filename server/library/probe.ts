// Asks ffprobe what a video holds (resolution, duration, codec), when ffprobe is installed. Without it the
// server still takes videos (their container checked by container-walk.ts) and says it could not look.
import { spawn } from 'node:child_process'

export interface VideoProbe {
  width: number
  height: number
  /** Null for a live-recorded WebM that states no duration. */
  durationMs: number | null
  codec: string
}

export type ProbeResult =
  | { status: 'probed'; video: VideoProbe }
  | { status: 'unreadable'; detail: string }
  | { status: 'no-video-stream' }
  | { status: 'absent' }

/** A generous bound: a hostile file must not hold a probe (and its upload slot) forever. */
const PROBE_TIMEOUT_MS = 120_000
const MAX_OUTPUT = 4 * 1024 * 1024

export async function probeVideo(file: string, ffprobe = 'ffprobe'): Promise<ProbeResult> {
  const args = ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', '-select_streams', 'v', file]
  const run = await runTool(ffprobe, args)
  if (run.absent) return { status: 'absent' }
  if (run.code !== 0) return { status: 'unreadable', detail: run.stderr.trim().slice(0, 300) || `ffprobe exited ${run.code}` }
  let parsed: { streams?: Array<Record<string, unknown>>; format?: Record<string, unknown> }
  try {
    parsed = JSON.parse(run.stdout) as typeof parsed
  } catch {
    return { status: 'unreadable', detail: 'ffprobe gave no JSON' }
  }
  const stream = parsed.streams?.find((s) => s.codec_type === 'video' && typeof s.width === 'number' && typeof s.height === 'number')
  if (!stream) return { status: 'no-video-stream' }
  const seconds = Number(parsed.format?.duration ?? stream.duration)
  return {
    status: 'probed',
    video: {
      width: stream.width as number,
      height: stream.height as number,
      durationMs: Number.isFinite(seconds) && seconds > 0 ? Math.round(seconds * 1000) : null,
      codec: String(stream.codec_name ?? 'unknown')
    }
  }
}

/** Whether ffprobe runs here (said once at start, so an operator knows videos go unprobed). */
export async function ffprobeAvailable(ffprobe = 'ffprobe'): Promise<boolean> {
  const run = await runTool(ffprobe, ['-version'])
  return !run.absent && run.code === 0
}

interface ToolRun {
  absent: boolean
  code: number | null
  stdout: string
  stderr: string
}

function runTool(command: string, args: string[]): Promise<ToolRun> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], timeout: PROBE_TIMEOUT_MS })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (data: Buffer) => {
      if (stdout.length < MAX_OUTPUT) stdout += data.toString()
    })
    child.stderr.on('data', (data: Buffer) => {
      if (stderr.length < MAX_OUTPUT) stderr += data.toString()
    })
    child.on('error', (error: NodeJS.ErrnoException) => {
      resolve({ absent: error.code === 'ENOENT' || error.code === 'EACCES', code: null, stdout, stderr: error.message })
    })
    child.on('close', (code) => resolve({ absent: false, code, stdout, stderr }))
  })
}
