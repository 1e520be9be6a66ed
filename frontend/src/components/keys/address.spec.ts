// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { addressProblem } from './address'

describe('addressProblem', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.1.2.3', 'loopback'],
    ['localhost', 'loopback'],
    ['LOCALHOST.', 'loopback'],
    ['ss1.localhost', 'loopback'],
    ['::1', 'loopback'],
    ['[::1]', 'loopback'],
    ['0:0:0:0:0:0:0:1', 'loopback'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['169.254.10.20', 'linkLocal'],
    ['fe80::1', 'linkLocal'],
    ['FEBF::abcd', 'linkLocal'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
  ])('%s is %s', (address, want) => {
    expect(addressProblem(address)).toBe(want)
  })

  it.each(['ss1.example.org', '192.0.2.10', '10.0.0.1', '2001:db8::1', 'fec0::1', '128.0.0.1', 'localhost.example.org', '', '1::2::3'])(
    '%s is fine',
    (address) => {
      expect(addressProblem(address)).toBeNull()
    },
  )
})
