import { flushPromises, type VueWrapper } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { reactive } from 'vue'
import type { Permission } from '@/auth/permissions'
import { mountView } from '@/test/app'
import { createFakeClient, type FakeAnswer, type FakeHandler } from '@/test/fakeClient'
import { certificate } from '@/test/fixtures'
import CertificateDetailDialog from './CertificateDetailDialog.vue'

let mounted: VueWrapper | undefined
afterEach(() => {
  mounted?.unmount()
  mounted = undefined
  document.body.innerHTML = ''
})

/** Dialogs are teleported to the body: look there. */
const $ = (id: string) => document.querySelector<HTMLElement>(`[data-testid="${id}"]`)
const text = (id: string) => $(id)?.textContent?.trim()

async function click(id: string): Promise<void> {
  const el = $(id)
  if (!el) throw new Error(`no ${id}`)
  el.click()
  await flushPromises()
}

const sha256 = 'ab'.repeat(32)
const sha1 = 'cd'.repeat(20)

/** The registered, active authentication certificate as the detail query answers. */
function detail(overrides: Record<string, unknown> = {}) {
  return {
    ...certificate({
      status: 'REGISTERED',
      active: true,
      ocspStatus: 'OCSP_RESPONSE_GOOD',
      ocspUpdatedAt: '2026-12-07T10:00:00Z',
      registeredAddress: 'ss1.example.org',
      managementRequestId: 7,
      possibleActions: ['UNREGISTER', 'DISABLE'],
      sha256,
    }),
    pem: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n',
    details: {
      subject: 'CN=SS1,C=DEV',
      issuer: 'CN=Test CA',
      serialNumber: '42',
      version: 3,
      notBefore: '2026-01-01T00:00:00Z',
      notAfter: '2099-01-01T00:00:00Z',
      signatureAlgorithm: 'SHA256withECDSA',
      publicKeyAlgorithm: 'EC',
      publicKeySize: 256,
      ecCurve: 'P-256',
      keyUsages: ['DIGITAL_SIGNATURE'],
      extendedKeyUsages: ['clientAuth', 'serverAuth'],
      subjectAlternativeNames: [],
      sha1,
      sha256,
      ocspResponderUrls: ['http://ca.example.org/ocsp'],
      authorityKeyId: '0102',
      subjectKeyId: null,
      extensions: [{ oid: '2.5.29.15', name: 'keyUsage', critical: true, value: 'DIGITAL_SIGNATURE' }],
    },
    ocspResponse: {
      status: 'OCSP_RESPONSE_GOOD',
      producedAt: '2026-12-07T10:00:00Z',
      thisUpdate: '2026-12-07T10:00:00Z',
      nextUpdate: null,
      revokedAt: null,
      responder: 'CN=Test CA OCSP',
    },
    ...overrides,
  }
}

async function setup(handlers: Record<string, FakeHandler>, permissions?: Permission[], node = detail()) {
  const fake = createFakeClient({ CertificateDetail: () => ({ data: { node } }), ...handlers })
  const onChanged = vi.fn()
  const onDeleted = vi.fn()
  // Reactive: the host passes a change (refresh) on to the dialog.
  const props = reactive({ modelValue: true, certificateId: '31', now: new Date('2026-12-07T12:00:00Z'), refresh: 0, onChanged, onDeleted })
  const view = await mountView(CertificateDetailDialog, { fake, permissions, props })
  mounted = view.wrapper
  await flushPromises()
  return { fake, view, props, onChanged, onDeleted }
}

