// Facts about the installation itself (when it was created, which schema generation wrote it).
export interface MetaTables {
  meta: { key: string; value: string }
}
