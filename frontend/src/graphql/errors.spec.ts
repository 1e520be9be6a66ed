// @vitest-environment node
import { CombinedError } from '@urql/core'
import { GraphQLError } from 'graphql'
import { describe, expect, it } from 'vitest'
import en from '@/locales/en.json'
import { errorCode, errorMessage, errorWarnings } from './errors'

function graphQLError(message: string, extensions?: Record<string, unknown>): CombinedError {
  return new CombinedError({ graphQLErrors: [new GraphQLError(message, { extensions })] })
}

describe('errorMessage', () => {
  it.each([
    {
      name: 'known code uses the locale text',
      error: graphQLError('certificate already exists', { code: 'CERT_EXISTS' }),
      want: en.errors.CERT_EXISTS,
    },
    {
      name: 'known code with {message} embeds the server message',
      error: graphQLError('address: must be a host name or host:port', { code: 'BAD_USER_INPUT' }),
      want: 'Check your input: address: must be a host name or host:port',
    },
    {
      name: 'unknown code falls back to the server message',
      error: graphQLError('the flux capacitor is offline', { code: 'SOMETHING_NEW' }),
      want: 'the flux capacitor is offline',
    },
    {
      name: 'no code falls back to the server message',
      error: graphQLError('Cannot query field "x" on type "Query".'),
      want: 'Cannot query field "x" on type "Query".',
    },
    {
      name: 'network failure',
      error: new CombinedError({ networkError: new TypeError('Failed to fetch') }),
      want: en.errors.NETWORK,
    },
    {
      name: 'a bare GraphQL error (e.g. from a subscription)',
      error: new GraphQLError('wrong role', { extensions: { code: 'WRONG_SERVER_ROLE' } }),
      want: en.errors.WRONG_SERVER_ROLE,
    },
    {
      name: 'a plain error object from JSON',
      error: { message: 'nope', extensions: { code: 'FORBIDDEN' } },
      want: en.errors.FORBIDDEN,
    },
    {
      name: 'internal errors never show the server text',
      error: graphQLError('pq: relation "x" does not exist', { code: 'INTERNAL' }),
      want: en.errors.INTERNAL,
    },
    { name: 'anything else is shown as text', error: 'boom', want: 'boom' },
  ])('$name', ({ error, want }) => {
    expect(errorMessage(error)).toBe(want)
  })
})

describe('errorCode', () => {
  it.each([
    { error: graphQLError('x', { code: 'KEY_NOT_FOUND' }), want: 'KEY_NOT_FOUND' },
    { error: graphQLError('x'), want: undefined },
    { error: graphQLError('x', { code: 42 }), want: undefined },
    { error: new CombinedError({ networkError: new Error('down') }), want: undefined },
  ])('returns $want', ({ error, want }) => {
    expect(errorCode(error)).toBe(want)
  })
})

describe('errorWarnings', () => {
  it('maps each warning of WARNINGS_DETECTED, with metadata', () => {
    const error = graphQLError('Warnings detected', {
      code: 'WARNINGS_DETECTED',
      warnings: [
        { code: 'INIT_UNREGISTERED_MEMBER', metadata: ['DEV/COM/123'] },
        { code: 'init_software_token_initialized' },
        { code: 'SOMETHING_NEW', metadata: ['a', 'b'] },
      ],
    })
    expect(errorWarnings(error)).toEqual([
      {
        code: 'INIT_UNREGISTERED_MEMBER',
        message: 'The owner member DEV/COM/123 is not registered in the global configuration.',
      },
      { code: 'init_software_token_initialized', message: en.warnings.INIT_SOFTWARE_TOKEN_INITIALIZED },
      { code: 'SOMETHING_NEW', message: 'SOMETHING_NEW: a, b' },
    ])
  })

  it('is empty for other errors', () => {
    expect(errorWarnings(graphQLError('x', { code: 'CERT_EXISTS' }))).toEqual([])
  })
})

// Roadreg's generic codes and X-Road's own error codes, upper-cased (README.md,
// "HTTP surface"; docs/DESIGN-NOTES.md, "Errors").
const documentedCodes = [
  'UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'BAD_USER_INPUT', 'WRONG_SERVER_ROLE', 'INTERNAL',
  'WARNINGS_DETECTED', 'TIMESTAMPING_SERVICE_EXISTS',
  'ANCHOR_NOT_FOUND', 'MALFORMED_ANCHOR', 'INVALID_INIT_PARAMS', 'TOKEN_WEAK_PIN', 'PIN_INCORRECT',
  'GLOBAL_CONF_OUTDATED', 'INVALID_CERTIFICATE', 'WRONG_CERT_USAGE', 'KEY_NOT_FOUND', 'CERT_EXISTS',
  'CLIENT_NOT_FOUND', 'ACTION_NOT_POSSIBLE', 'TIMESTAMPING_SERVICE_NOT_FOUND', 'CERTIFICATE_AUTHORITY_NOT_FOUND',
  'MEMBER_EXISTS', 'MEMBER_CLASS_NOT_FOUND', 'MANAGEMENT_REQUEST_EXISTS', 'MANAGEMENT_REQUEST_SECURITY_SERVER_EXISTS',
  'MANAGEMENT_REQUEST_INVALID_AUTH_CERTIFICATE', 'MANAGEMENT_REQUEST_INVALID_STATE_FOR_APPROVAL',
  'MANAGEMENT_REQUEST_INVALID_STATE', 'MANAGEMENT_REQUEST_NOT_FOUND', 'MANAGEMENT_REQUEST_SERVER_OWNER_NOT_FOUND',
]

// The server's error code constants (internal/xroad/errors.go and each
// package's codes.go), read from the Go source when this checkout has it.
const goSources = import.meta.glob<string>(['../../../internal/xroad/errors.go', '../../../internal/**/codes.go'], {
  query: '?raw',
  import: 'default',
  eager: true,
})
const goCodes = Object.entries(goSources).flatMap(([file, source]) =>
  [...source.matchAll(/^\s*Code\w+\s*=\s*"([A-Z0-9_]+)"/gm)].map((m) => ({ file, code: m[1]! })),
)

describe('locales/en.json errors', () => {
  const messages: Record<string, string> = en.errors

  it.each(documentedCodes)('has a message for documented code %s', (code) => {
    expect(messages[code]).toBeTruthy()
  })

  it.skipIf(goCodes.length === 0)('has a message for every error code constant of the Go server', () => {
    const missing = goCodes.filter(({ code }) => !messages[code])
    expect(missing, 'add these codes to frontend/src/locales/en.json "errors"').toEqual([])
  })
})
