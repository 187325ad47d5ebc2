// A page's title (the one h1 of the page, focused after navigation so screen readers announce it) and actions.
import { useEffect, useRef, type ReactNode } from 'react'

/** `focus` false: a page that focuses its first field instead (sign-in). */
export function PageHeader({ title, children, focus = true }: { title: string; children?: ReactNode; focus?: boolean }) {
  const heading = useRef<HTMLHeadingElement>(null)
  useEffect(() => {
    document.title = `${title} — Bảng tin điện tử`
  }, [title])
  useEffect(() => {
    if (focus) heading.current?.focus({ preventScroll: true })
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