describe('CertificateDetailDialog', () => {
  it('shows the decoded certificate, its hashes, registration and OCSP status', async () => {
    await setup({})
    expect(text('cert-detail-subject')).toBe('CN=SS1,C=DEV')
    expect(text('cert-detail-serial')).toBe('42')
    expect(text('cert-detail-key-usages')).toBe('DIGITAL_SIGNATURE')
    expect(text('cert-detail-sha256')).toBe(Array(32).fill('ab').join(':'))
    expect(text('cert-detail-sha1')).toBe(Array(20).fill('cd').join(':'))
    expect(text('cert-detail-status')).toBe('Registered')
    expect(text('cert-detail-ocsp-status')).toBe('OCSP: good')
    expect(text('cert-detail-ocsp-checked')).not.toBe('—')
    expect(text('cert-detail-expiry')).toContain('Valid until')
    expect($('certificate-detail-dialog')?.textContent).toContain('CN=Test CA OCSP')
    expect($('certificate-detail-dialog')?.textContent).toContain('ss1.example.org')
  })

  it('unregisters after a confirmation and says what happens next', async () => {
    const unregistered = detail({ status: 'DELETION_IN_PROGRESS', deletionRequestId: 12, possibleActions: ['DISABLE', 'DELETE'] })
    const { fake, view, onChanged } = await setup({
      UnregisterAuthCertificate: () => ({ data: { unregisterAuthCertificate: unregistered } }),
    })
    expect($('cert-delete')).toBeNull()
    await click('cert-unregister')
    expect(text('confirm-text')).toContain('CN=SS1,C=DEV')
    await click('dialog-submit')
    expect(fake.callsOf('UnregisterAuthCertificate').map((c) => c.variables)).toEqual([{ certificateId: '31' }])
    expect(view.notifications.items.at(-1)?.text).toContain('request 12')
    expect(onChanged).toHaveBeenCalledOnce()
    expect(fake.callsOf('CertificateDetail').length).toBeGreaterThan(1)
  })

  it("shows the server's message when the request cannot be sent and offers marking for deletion", async () => {
    const failure: FakeAnswer = {
      errors: [
        {
          message: 'Failed to send the authentication certificate deletion request: connection refused',
          extensions: { code: 'MANAGEMENT_REQUEST_SEND_FAILED' },
        },
      ],
    }
    const { fake, view } = await setup({
      UnregisterAuthCertificate: () => failure,
      MarkAuthCertForDeletion: () => ({ data: { markAuthCertForDeletion: detail({ status: 'DELETION_IN_PROGRESS' }) } }),
    })
    await click('cert-unregister')
    await click('dialog-submit')
    expect(text('dialog-error')).toContain('connection refused')
    expect($('mark-for-deletion-offer')).not.toBeNull()
    await click('mark-for-deletion')
    expect(fake.callsOf('MarkAuthCertForDeletion').map((c) => c.variables)).toEqual([{ certificateId: '31' }])
    expect(view.notifications.items.at(-1)?.title).toBe('Certificate marked for deletion.')
  })

  it('offers marking for deletion when the central server refuses, not when the action is impossible', async () => {
    let code = 'MANAGEMENT_REQUEST_INVALID_AUTH_CERTIFICATE'
    await setup({
      UnregisterAuthCertificate: () => ({ errors: [{ message: 'refused', extensions: { code } }] }),
    })
    await click('cert-unregister')
    await click('dialog-submit')
    expect($('mark-for-deletion-offer')).not.toBeNull()
    code = 'ACTION_NOT_POSSIBLE'
    await click('dialog-submit')
    expect($('mark-for-deletion-offer')).toBeNull()
  })

  it('deletes an unregistered certificate after a confirmation', async () => {
    const saved = detail({ status: 'SAVED', unregisteredAt: '2026-12-07T11:00:00Z', possibleActions: ['REGISTER', 'ACTIVATE', 'DELETE'] })
    const { fake, onDeleted } = await setup({ DeleteCertificate: () => ({ data: { deleteCertificate: '31' } }) }, undefined, saved)
    expect(text('cert-detail-hint')).toContain('Unregistered')
    expect($('cert-unregister')).toBeNull()
    await click('cert-delete')
    await click('dialog-submit')
    expect(fake.callsOf('DeleteCertificate').map((c) => c.variables)).toEqual([{ certificateId: '31' }])
    expect(onDeleted).toHaveBeenCalledOnce()
  })

  it('offers the actions only with their permissions', async () => {
    const saved = detail({ possibleActions: ['UNREGISTER', 'DELETE'] })
    await setup({}, ['view_keys', 'delete_sign_cert'], saved)
    expect($('cert-unregister')).toBeNull()
    expect($('cert-delete')).toBeNull()
  })

  it('shows the automatic renewal: its step in words, the certificate that replaces it, and what a renewed one renews', async () => {
    const renewing = detail({
      renewsSha256: '0a'.repeat(32),
      renewal: {
        status: 'IN_PROGRESS',
        step: 'WAITING_FOR_APPROVAL',
        nextRenewalAt: '2026-12-07T11:00:00Z',
        startedAt: '2026-12-07T11:00:05Z',
        lastError: null,
        failures: 0,
        retryAt: null,
        renewedBy: { id: '32', sha256: 'be'.repeat(32), status: 'REGISTRATION_IN_PROGRESS' },
      },
    })
    await setup({}, undefined, renewing)
    expect(text('cert-detail-renewal-status')).toBe(
      'Renewal in progress — waiting for the central server to approve the new certificate',
    )
    expect(text('cert-detail-renewal-step')).toBe('Waiting for the central server to approve the new certificate')
    expect(text('cert-detail-renewed-by')).toBe(`${Array(32).fill('be').join(':')} (Registration in progress)`)
    expect(text('cert-detail-renews')).toBe(`Renews certificate ${Array(32).fill('0a').join(':')}`)
    expect($('cert-detail-renewal-error')).toBeNull()
  })

  it('says N/A for a certificate not renewed automatically, and reads the certificate again when the page says so', async () => {
    const { fake, props } = await setup({})
    expect(text('cert-detail-renewal-status')).toBe('N/A')
    expect($('cert-detail-renews')).toBeNull()
    const before = fake.callsOf('CertificateDetail').length
    props.refresh++
    await flushPromises()
    expect(fake.callsOf('CertificateDetail').length).toBe(before + 1)
  })
})
