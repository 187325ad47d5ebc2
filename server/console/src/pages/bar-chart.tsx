// A simple horizontal bar chart in SVG (no chart library): one labelled bar per row, the value written at its
// end, scaled to the largest value. The numbers are also in the table beside it; the chart is a picture of them.
export function BarChart({ title, bars, unit = '' }: { title: string; bars: readonly { label: string; value: number }[]; unit?: string }) {
  const shown = bars.slice(0, 20)
  const max = Math.max(1, ...shown.map((b) => b.value))
  const rowHeight = 28
  const height = shown.length * rowHeight + 8
  return (
    <figure className="bar-chart">
      <figcaption className="visually-hidden">{title}</figcaption>
      <svg role="img" aria-label={title} viewBox={`0 0 600 ${height}`} width="100%" preserveAspectRatio="xMinYMin meet">
        {shown.map((bar, i) => {
          const y = i * rowHeight + 4
          const width = Math.max(2, (bar.value / max) * 300)
          return (
            <g key={`${bar.label}-${i}`}>
              <text x="0" y={y + 18} fontSize="14" fill="currentColor">
                {bar.label.length > 30 ? `${bar.label.slice(0, 29)}…` : bar.label}
              </text>
              <rect x="230" y={y + 4} width={width} height={rowHeight - 10} rx="3" className="bar" />
              <text x={236 + width} y={y + 18} fontSize="14" fill="currentColor">
                {bar.value.toLocaleString('vi-VN')}
                {unit}
              </text>
            </g>
          )
        })}
      </svg>
    </figure>
  )
}
