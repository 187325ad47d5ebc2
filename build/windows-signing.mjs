// electron-builder hook (beforePack): fills the Windows signing options from the environment and refuses a
// Windows build without the publisher name boards check update installers against (none: no check at all).

// electron-builder itself does not expand ${env.X} in signtoolOptions: it would sign for, and bake into
// app-update.yml, the literal text "${env.BANGTIN_WIN_PUBLISHER}".

const MACRO = /\$\{env\.([A-Za-z_][A-Za-z0-9_]*)\}/g

/** `${env.X}` replaced from `env`; null when a variable it names is unset or blank. */
export function expandEnv(value, env) {
  let missing = false
  const expanded = value.replace(MACRO, (_match, name) => {
    const found = env[name]
    if (found === undefined || found.trim() === '') missing = true
    return found ?? ''
  })
  return missing ? null : expanded
}

const FIELDS = ['publisherName', 'certificateSubjectName', 'rfc3161TimeStampServer']

/**
 * Expands the signtool options in place (an option whose variable is unset is dropped, so signing falls
 * back to CSC_LINK and the default timestamp server) and returns why this Windows build must not be
 * made, or null. Exported for the packaging test.
 */
export function prepareWindowsSigning(win, env) {
  const signtool = win.signtoolOptions ?? (win.signtoolOptions = {})
  for (const field of FIELDS) {
    const value = signtool[field]
    if (typeof value !== 'string') continue
    const expanded = expandEnv(value, env)
    if (expanded === null) delete signtool[field]
    else signtool[field] = expanded
  }
  const names = [signtool.publisherName ?? []].flat().filter((name) => typeof name === 'string' && name.trim() !== '')
  if (names.length === 0) {
    return (
      'Không build bản Windows khi thiếu tên nhà phát hành (BANGTIN_WIN_PUBLISHER, hoặc win.signtoolOptions.publisherName): ' +
      'bảng tin sẽ không kiểm tra chữ ký của bộ cài cập nhật. / ' +
      'Refusing a Windows build without a publisher name (BANGTIN_WIN_PUBLISHER, or win.signtoolOptions.publisherName): ' +
      'boards would not check the signature of update installers.'
    )
  }
  if (win.verifyUpdateCodeSignature === false) {
    return 'Không build bản Windows với verifyUpdateCodeSignature: false. / Refusing a Windows build with verifyUpdateCodeSignature: false.'
  }
  return null
}

export async function beforePack(context) {
  if (context.electronPlatformName !== 'win32') return
  const problem = prepareWindowsSigning(context.packager.platformSpecificBuildOptions, process.env)
  if (problem) throw new Error(problem)
  const { publisherName } = context.packager.platformSpecificBuildOptions.signtoolOptions
  console.log(`  • windows publisher checked  publisherName=${JSON.stringify(publisherName)}`)
}
