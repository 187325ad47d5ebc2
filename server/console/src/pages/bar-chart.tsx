// A simple horizontal bar chart (no chart library): one labelled bar per row, the value written at its end,
// scaled to the largest value. Drawn with HTML boxes rather than a scaled SVG, so its words keep the page's
// type size on a phone (an SVG scaled to 390 px wide shrank them to 5 px). The table beside it has the numbers.
export function BarChart({ title, bars, unit = '' }: { title: string; bars: readonly { label: string; value: number }[]; unit?: string }) {
  const shown = bars.slice(0, 20)
  const max = Math.max(1, ...shown.map((b) => b.value))
  return (
    <figure className="bar-chart">
      <figcaption className="visually-hidden">{title}</figcaption>
      <ul className="bar-chart-rows" aria-label={title}>
        {shown.map((bar, i) => (
          <li key={`${bar.label}-${i}`} className="bar-chart-row">
            <span className="bar-chart-label">{bar.label}</span>
            <span className="bar-chart-track" aria-hidden="true">
              <span className="bar" style={{ width: `${Math.max(1, (bar.value / max) * 100)}%` }} />
            </span>
            <span className="bar-chart-value">
              {bar.value.toLocaleString('vi-VN')}
              {unit}
            </span>
          </li>
        ))}
      </ul>
    </figure>
  )
}
