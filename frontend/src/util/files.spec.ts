// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { base64ToBytes, bytesToBase64, certificateFileToApiString, firstFile } from './files'

const pem = '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUY=\n-----END CERTIFICATE-----\n'

describe('certificateFileToApiString', () => {
  it.each([
    { name: 'PEM is sent as text, trimmed', bytes: new TextEncoder().encode(pem), want: pem.trim() },
    { name: 'PEM with leading blank lines', bytes: new TextEncoder().encode(`\n\n${pem}`), want: pem.trim() },
    { name: 'DER is sent as base64', bytes: new Uint8Array([0x30, 0x82, 0x01, 0xb3, 0xff, 0x00]), want: 'MIIBs/8A' },
    {
      name: 'text that mentions BEGIN later is not PEM',
      bytes: new TextEncoder().encode('junk -----BEGIN CERTIFICATE-----'),
      want: bytesToBase64(new TextEncoder().encode('junk -----BEGIN CERTIFICATE-----')),
    },
  ])('$name', ({ bytes, want }) => {
    expect(certificateFileToApiString(bytes)).toBe(want)
  })
})

describe('base64', () => {
  it('round-trips bytes, large ones too', () => {
    const bytes = new Uint8Array(100_000).map((_, i) => (i * 7) % 256)
    expect(base64ToBytes(bytesToBase64(bytes))).toEqual(bytes)
    expect(base64ToBytes('MIIB\ns/8A')).toEqual(new Uint8Array([0x30, 0x82, 0x01, 0xb3, 0xff, 0x00]))
  })
})

describe('firstFile', () => {
  it('accepts what a v-file-input model holds', () => {
    const f = new File(['x'], 'x.pem')
    expect(firstFile(f)).toBe(f)
    expect(firstFile([f])).toBe(f)
    expect(firstFile([])).toBeUndefined()
    expect(firstFile(null)).toBeUndefined()
  })
})
