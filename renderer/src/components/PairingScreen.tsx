// What an unpaired board shows the installer: a short code and a QR code of the approve link, in
// Vietnamese first and English second, large enough to read from a ladder; and, when the source system
// revoked the board's token, why it asks to be paired again; and the fingerprint of the key the server
// signs with, which the installer compares with the province's printed one before approving.
import { useEffect, useRef, useState } from 'react'
import type { ShowPayload } from '../../../contract/screen'
import { useShrinkToFit } from './use-shrink-to-fit'

type Pairing = NonNullable<ShowPayload['pairing']>

export function PairingScreen({ pairing, boardName }: { pairing: Pairing; boardName: string }) {
  const [qr, setQr] = useState<string | null>(null)
  const screen = useRef<HTMLDivElement>(null)
  const name = useRef<HTMLDivElement>(null)
  // A long board name wraps anywhere, then shrinks until the code, help and QR code still fit. On a
  // revoked board the notice is the news: where the name would have to go below a legible size for it
  // (a 192 px strip), the name gives way entirely rather than sit there as a 6 px smudge.
  useShrinkToFit(name, screen, [boardName, qr !== null, pairing.revoked], pairing.revoked ? { hideBelowPx: 12 } : {})
  useEffect(() => {
    let current = true
    // Loaded on first use: only an unpaired board needs it, and the first paint should not wait for it.
    import('qrcode').then(({ default: QRCode }) => QRCode.toDataURL(pairing.approveUrl, { margin: 1, width: 512, errorCorrectionLevel: 'M' })).then(
      (url) => current && setQr(url),
      () => current && setQr(null)
    )
    return () => {
      current = false
    }
  }, [pairing.approveUrl])

  return (
    <div className={pairing.revoked ? 'pairing pairing-again' : 'pairing'} data-testid="pairing" ref={screen}>
      <div className="pairing-text">
        <div className="pairing-board" ref={name}>
          {boardName}
        </div>
        {pairing.revoked ? (
          <div className="pairing-revoked" data-testid="pairing-revoked">
            <p>Hệ thống thông tin nguồn đã thu hồi quyền của bảng tin này: cần ghép nối lại.</p>
            <p className="pairing-en">The source system revoked this board’s access: pair it again.</p>
          </div>
        ) : null}
        <h1 className="pairing-title">Ghép nối bảng tin</h1>
        <p className="pairing-help pairing-long">Cán bộ quản trị nhập mã dưới đây trên Hệ thống thông tin nguồn, hoặc quét mã QR, để phê duyệt bảng tin này.</p>
        {/* A strip a couple of hundred pixels high has room for a legible line, not a paragraph. */}
        <p className="pairing-help pairing-short">Nhập mã này trên Hệ thống thông tin nguồn, hoặc quét mã QR.</p>
        <div className="pairing-code" data-testid="pairing-code">
          {pairing.code}
        </div>
        <p className="pairing-help pairing-en pairing-long">Pair this board: an operator enters this code on the source system, or scans the QR code, to approve it.</p>
        <p className="pairing-help pairing-en pairing-short">Enter this code on the source system, or scan the QR code.</p>
        <ProvinceKey fingerprint={pairing.keyFingerprint} />
      </div>
      {qr ? <img className="pairing-qr" src={qr} alt="" data-testid="pairing-qr" /> : null}
    </div>
  )
}

/** The key the board will pin once approved; a server that sends none is said plainly (amber). */
function ProvinceKey({ fingerprint }: { fingerprint: string | null | undefined }) {
  if (fingerprint === undefined) return null
  if (fingerprint === null) {
    return (
      <p className="pairing-help pairing-nokey" data-testid="pairing-key">
        Máy chủ không gửi khoá ký số của tỉnh <span className="pairing-en">/ The server sent no province signing key</span>
      </p>
    )
  }
  return (
    <div className="pairing-key" data-testid="pairing-key">
      <p className="pairing-help">
        Khoá của tỉnh <span className="pairing-en">/ Province key</span>: <span className="pairing-fingerprint" data-testid="pairing-fingerprint">{fingerprint}</span>
      </p>
      <p className="pairing-help pairing-long">
        So sánh với dấu vân tay khoá do tỉnh cung cấp trước khi phê duyệt.{' '}
        <span className="pairing-en">Compare it with the fingerprint the province printed before approving.</span>
      </p>
    </div>
  )
}
