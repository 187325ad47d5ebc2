// Asks ffprobe what a video holds (resolution, duration, codec), when ffprobe is installed, and has ffmpeg (beside
// it) decode a picture once. Without them the server still takes files (their structure checked as they arrive:
// container-walk.ts, jpeg-walk.ts) and says it could not look at videos.
import { spawn } from 'node:child_process'
import { open } from 'node:fs/promises'

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

export type DecodeResult = { status: 'decoded' } | { status: 'broken'; detail: string } | { status: 'absent' }

/** ffmpeg's demuxer for each picture type (named, so the bytes are never read as anything else). */
const IMAGE_DEMUXERS: Record<string, string> = { 'image/jpeg': 'jpeg_pipe', 'image/png': 'png_pipe', 'image/webp': 'webp_pipe' }

/** The ffmpeg that comes with this ffprobe ("/opt/ff/ffprobe" → "/opt/ff/ffmpeg"; "ffprobe" → "ffmpeg"). */
export function ffmpegBeside(ffprobe: string): string {
  return ffprobe.replace(/ffprobe(\.exe)?$/i, 'ffmpeg$1')
}

/**
 * Decodes a picture to nowhere. The structural walks cannot see that the compressed data is short: a JPEG cut
 * at 14% with FF D9 appended has every marker right and shows as a grey box. `-err_detect explode -xerror`
 * make ffmpeg stop with an error on the first damaged block ("overread"), and at `-v error` anything it prints
 * is an error, so either counts as broken.
 */
export async function decodeImage(file: string, mime: string, ffmpeg = 'ffmpeg'): Promise<DecodeResult> {
  const demuxer = IMAGE_DEMUXERS[mime]
  // ffmpeg 5 cannot decode animated WebP at all ("image data not found"): those keep the structural checks only.
  if (!demuxer || (mime === 'image/webp' && (await animatedWebp(file)))) return { status: 'decoded' }
  const args = ['-hide_banner', '-nostdin', '-v', 'error', '-err_detect', 'explode', '-xerror', '-f', demuxer, '-i', `file:${file}`, '-f', 'null', '-']
  const run = await runTool(ffmpeg, args)
  if (run.absent) return { status: 'absent' }
  const said = run.stderr.trim()
  if (run.code !== 0 || said !== '') return { status: 'broken', detail: said.slice(0, 300) || `ffmpeg exited ${run.code}` }
  return { status: 'decoded' }
}

/** A WebP whose VP8X header sets the animation flag. */
async function animatedWebp(file: string): Promise<boolean> {
  const handle = await open(file, 'r')
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(21), 0, 21, 0)
    return bytesRead === 21 && buffer.toString('latin1', 12, 16) === 'VP8X' && ((buffer[20] as number) & 0x02) !== 0
  } finally {
    await handle.close()
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
