// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { safeRedirect } from './redirect'

describe('safeRedirect', () => {
  it.each([
    { value: '/keys', want: '/keys' },
    { value: '/keys?usage=AUTH#top', want: '/keys?usage=AUTH#top' },
    { value: undefined, want: '/' },
    { value: ['/keys'], want: '/' },
    { value: 'keys', want: '/' },
    { value: 'https://evil.example/', want: '/' },
    { value: '//evil.example/', want: '/' },
    { value: '/\\evil.example/', want: '/' },
    { value: '/login', want: '/' },
    { value: '/login?redirect=/keys', want: '/' },
  ])('$value → $want', ({ value, want }) => {
    expect(safeRedirect(value)).toBe(want)
  })
})
