// Library benchmark: upload intake throughput (magic bytes, box walk, sha256, write, fsync, ffprobe, row)
// for a large video streamed in 64 KiB chunks, the peak memory it adds (the body is never held whole), and
// how fast a 20,000×20,000 px PNG is refused.
import { execFileSync } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { deflateSync, crc32 } from 'node:zlib'
import { openSqlite } from '../server/db/database'
import { uploadMedia } from '../server/library/intake'
import { createLibrary } from '../server/library/library'
import type { BenchRow } from './report'

const CHUNK = 64 * 1024

/** A real MP4 followed by a `free` box of `extraMb` MiB (players skip it; every byte is still hashed and written). */
async function* paddedVideo(mp4: Buffer, extraMb: number): AsyncGenerator<Buffer> {
  yield mp4
  const size = extraMb * 1024 * 1024
  const header = Buffer.alloc(8)
  header.writeUInt32BE(size)
  header.write('free', 4, 'latin1')
  yield header
  const block = Buffer.alloc(CHUNK, 0x5a)
  for (let left = size - 8; left > 0; left -= CHUNK) yield left >= CHUNK ? block : block.subarray(0, left)
}

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4)
  length.writeUInt32BE(data.length)
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data])
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(body))
  return Buffer.concat([length, body, crc])
}

export async function libraryBench(options: { videoMb: number }): Promise<BenchRow[]> {
  const dir = await mkdtemp(join(tmpdir(), 'bangtin-bench-library-'))
  try {
    const clip = join(dir, 'clip.mp4')
    execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=10', '-t', '1', '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-movflags', '+faststart', clip])
    const mp4 = await readFile(clip)
    const opened = await openSqlite(join(dir, 'source.sqlite'))
    await opened.db.insertInto('units').values({ id: 'xa', parent_id: null, level: 'xa', name: 'xa', path: '/xa/', created_at: new Date().toISOString() }).execute()
    const library = createLibrary({ db: opened.db, mediaRoot: join(dir, 'media') })
    const actor = { id: 'bench', scope: new Set(['xa']) }

    const rssBefore = process.memoryUsage().rss
    let rssPeak = rssBefore
    const sampler = setInterval(() => {
      rssPeak = Math.max(rssPeak, process.memoryUsage().rss)
    }, 20)
    const start = performance.now()
    await uploadMedia(library, actor, { unitId: 'xa', fileName: 'big.mp4', body: paddedVideo(mp4, options.videoMb) })
    const seconds = (performance.now() - start) / 1000
    clearInterval(sampler)
    const rssAddedMb = (rssPeak - rssBefore) / 1024 / 1024

    const header = Buffer.alloc(13)
    header.writeUInt32BE(20_000, 0)
    header.writeUInt32BE(20_000, 4)
    header[8] = 1
    const bomb = Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      pngChunk('IHDR', header),
      pngChunk('IDAT', deflateSync(Buffer.alloc(2501 * 20_000))),
      pngChunk('IEND', Buffer.alloc(0))
    ])
    const refuseStart = performance.now()
    await uploadMedia(library, actor, { unitId: 'xa', body: (async function* () { yield bomb })() }).catch(() => undefined)
    const refuseMs = performance.now() - refuseStart
    await opened.close()

    const mbPerSec = options.videoMb / seconds
    return [
      { section: 'library', name: `upload intake of a ${options.videoMb} MiB video (hash, write, fsync, probe)`, value: mbPerSec, unit: 'MiB/s', target: '> 50 MiB/s', ok: mbPerSec > 50 },
      { section: 'library', name: 'memory the upload added (peak RSS)', value: rssAddedMb, unit: 'MiB', target: '< 64 MiB', ok: rssAddedMb < 64 },
      { section: 'library', name: `${(bomb.length / 1024).toFixed(0)} KiB PNG of 20,000×20,000 px refused`, value: refuseMs, unit: 'ms', target: '< 50 ms', ok: refuseMs < 50 }
    ]
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}
