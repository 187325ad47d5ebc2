// Regenerates the bundled demo content in assets/demo/ (poster.jpg, clip.mp4, manifest.json) from code only:
// headless Chromium draws the artwork with the Be Vietnam Pro font from node_modules, ffmpeg encodes the clip.
// Usage: npm run demo-assets   (needs chromium and ffmpeg; override with CHROMIUM_PATH / FFMPEG_PATH)
import { createHash } from 'node:crypto'
import { accessSync, constants, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { delimiter, join } from 'node:path'
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'

const root = fileURLToPath(new URL('..', import.meta.url))
const outDir = join(root, 'assets', 'demo')
const fontDir = join(root, 'node_modules', '@fontsource', 'be-vietnam-pro', 'files')

/** First executable called `name` on PATH, so the script works wherever the distro puts the binaries. */
function findOnPath(name) {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue
    try {
      accessSync(join(dir, name), constants.X_OK)
      return join(dir, name)
    } catch {
      // not in this directory: keep looking
    }
  }
  throw new Error(`${name} not found on PATH`)
}

// ---------- Font: embedded as data: URLs so the page needs no file:// access and never falls back to system fonts.
// unicode-range values copied from @fontsource/be-vietnam-pro's CSS: the vietnamese subset holds the precomposed
// letters with diacritics (ă ơ ư đ ạ ữ ...), the latin subset the basic letters, ê ô â, digits and punctuation (– “ ”).
const SUBSETS = {
  vietnamese:
    'U+0102-0103,U+0110-0111,U+0128-0129,U+0168-0169,U+01A0-01A1,U+01AF-01B0,U+0300-0301,U+0303-0304,U+0308-0309,U+0323,U+0329,U+1EA0-1EF9,U+20AB',
  latin:
    'U+0000-00FF,U+0131,U+0152-0153,U+02BB-02BC,U+02C6,U+02DA,U+02DC,U+0304,U+0308,U+0329,U+2000-206F,U+20AC,U+2122,U+2191,U+2193,U+2212,U+2215,U+FEFF,U+FFFD'
}
const WEIGHTS = [400, 700]

function fontFaceCss() {
  const faces = []
  for (const [subset, range] of Object.entries(SUBSETS)) {
    for (const weight of WEIGHTS) {
      const file = join(fontDir, `be-vietnam-pro-${subset}-${weight}-normal.woff2`)
      const data = readFileSync(file).toString('base64')
      faces.push(`@font-face {
  font-family: 'Be Vietnam Pro'; font-style: normal; font-weight: ${weight}; font-display: block;
  src: url(data:font/woff2;base64,${data}) format('woff2'); unicode-range: ${range};
}`)
    }
  }
  return faces.join('\n')
}

// ---------- Artwork (HTML). Plain shapes and gradients only: no logos, no national emblem, no photos.
const baseCss = `${fontFaceCss()}
* { margin: 0; padding: 0; box-sizing: border-box; }
html, body { width: 100%; height: 100%; overflow: hidden; }
body { font-family: 'Be Vietnam Pro', sans-serif; color: #fff; -webkit-font-smoothing: antialiased; }`

const posterHtml = `<!doctype html><html lang="vi"><head><meta charset="utf-8"><style>
${baseCss}
body {
  position: relative;
  background:
    radial-gradient(circle at 82% 18%, #ffd25a 0 150px, rgba(255, 214, 102, 0.22) 151px 260px, transparent 261px),
    radial-gradient(circle at 8% 0%, rgba(255, 255, 255, 0.10) 0 420px, transparent 421px),
    linear-gradient(150deg, #0a4f35 0%, #0f6e4f 45%, #178a78 100%);
}
.fields { position: absolute; left: 0; bottom: 0; width: 1920px; height: 420px; }
.content { position: absolute; left: 140px; top: 120px; width: 1300px; }
.tag {
  display: inline-block; padding: 12px 30px; border-radius: 999px; background: rgba(255, 255, 255, 0.14);
  border: 2px solid rgba(255, 255, 255, 0.35); font-size: 30px; font-weight: 700; letter-spacing: 0.12em; text-transform: uppercase;
}
h1 { margin-top: 44px; font-size: 128px; line-height: 1.12; font-weight: 700; letter-spacing: -0.01em; text-shadow: 0 6px 24px rgba(0, 0, 0, 0.25); }
.sub {
  display: inline-block; margin-top: 40px; padding: 16px 40px; border-radius: 18px; background: #ffd25a; color: #0a4f35;
  font-size: 56px; font-weight: 700; box-shadow: 0 10px 30px rgba(0, 0, 0, 0.2);
}
p.lead { margin-top: 40px; font-size: 38px; line-height: 1.5; font-weight: 400; max-width: 1180px; color: rgba(255, 255, 255, 0.92); }
.footer {
  position: absolute; left: 0; right: 0; bottom: 0; height: 96px; display: flex; align-items: center; justify-content: center;
  background: rgba(4, 40, 27, 0.72); font-size: 34px; font-weight: 400; letter-spacing: 0.02em;
}
.footer b { color: #ffd25a; font-weight: 700; margin: 0 14px; }
</style></head><body>
<svg class="fields" viewBox="0 0 1920 420" preserveAspectRatio="none" aria-hidden="true">
  <path d="M0 190 C 320 110 640 120 960 170 C 1280 220 1600 200 1920 120 L1920 420 L0 420 Z" fill="#1f9d6a" opacity="0.55"/>
  <path d="M0 260 C 360 200 700 230 1040 260 C 1380 290 1660 250 1920 210 L1920 420 L0 420 Z" fill="#27b574" opacity="0.6"/>
  <path d="M0 330 C 400 290 760 310 1100 330 C 1440 350 1700 320 1920 300 L1920 420 L0 420 Z" fill="#7bd389" opacity="0.55"/>
</svg>
<div class="content">
  <div class="tag">Bảng tin điện tử · Thông tin cơ sở</div>
  <h1>Chung tay xây dựng<br>nông thôn mới</h1>
  <div class="sub">Xanh – Sạch – Đẹp – An toàn</div>
  <p class="lead">Mỗi gia đình giữ đường làng, ngõ xóm sạch sẽ, trồng thêm cây xanh và phân loại rác tại nguồn.</p>
</div>
<div class="footer">Vì một cộng đồng<b>văn minh · đoàn kết · phát triển bền vững</b></div>
</body></html>`

