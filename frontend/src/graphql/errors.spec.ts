// @vitest-environment node
import { CombinedError } from '@urql/core'
import { GraphQLError } from 'graphql'
import { describe, expect, it } from 'vitest'
import en from '@/locales/en.json'
import { describeError, errorCode, errorMessage, errorWarnings, fieldErrors } from './errors'

function graphQLError(message: string, extensions?: Record<string, unknown>): CombinedError {
  return new CombinedError({ graphQLErrors: [new GraphQLError(message, { extensions })] })
}

describe('describeError', () => {
  it.each([
    {
      name: "a domain error: the server's message with its code",
      error: graphQLError('Certificate 1F2E is already imported (REGISTERED)', { code: 'CERT_EXISTS' }),
      want: { message: 'Certificate 1F2E is already imported (REGISTERED)', code: 'CERT_EXISTS' },
    },
    {
      name: 'the field the server names',
      error: graphQLError('address "127.0.0.1 x" is neither an IP address nor a valid host name', {
        code: 'BAD_USER_INPUT',
        field: 'address',
      }),
      want: {
        message: 'address "127.0.0.1 x" is neither an IP address nor a valid host name',
        code: 'BAD_USER_INPUT',
        field: 'address',
      },
    },
    {
      name: 'how long to wait',
      error: graphQLError('Too many wrong PINs for token "softToken-0": try again in 4 s', {
        code: 'TOKEN_PIN_RETRY_LATER',
        retryAfter: 4,
      }),
      want: {
        message: 'Too many wrong PINs for token "softToken-0": try again in 4 s',
        code: 'TOKEN_PIN_RETRY_LATER',
        retryAfter: 4,
      },
    },
    {
      name: 'an internal error: the id the server log has',
      error: graphQLError('internal error (id 0a1b2c3d4e5f); the server log has the details', { code: 'INTERNAL' }),
      want: { message: 'internal error (id 0a1b2c3d4e5f); the server log has the details', code: 'INTERNAL' },
    },
    {
      name: 'no code',
      error: graphQLError('Cannot query field "x" on type "Query".'),
      want: { message: 'Cannot query field "x" on type "Query".' },
    },
    {
      name: 'a network failure has no server message',
      error: new CombinedError({ networkError: new TypeError('Failed to fetch') }),
      want: { message: en.errors.NETWORK },
    },
    {
      name: 'a bare GraphQL error (e.g. from a subscription)',
      error: new GraphQLError('This operation belongs to the security server', { extensions: { code: 'WRONG_SERVER_ROLE' } }),
      want: { message: 'This operation belongs to the security server', code: 'WRONG_SERVER_ROLE' },
    },
    {
      name: 'a plain error object from JSON',
      error: { message: 'your roles do not allow this operation (add_tsp)', extensions: { code: 'FORBIDDEN' } },
      want: { message: 'your roles do not allow this operation (add_tsp)', code: 'FORBIDDEN' },
    },
    {
      name: 'a described error again',
      error: { message: 'The PIN is incorrect', code: 'PIN_INCORRECT', field: 'pin' },
      want: { message: 'The PIN is incorrect', code: 'PIN_INCORRECT', field: 'pin' },
    },
    { name: 'anything else is shown as text', error: 'boom', want: { message: 'boom' } },
  ])('$name', ({ error, want }) => {
    expect(describeError(error)).toEqual(want)
    expect(errorMessage(error)).toBe(want.message)
  })
})

describe('fieldErrors', () => {
  const error = { message: 'address is required', code: 'BAD_USER_INPUT', field: 'address' }
  it('gives the message to the field the server named', () => {
    expect(fieldErrors(error, 'address')).toEqual(['address is required'])
    expect(fieldErrors(error, 'host', 'address')).toEqual(['address is required'])
  })
  it('gives nothing to other fields', () => {
    expect(fieldErrors(error, 'pin')).toEqual([])
    expect(fieldErrors(null, 'address')).toEqual([])
    expect(fieldErrors({ message: 'x' }, 'address')).toEqual([])
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
