import { CombinedError } from '@urql/core'
import { hasMessage, t } from '@/locales'

/** Shape of one GraphQL error as the Roadreg server sends it. */
interface ServerError {
  message: string
  extensions?: {
    code?: unknown
    metadata?: unknown
    warnings?: unknown
  }
}

/** One ignorable warning from a WARNINGS_DETECTED error, ready to show. */
export interface ErrorWarning {
  code: string
  message: string
}

function isServerError(value: unknown): value is ServerError {
  return typeof value === 'object' && value !== null && typeof (value as ServerError).message === 'string'
}

/** The first GraphQL error inside `error`, if any. */
function firstServerError(error: unknown): ServerError | undefined {
  if (error instanceof CombinedError) return error.graphQLErrors[0]
  return isServerError(error) ? error : undefined
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.map(String) : []
}

/** Returns `extensions.code` of the (first) GraphQL error in `error`, if any. */
export function errorCode(error: unknown): string | undefined {
  const code = firstServerError(error)?.extensions?.code
  return typeof code === 'string' ? code : undefined
}

/**
 * Returns a message for a person: the text for `extensions.code` from
 * locales/en.json, else the server's own message. `{message}` in a locale
 * entry is the server's message, `{metadata}` its metadata joined by commas.
 */
export function errorMessage(error: unknown): string {
  if (error instanceof CombinedError && error.networkError && error.graphQLErrors.length === 0) {
    return t('errors.NETWORK')
  }
  const serverError = firstServerError(error)
  if (!serverError) return String(error)
  const code = errorCode(serverError)
  const params = {
    message: serverError.message,
    metadata: stringList(serverError.extensions?.metadata).join(', '),
  }
  return code && hasMessage(`errors.${code}`) ? t(`errors.${code}`, params) : serverError.message
}

/**
 * Returns the warnings of a WARNINGS_DETECTED error (`extensions.warnings`,
 * each `{code, metadata}`), with readable messages; empty for other errors.
 */
export function errorWarnings(error: unknown): ErrorWarning[] {
  const warnings = firstServerError(error)?.extensions?.warnings
  if (!Array.isArray(warnings)) return []
  return warnings.map((warning: unknown) => {
    const { code, metadata } = (warning ?? {}) as { code?: unknown; metadata?: unknown }
    const key = `warnings.${String(code).toUpperCase()}`
    const joined = stringList(metadata).join(', ')
    const message = hasMessage(key) ? t(key, { metadata: joined }) : [String(code), joined].filter(Boolean).join(': ')
    return { code: String(code), message }
  })
}
