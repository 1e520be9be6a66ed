import type { VueWrapper } from '@vue/test-utils'
import { afterEach, describe, expect, it } from 'vitest'
import { mountInApp } from '@/test/mount'
import StatusChip from './StatusChip.vue'
import { activeLook, expiryLook, ocspLook, registrationLook, requestLook, tokenLook } from './status'

const now = new Date('2026-11-26T12:00:00Z')
const inDays = (days: number) => new Date(now.getTime() + days * 86_400_000).toISOString()

describe('status looks', () => {
  it.each([
    { status: 'SAVED', color: 'grey', label: 'Saved' },
    { status: 'REGISTRATION_IN_PROGRESS', color: 'info', label: 'Registration in progress' },
    { status: 'REGISTERED', color: 'success', label: 'Registered' },
    { status: 'DELETION_IN_PROGRESS', color: 'warning', label: 'Deletion in progress' },
    { status: 'GLOBAL_ERROR', color: 'error', label: 'Global error' },
  ] as const)('registration $status', ({ status, color, label }) => {
    expect(registrationLook(status)).toMatchObject({ color, label })
  })

  it.each([
    { status: 'OCSP_RESPONSE_GOOD', active: true, color: 'success', label: 'OCSP: good' },
    { status: 'OCSP_RESPONSE_GOOD', active: false, color: 'grey', label: 'OCSP: disabled' },
    { status: 'OCSP_RESPONSE_UNKNOWN', active: true, color: 'warning', label: 'OCSP: unknown' },
    { status: 'OCSP_RESPONSE_SUSPENDED', active: true, color: 'warning', label: 'OCSP: suspended' },
    { status: 'OCSP_RESPONSE_REVOKED', active: true, color: 'error', label: 'OCSP: revoked' },
    { status: 'EXPIRED', active: true, color: 'error', label: 'OCSP: expired' },
    { status: 'DISABLED', active: true, color: 'grey', label: 'OCSP: disabled' },
  ] as const)('OCSP $status active=$active', ({ status, active, color, label }) => {
    expect(ocspLook(status, active)).toMatchObject({ color, label })
  })

  it.each([
    { name: 'expired yesterday', notAfter: inDays(-1), color: 'error', label: /^Expired / },
    { name: 'expires in 10 days', notAfter: inDays(10.5), color: 'warning', label: /^Expires in 10 days/ },
    { name: 'valid for a year', notAfter: inDays(365), color: 'default', label: /^Valid until / },
  ])('expiry: $name', ({ notAfter, color, label }) => {
    const look = expiryLook(notAfter, now)
    expect(look.color).toBe(color)
    expect(look.label).toMatch(label)
  })

  it.each([
    { token: { available: true, loggedIn: true, status: 'OK' }, label: 'Logged in', color: 'success' },
    { token: { available: true, loggedIn: false, status: 'OK' }, label: 'Logged out', color: 'grey' },
    { token: { available: true, loggedIn: false, status: 'USER_PIN_LOCKED' }, label: 'PIN locked', color: 'error' },
    { token: { available: false, loggedIn: false, status: 'OK' }, label: 'Not available', color: 'error' },
  ])('token $label', ({ token, label, color }) => {
    expect(tokenLook(token)).toMatchObject({ label, color })
  })

  it.each([
    { token: { available: true, loggedIn: false, status: 'USER_PIN_FINAL_TRY' }, label: 'One PIN try left' },
    { token: { available: true, loggedIn: false, status: 'USER_PIN_COUNT_LOW' }, label: 'Few PIN tries left' },
    { token: { available: true, loggedIn: true, status: 'USER_PIN_FINAL_TRY' }, label: 'Logged in · One PIN try left' },
  ])('warns of the PIN tries left: $label', ({ token, label }) => {
    expect(tokenLook(token)).toMatchObject({ label, color: 'warning' })
  })

  it('hints at another token status when logged out', () => {
    expect(tokenLook({ available: true, loggedIn: false, status: 'SO_PIN_LOCKED' }).hint).toBe('Token status: SO_PIN_LOCKED')
  })

  it.each([
    { status: 'WAITING', color: 'info', label: 'Waiting' },
    { status: 'SUBMITTED_FOR_APPROVAL', color: 'info', label: 'Submitted for approval' },
    { status: 'APPROVED', color: 'success', label: 'Approved' },
    { status: 'DECLINED', color: 'error', label: 'Declined' },
    { status: 'REVOKED', color: 'grey', label: 'Revoked' },
  ] as const)('request $status', ({ status, color, label }) => {
    expect(requestLook(status)).toMatchObject({ color, label })
  })

  it('active flag', () => {
    expect(activeLook(true)).toMatchObject({ color: 'success', label: 'Active' })
    expect(activeLook(false)).toMatchObject({ color: 'grey', label: 'Inactive' })
  })
})

let mounted: VueWrapper | undefined
afterEach(() => {
  mounted?.unmount()
  mounted = undefined
})

describe('StatusChip', () => {
  it('renders the look: label, colour and the hint as title', () => {
    mounted = mountInApp(StatusChip, { props: { look: registrationLook('REGISTRATION_IN_PROGRESS'), testid: 'chip' } })
    const chip = mounted.find('[data-testid="chip"]')
    expect(chip.text()).toBe('Registration in progress')
    expect(chip.attributes('data-color')).toBe('info')
    expect(chip.attributes('title')).toBe('Sent to the central server; waiting for approval.')
    expect(chip.classes()).toContain('text-info')
  })
})
