// The database's tables as TypeScript sees them. Each area of the server declares its own tables in
// its own file under server/db/tables/ and is listed here; migrations (server/db/migrations/) create them.
import type { DeviceTables } from './tables/devices'
import type { MetaTables } from './tables/meta'

// One line per area: `export type Database = MetaTables & DeviceTables & …`.
export type Database = MetaTables & DeviceTables
