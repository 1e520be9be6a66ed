import { CombinedError } from '@urql/core'
import { hasMessage, t } from '@/locales'

/** Shape of one GraphQL error as the Roadreg server sends it. */
interface ServerError {
  message: string
  extensions?: {
    code?: unknown
    field?: unknown
    retryAfter?: unknown
    metadata?: unknown
    warnings?: unknown
  }
}

/**
 * A failure as the app shows it: the server's own message (its messages are
 * written for people and name what is wrong), with its code, the input
 * field it names and how long to wait, when the server says.
 */
export interface ShownError {
  message: string
  /** `extensions.code`, e.g. PIN_INCORRECT. */
  code?: string
  /** `extensions.field`: the input at fault, e.g. address. */
  field?: string
  /** `extensions.retryAfter`: seconds to wait before trying again. */
  retryAfter?: number
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
  return describeError(error).code
}

/**
 * Describes a failure for a person: the server's message with its code,
 * field and retryAfter (GraphQL errors, urql's CombinedError, or a
 * ShownError again); a network failure, which has no server message, in
 * the app's words; anything else as text.
 */
export function describeError(error: unknown): ShownError {
  if (error instanceof CombinedError && error.networkError && error.graphQLErrors.length === 0) {
    return { message: t('errors.NETWORK') }
  }
  const server = firstServerError(error)
  if (!server) return { message: String(error) }
  const ext = server.extensions ?? {}
  const own = server as ShownError // a ShownError passed in again
  const code = typeof ext.code === 'string' ? ext.code : own.code
  const field = typeof ext.field === 'string' ? ext.field : own.field
  const retryAfter = typeof ext.retryAfter === 'number' ? ext.retryAfter : own.retryAfter
  return {
    message: server.message || (code ?? t('errors.UNKNOWN')),
    ...(typeof code === 'string' ? { code } : {}),
    ...(typeof field === 'string' ? { field } : {}),
    ...(typeof retryAfter === 'number' && retryAfter > 0 ? { retryAfter } : {}),
  }
}

/** The server's message for a failure (see {@link describeError}). */
export function errorMessage(error: unknown): string {
  return describeError(error).message
}

/**
 * The messages for an input field: the failure's message when the server
 * named this field (for a text field's `error-messages`), else none.
 */
export function fieldErrors(error: ShownError | null | undefined, ...fields: string[]): string[] {
  return error?.field && fields.includes(error.field) ? [error.message] : []
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