// Transparent 1280x720 text layer for the clip: ffmpeg puts it over a moving gradient background.
const clipTextHtml = `<!doctype html><html lang="vi"><head><meta charset="utf-8"><style>
${baseCss}
body { background: transparent; display: flex; flex-direction: column; align-items: center; justify-content: center; text-align: center; }
.tag { font-size: 26px; font-weight: 700; letter-spacing: 0.14em; text-transform: uppercase; color: #ffe08a; }
h1 { margin-top: 18px; font-size: 84px; line-height: 1.12; font-weight: 700; text-shadow: 0 4px 18px rgba(0, 0, 0, 0.35); }
p { margin-top: 26px; font-size: 34px; font-weight: 400; text-shadow: 0 2px 10px rgba(0, 0, 0, 0.35); }
</style></head><body>
  <div class="tag">Bản trình diễn video</div>
  <h1>Quê hương xanh,<br>sạch, đẹp</h1>
  <p>Cùng nhau giữ gìn môi trường sống của chúng ta</p>
</body></html>`

/** Loads the HTML, waits until the embedded font is really in use, then screenshots it. */
async function render(page, html, size, screenshotOptions) {
  await page.setViewportSize(size)
  await page.setContent(html, { waitUntil: 'load' })
  await page.evaluate(() => document.fonts.ready)
  // Every face (2 subsets x 2 weights) is used by the text, so all must have loaded: otherwise diacritics
  // could silently come from a system font, which would differ from machine to machine.
  const loaded = await page.evaluate(() => [...document.fonts].filter((f) => f.status === 'loaded').length)
  if (loaded !== Object.keys(SUBSETS).length * WEIGHTS.length) throw new Error(`only ${loaded} font faces loaded`)
  await page.screenshot(screenshotOptions)
}

function ffmpeg(args) {
  const bin = process.env.FFMPEG_PATH || findOnPath('ffmpeg')
  const run = spawnSync(bin, ['-hide_banner', '-loglevel', 'error', '-y', ...args], { stdio: 'inherit' })
  if (run.status !== 0) throw new Error(`ffmpeg failed (exit ${run.status})`)
}

// ---------- Manifest text (original wording, fictional commune; shown as-is by the text renderer).
const announcementTitle = 'Thông báo: Ngày “Chủ nhật xanh” – tổng vệ sinh môi trường'
const announcementBody = [
  'Nhằm giữ gìn cảnh quan sạch đẹp và phòng, chống dịch bệnh trong mùa mưa, Ủy ban nhân dân xã Phú An tổ chức ngày “Chủ nhật xanh” – tổng vệ sinh môi trường trên địa bàn toàn xã. Ủy ban nhân dân xã trân trọng kính mời toàn thể bà con cùng tham gia.',
  'Thời gian: từ 6 giờ 30 đến 10 giờ 00, sáng Chủ nhật cuối cùng của tháng này. Địa điểm tập trung: sân Nhà văn hóa của từng thôn; các tổ trưởng tổ dân cư điểm danh và phân công khu vực.',
  'Nội dung: phát quang bụi rậm, khơi thông cống rãnh, thu gom rác thải dọc đường làng, bờ kênh và khu vực chợ; xử lý các vật dụng đọng nước để diệt lăng quăng, bọ gậy; trồng bổ sung cây xanh dọc các trục đường thôn.',
  'Mỗi hộ gia đình cử ít nhất một người tham gia, mang theo chổi, cuốc, xẻng, bao đựng rác, găng tay và nước uống. Đề nghị bà con đội mũ, mặc áo dài tay để bảo vệ sức khỏe. Rác được phân loại ngay tại chỗ thành rác hữu cơ, rác tái chế và rác còn lại, rồi tập kết tại điểm quy định để xe thu gom vận chuyển.',
  'Đoàn Thanh niên, Hội Phụ nữ, Hội Cựu chiến binh và các trường học trên địa bàn phối hợp ra quân. Trạm Y tế xã bố trí cán bộ hỗ trợ sơ cứu tại các điểm tập trung.',
  'Mọi thông tin chi tiết xin liên hệ trưởng thôn hoặc bộ phận Một cửa của Ủy ban nhân dân xã trong giờ hành chính. Rất mong nhận được sự hưởng ứng của bà con. Xin trân trọng cảm ơn!'
].join('\n\n')
const greetingBody = 'Chào mừng bà con đến với bảng tin điện tử của xã. Chúc bà con một ngày bình an, mạnh khỏe và nhiều niềm vui!'

