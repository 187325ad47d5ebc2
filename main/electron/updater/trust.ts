// What the updater trusts, from this board's own configuration: the province's update keys, the lab
// switch, and (as ssh does with its keys) a refusal when the file naming feed and keys can be changed by others.
import { stat } from 'node:fs/promises'
import { dirname } from 'node:path'
import { trustedKeysFrom } from '../../core/protocol/signing'
import type { UpdateTrust } from './metadata-signature'

export interface TrustSettings {
  trustedKeys: readonly { keyId: string; publicKey: string }[]
  allowUnsigned: boolean
}

const octal = (mode: number): string => `0${(mode & 0o7777).toString(8).padStart(3, '0')}`

/**
 * Why `path` (the shell config naming the update feed and keys) could have been written by someone other
 * than this user or root, or null when it could not. Group- or world-writable file, or a directory others
 * may replace it in (unless sticky), or another owner: anyone with that access would choose what this
 * board installs, as root for a deb. No file: nothing to distrust. Windows has no such modes (ACLs guard it).
 * `owners`: who may own the file and its folder (default this user and root).
 */
export async function writableByOthers(path: string, platform: NodeJS.Platform = process.platform, owners: ReadonlySet<number> = new Set([process.getuid?.() ?? 0, 0])): Promise<string | null> {
  if (platform === 'win32') return null
  const file = await stat(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null
    throw error
  })
  if (file === null) return null
  const fix = `chmod go-w '${path}'`
  if ((file.mode & 0o022) !== 0) {
    return `${path} có quyền ${octal(file.mode)}: người dùng khác sửa được, nên cập nhật bị tắt; chạy ${fix} / ${path} has mode ${octal(file.mode)}: other users can write it, so updates are off; run ${fix}`
  }
  if (!owners.has(file.uid)) {
    return `${path} thuộc người dùng khác (uid ${file.uid}), nên cập nhật bị tắt / ${path} is owned by another user (uid ${file.uid}), so updates are off`
  }
  const dir = dirname(path)
  const folder = await stat(dir)
  if ((folder.mode & 0o022) !== 0 && (folder.mode & 0o1000) === 0) {
    const fixDir = `chmod go-w '${dir}'`
    return `thư mục ${dir} có quyền ${octal(folder.mode)}: người khác thay được tệp cấu hình, nên cập nhật bị tắt; chạy ${fixDir} / directory ${dir} has mode ${octal(folder.mode)}: others can replace the config, so updates are off; run ${fixDir}`
  }
  if (!owners.has(folder.uid)) {
    return `thư mục ${dir} thuộc người dùng khác (uid ${folder.uid}), nên cập nhật bị tắt / directory ${dir} is owned by another user (uid ${folder.uid}), so updates are off`
  }
  return null
}

/**
 * The updater's trust, or why there is none: a config others can write is refused (configPath null: no file to check); without a key and
 * without the lab switch no update could ever pass, so the updater is off and says what to configure.
 */
export async function updateTrust(settings: TrustSettings, configPath: string | null, platform?: NodeJS.Platform): Promise<{ trust: UpdateTrust } | { refused: string }> {
  // Null: the settings came from the machine policy, whose file was checked as it was read.
  const unsafe = configPath === null ? null : await writableByOthers(configPath, platform)
  if (unsafe) return { refused: unsafe }
  if (settings.trustedKeys.length === 0 && !settings.allowUnsigned) {
    return {
      refused:
        'chưa cấu hình khoá cập nhật của tỉnh (shell.json → updates.trustedKeys), nên không nhận bản cập nhật nào / ' +
        'no province update key configured (shell.json → updates.trustedKeys), so no update is accepted'
    }
  }
  return { trust: { keys: trustedKeysFrom(settings.trustedKeys), allowUnsigned: settings.allowUnsigned } }
}
