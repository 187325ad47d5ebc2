// Filling a dictionary string: `{name}` placeholders from values, and `{name|one|many}` by the value's count
// (English's singular or plural; Vietnamese needs none). Pure, so it is tested without a page.
export function fill(text: string, values: Record<string, string | number> = {}): string {
  const counted = text.replace(/\{(\w+)\|([^|}]*)\|([^}]*)\}/g, (whole, name: string, one: string, many: string) => (name in values ? (Number(values[name]) === 1 ? one : many) : whole))
  return counted.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole))
}
