// @vitest-environment node
import { describe, expect, it } from 'vitest'
import {
  addSettingsInput,
  caSettingsRows,
  DEFAULT_PROFILE,
  newSettingsForm,
  profileChoices,
  profileName,
  settingsForm,
  settingsIncomplete,
  updateSettingsInput,
  type CaSettings,
} from './caSettings'

const sanOnly = 'io.roadreg.certificateprofile.SanOnlyCertificateProfileInfoProvider'

const acmeCA: CaSettings = {
  authenticationOnly: false,
  certificateProfileInfo: sanOnly,
  defaultCsrFormat: 'DER',
  acmeServerDirectoryUrl: 'https://acme.example.org/dir',
  acmeServerIpAddress: '192.0.2.10,2001:db8::1',
  authenticationCertificateProfileId: 'tlsserver',
  signingCertificateProfileId: null,
}

describe('CA settings form', () => {
  it("starts a new CA with the server's defaults and no ACME", () => {
    const form = newSettingsForm()
    expect(addSettingsInput(form)).toEqual({ authenticationOnly: false, certificateProfileInfo: DEFAULT_PROFILE, defaultCsrFormat: 'PEM' })
  })

  it('sends the ACME settings given, trimmed, and leaves out the empty ones when adding', () => {
    const form = {
      ...newSettingsForm(),
      acme: true,
      acmeServerDirectoryUrl: ' https://acme.example.org/dir ',
      acmeServerIpAddress: '',
      signingCertificateProfileId: ' sign ',
    }
    expect(addSettingsInput(form)).toEqual({
      authenticationOnly: false,
      certificateProfileInfo: DEFAULT_PROFILE,
      defaultCsrFormat: 'PEM',
      acmeServerDirectoryUrl: 'https://acme.example.org/dir',
      signingCertificateProfileId: 'sign',
    })
  })

  it('does not send ACME settings typed before ACME was turned off', () => {
    const form = { ...newSettingsForm(), acme: false, acmeServerDirectoryUrl: 'https://acme.example.org/dir' }
    expect(addSettingsInput(form)).not.toHaveProperty('acmeServerDirectoryUrl')
  })

  it("edits a CA's settings as they are, and sends every one, an empty text clearing it", () => {
    const form = settingsForm(acmeCA)
    expect(form).toMatchObject({ acme: true, signingCertificateProfileId: '', acmeServerIpAddress: '192.0.2.10,2001:db8::1' })
    expect(updateSettingsInput({ ...form, authenticationCertificateProfileId: '' })).toEqual({
      authenticationOnly: false,
      certificateProfileInfo: sanOnly,
      defaultCsrFormat: 'DER',
      acmeServerDirectoryUrl: 'https://acme.example.org/dir',
      acmeServerIpAddress: '192.0.2.10,2001:db8::1',
      authenticationCertificateProfileId: '',
      signingCertificateProfileId: '',
    })
  })

  it('clears the directory URL, and with it every ACME setting, when ACME is turned off', () => {
    expect(updateSettingsInput({ ...settingsForm(acmeCA), acme: false })).toEqual({
      authenticationOnly: false,
      certificateProfileInfo: sanOnly,
      defaultCsrFormat: 'DER',
      acmeServerDirectoryUrl: '',
    })
  })

  it('needs the directory URL for ACME and a certificate profile', () => {
    expect(settingsIncomplete(newSettingsForm())).toBe(false)
    expect(settingsIncomplete({ ...newSettingsForm(), acme: true })).toBe(true)
    expect(settingsIncomplete({ ...newSettingsForm(), acme: true, acmeServerDirectoryUrl: '  ' })).toBe(true)
    expect(settingsIncomplete({ ...newSettingsForm(), certificateProfileInfo: '' })).toBe(true)
  })
})

describe('certificate profiles', () => {
  it('names the profiles the server implements and shows any other by its class name', () => {
    expect(profileName(sanOnly)).toBe('Roadreg SAN-only profile (standard ACME CAs)')
    expect(profileName('com.example.Other')).toBe('com.example.Other')
    expect(profileChoices(DEFAULT_PROFILE).map((c) => c.value)).toHaveLength(4)
    expect(profileChoices('com.example.Other').at(-1)).toEqual({ title: 'com.example.Other', value: 'com.example.Other' })
  })
})

describe('caSettingsRows', () => {
  const value = (rows: ReturnType<typeof caSettingsRows>, testid: string) => rows.find((r) => r.testid === testid)?.value

  it('shows the ACME settings of a CA that can be used for ACME', () => {
    const rows = caSettingsRows(acmeCA)
    expect(value(rows, 'ca-detail-acme')).toBe('Yes')
    expect(value(rows, 'ca-detail-acme-url')).toBe('https://acme.example.org/dir')
    expect(value(rows, 'ca-detail-acme-ips')).toBe('192.0.2.10,2001:db8::1')
    expect(value(rows, 'ca-detail-auth-profile')).toBe('tlsserver')
    expect(value(rows, 'ca-detail-sign-profile')).toBeNull()
    expect(value(rows, 'ca-detail-profile')).toBe(`Roadreg SAN-only profile (standard ACME CAs) (${sanOnly})`)
    expect(value(rows, 'ca-detail-csr-format')).toBe('DER')
  })

  it('says No and lists no ACME fields for a CA without ACME', () => {
    const rows = caSettingsRows({ authenticationOnly: true, certificateProfileInfo: DEFAULT_PROFILE, defaultCsrFormat: 'PEM' })
    expect(value(rows, 'ca-detail-acme')).toBe('No')
    expect(value(rows, 'ca-detail-auth-only')).toBe('Authentication only')
    expect(rows.some((r) => r.testid === 'ca-detail-acme-url')).toBe(false)
  })
})
