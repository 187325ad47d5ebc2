// Nothing a user clicks leads to a blank page: a page that throws while drawing shows a bilingual message
// with a way back (try again, or the overview) instead of vanishing.
import { Component, type ErrorInfo, type ReactNode } from 'react'
import { translate } from '../i18n/i18n'
import { href } from '../router'

interface Props {
  children: ReactNode
  /** Changes (e.g. the path) reset the boundary, so navigating away recovers. */
  resetKey?: string
}

export class ErrorBoundary extends Component<Props, { failed: boolean }> {
  override state = { failed: false }

  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true }
  }

  override componentDidCatch(error: unknown, info: ErrorInfo): void {
    console.error('console page failed', error, info.componentStack)
  }

  override componentDidUpdate(previous: Props): void {
    if (previous.resetKey !== this.props.resetKey && this.state.failed) this.setState({ failed: false })
  }

  override render(): ReactNode {
    if (!this.state.failed) return this.props.children
    // Both languages: the language store itself might be what failed.
    return (
      <div className="crash" role="alert">
        <h1 lang="vi">{translate('vi', 'app.crash.title')}</h1>
        <p lang="vi">{translate('vi', 'app.crash.body')}</p>
        <p lang="en" className="crash-en">
          {translate('en', 'app.crash.title')}. {translate('en', 'app.crash.body')}
        </p>
        <div className="actions">
          <button type="button" className="button primary" onClick={() => this.setState({ failed: false })}>
            {translate('vi', 'app.retry')} / {translate('en', 'app.retry')}
          </button>
          <a className="button" href={href('/')}>
            {translate('vi', 'app.backHome')} / {translate('en', 'app.backHome')}
          </a>
        </div>
      </div>
    )
  }
}
