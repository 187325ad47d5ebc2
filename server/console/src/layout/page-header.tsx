// A page's title (the one h1 of the page, focused after an in-app navigation so screen readers announce
// the new page) and its actions.
import { useEffect, useRef, type ReactNode } from 'react'

/** The first page after a full load keeps the browser's own focus start (Tab reaches the skip link first). */
let pagesShown = 0

/** `focus` false: a page that focuses its first field instead (sign-in). */
export function PageHeader({ title, children, focus = true }: { title: string; children?: ReactNode; focus?: boolean }) {
  const heading = useRef<HTMLHeadingElement>(null)
  useEffect(() => {
    document.title = `${title} — Bảng tin điện tử`
  }, [title])
  useEffect(() => {
    pagesShown += 1
    if (focus && pagesShown > 1) heading.current?.focus({ preventScroll: true })
  }, [focus])
  return (
    <div className="page-header">
      <h1 ref={heading} tabIndex={-1}>
        {title}
      </h1>
      {children ? <div className="page-actions">{children}</div> : null}
    </div>
  )
}
