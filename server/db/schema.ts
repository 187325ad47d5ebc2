// The database's tables as TypeScript sees them. Each area of the server declares its own tables in
// its own file under server/db/tables/ and is listed here; migrations (server/db/migrations/) create them.
import type { AccessTables } from './tables/access'
import type { DeviceTables } from './tables/devices'
import type { LibraryTables } from './tables/library'
import type { MetaTables } from './tables/meta'
import type { EditorialTables } from './tables/editorial'
import type { ProgrammeTables } from './tables/programme'

// One line per area: `export type Database = MetaTables & DeviceTables & …`.
export type Database = MetaTables & DeviceTables & AccessTables & LibraryTables & ProgrammeTables & EditorialTables