function describe(file, mime) {
  const bytes = readFileSync(join(outDir, file))
  return { sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.length, mime, url: file }
}

// Long enough to exercise paging/scrolling of text items, short enough to stay readable on one board.
if (announcementBody.length < 900 || announcementBody.length > 1300) {
  throw new Error(`announcement body is ${announcementBody.length} characters, want 900–1300`)
}

// ---------- Main
const tmp = mkdtempSync(join(tmpdir(), 'bangtin-demo-'))
try {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || findOnPath('chromium'),
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic']
  })
  const clipText = join(tmp, 'clip-text.png')
  try {
    const page = await browser.newPage({ deviceScaleFactor: 1 })
    await render(page, posterHtml, { width: 1920, height: 1080 }, { path: join(outDir, 'poster.jpg'), type: 'jpeg', quality: 85 })
    await render(page, clipTextHtml, { width: 1280, height: 720 }, { path: clipText, type: 'png', omitBackground: true })
  } finally {
    await browser.close()
  }

  // Clip: a slowly rotating corner-to-corner green gradient (moves on every frame, yet calm enough for a public
  // screen), the text layer fading and sliding in, and a yellow progress bar growing along the bottom edge.
  // Fixed seed/colours/points keep it reproducible.
  const seconds = 8
  ffmpeg([
    '-f', 'lavfi', '-i', `gradients=s=1280x720:r=25:d=${seconds}:n=3:c0=0x0a4f35:c1=0x178a78:c2=0x2f9e5b:x0=0:y0=0:x1=1279:y1=719:seed=7:speed=0.006`,
    '-loop', '1', '-framerate', '25', '-t', String(seconds), '-i', clipText,
    '-f', 'lavfi', '-i', `color=c=0xffd25a:s=1280x10:r=25:d=${seconds}`,
    '-filter_complex',
    '[1]format=rgba,fade=t=in:st=0:d=1.2:alpha=1[text];' +
      "[0][text]overlay=x=0:y='30*max(0,1-t/1.2)'[bg];" +
      `[bg][2]overlay=x='-W+W*(t+0.04)/${seconds}':y=H-h,format=yuv420p[v]`,
    '-map', '[v]', '-t', String(seconds), '-r', '25',
    // H.264 main / yuv420p / faststart: plays in Chromium and Electron without proprietary extras; no audio track.
    '-c:v', 'libx264', '-profile:v', 'main', '-preset', 'slow', '-crf', '30', '-pix_fmt', 'yuv420p',
    '-movflags', '+faststart', '-an',
    join(outDir, 'clip.mp4')
  ])

  const poster = describe('poster.jpg', 'image/jpeg')
  const clip = describe('clip.mp4', 'video/mp4')
  const manifest = {
    schema: 'bangtin.manifest/v1',
    version: 'demo-1',
    board: { name: 'Bảng tin điện tử – Bản trình diễn' },
    playlists: [
      {
        id: 'demo',
        name: 'Nội dung trình diễn',
        items: [
          { id: 'thong-bao', kind: 'text', title: announcementTitle, body: announcementBody, durationSec: 20 },
          { id: 'poster', kind: 'image', asset: poster.sha256, fit: 'contain', durationSec: 8 },
          { id: 'clip', kind: 'video', asset: clip.sha256, muted: true },
          { id: 'loi-chao', kind: 'text', title: 'Xin chào', body: greetingBody, durationSec: 8 }
        ]
      }
    ],
    assets: [poster, clip]
  }
  // NFC so the bytes match what editors and the server produce for the same Vietnamese text.
  const json = JSON.stringify(manifest, null, 2).normalize('NFC') + '\n'
  writeFileSync(join(outDir, 'manifest.json'), json)

  for (const file of ['poster.jpg', 'clip.mp4', 'manifest.json']) {
    console.log(`${file}\t${statSync(join(outDir, file)).size} bytes`)
  }
} finally {
  rmSync(tmp, { recursive: true, force: true })
}
