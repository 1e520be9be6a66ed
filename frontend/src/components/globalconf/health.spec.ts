// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { confHealth } from './health'

const now = new Date('2026-11-26T12:00:00Z')
const at = (minutes: number) => new Date(now.getTime() + minutes * 60_000).toISOString()

describe('confHealth', () => {
  it.each([
    { name: 'no status', status: undefined, want: 'none' },
    { name: 'nothing generated yet', status: { version: null, expiresAt: null }, want: 'none' },
    { name: 'fresh (9 of 10 minutes left)', status: { version: 3, generatedAt: at(-1), expiresAt: at(9) }, want: 'ok' },
    { name: 'half of the validity left is still ok', status: { generatedAt: at(-5), expiresAt: at(5) }, want: 'ok' },
    { name: 'less than half left', status: { generatedAt: at(-6), expiresAt: at(4) }, want: 'expiresSoon' },
    { name: 'under a minute left, however long it was valid', status: { expiresAt: at(0.5) }, want: 'expiresSoon' },
    { name: 'expired', status: { generatedAt: at(-11), expiresAt: at(-1) }, want: 'expired' },
    {
      name: 'an error wins over a valid configuration',
      status: { generatedAt: at(-1), expiresAt: at(9), error: 'token logged out', failingSince: at(-3) },
      want: 'failing',
    },
    { name: 'an error without any configuration', status: { error: 'cannot reach CS' }, want: 'failing' },
  ])('$name → $want', ({ status, want }) => {
    expect(confHealth(status, now)).toBe(want)
  })
})
