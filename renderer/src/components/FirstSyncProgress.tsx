// The first-sync progress bar on the fallback slide: a new board with nothing to play yet shows that
// its content is on the way (percent of bytes, items and sizes), instead of looking idle or broken.
import type { StatusPayload } from '../../../contract/screen'
import { downloadSummary, percentOf } from '../status-format'

type Download = NonNullable<StatusPayload['download']>

export function FirstSyncProgress({ download }: { download: Download }) {
  const percent = percentOf(download.bytesDone, download.bytesTotal)
  return (
    <div
      className="first-sync"
      data-testid="first-sync-progress"
      role="progressbar"
      aria-label="Đang tải nội dung lần đầu / Downloading content for the first time"
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={percent}
    >
      <div className="first-sync-title">
        Đang tải nội dung lần đầu… <span className="first-sync-en">/ Downloading content for the first time…</span>
      </div>
      <div className="first-sync-bar">
        <div className="first-sync-fill" style={{ width: `${percent}%` }} />
      </div>
      <div className="first-sync-detail">
        {percent} % · {downloadSummary(download)}
      </div>
    </div>
  )
}
