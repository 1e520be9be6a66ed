import { flushPromises, type VueWrapper } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { mountView } from '@/test/app'
import { createFakeClient, type FakeAnswer } from '@/test/fakeClient'
import DeleteAuthCertificateDialog from './DeleteAuthCertificateDialog.vue'

let mounted: VueWrapper | undefined
afterEach(() => {
  mounted?.unmount()
  mounted = undefined
  document.body.innerHTML = ''
})

const $ = (id: string) => document.querySelector<HTMLElement>(`[data-testid="${id}"]`)

describe('DeleteAuthCertificateDialog', () => {
  it("deletes the certificate after a confirmation, showing the server's message when it cannot", async () => {
    const answers: FakeAnswer[] = [
      { errors: [{ message: 'Security server DEV/GOV/1234/SS1 has no authentication certificate with id 5', extensions: { code: 'SS_AUTH_CERTIFICATE_NOT_FOUND' } }] },
      { data: { deleteSecurityServerAuthCertificate: { id: '91', requestId: 12, status: 'APPROVED' } } },
    ]
    const fake = createFakeClient({ DeleteSecurityServerAuthCertificate: () => answers.shift()! })
    const onDeleted = vi.fn()
    const view = await mountView(DeleteAuthCertificateDialog, {
      fake,
      role: 'CENTRAL',
      props: {
        modelValue: true,
        serverId: 'DEV/GOV/1234/SS1',
        cert: { id: '5', subject: 'CN=SS1,C=DEV', serialNumber: '42' },
        onDeleted,
      },
    })
    mounted = view.wrapper
    await flushPromises()
    expect($('confirm-text')?.textContent).toContain('CN=SS1,C=DEV (serial 42) of DEV/GOV/1234/SS1')

    $('dialog-submit')?.click()
    await flushPromises()
    expect($('dialog-error')?.textContent).toContain('has no authentication certificate with id 5')
    expect(onDeleted).not.toHaveBeenCalled()

    $('dialog-submit')?.click()
    await flushPromises()
    expect(fake.callsOf('DeleteSecurityServerAuthCertificate').map((c) => c.variables)).toEqual([
      { serverId: 'DEV/GOV/1234/SS1', authCertificateId: '5' },
      { serverId: 'DEV/GOV/1234/SS1', authCertificateId: '5' },
    ])
    expect(onDeleted).toHaveBeenCalledWith(12)
  })
})
