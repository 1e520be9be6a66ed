const base = 'http://spa.invalid'

/**
 * Returns the in-app path to go to after signing in: `value` when it is a
 * path on this origin other than the login page, else `/`.
 */
export function safeRedirect(value: unknown): string {
  if (typeof value !== 'string' || !value.startsWith('/')) return '/'
  const url = new URL(value, base)
  if (url.origin !== base || url.pathname === '/login') return '/'
  return url.pathname + url.search + url.hash
}
