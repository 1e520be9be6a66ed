import { flushPromises, type VueWrapper } from '@vue/test-utils'
import { afterEach, describe, expect, it } from 'vitest'
import { mountView } from '@/test/app'
import { createFakeClient } from '@/test/fakeClient'
import GenerateCsrDialog from './GenerateCsrDialog.vue'

let mounted: VueWrapper | undefined
afterEach(() => {
  mounted?.unmount()
  mounted = undefined
  document.body.innerHTML = ''
})

const fieldValues = () =>
  [...document.querySelectorAll('[data-testid="csr-subject-field"] input')].map((i) => (i as HTMLInputElement).value)

describe('GenerateCsrDialog', () => {
  it('chooses the only CA and the owner again when opened a second time, with the answers cached', async () => {
    const fake = createFakeClient(
      {
        CsrCertificationAuthorities: () => ({
          data: { approvedCertificationAuthorities: [{ name: 'Test CA', authenticationOnly: false, subjectDn: 'CN=Test CA', acmeCapable: false }] },
        }),
        CsrMemberOptions: () => ({ data: { securityServerClients: [] } }),
        CsrSubjectFields: (v) => ({
          data: {
            csrSubjectFields:
              v.caName === 'Test CA' && v.memberId === 'DEV/GOV/1234'
                ? [{ id: 'CN', label: 'Member Code (CN)', defaultValue: '1234', readOnly: true, required: true }]
                : [],
          },
        }),
      },
      { cache: true },
    )
    const open = async () => {
      const view = await mountView(GenerateCsrDialog, {
        fake,
        props: { modelValue: true, keyItem: { id: '41', name: 'sign' }, usage: 'SIGNING' },
      })
      mounted = view.wrapper
      await flushPromises()
    }
    await open()
    expect(fieldValues()).toEqual(['1234'])
    mounted?.unmount()
    document.body.innerHTML = ''

    // The app's client answers the second time from its cache, while the form is set up.
    await open()
    expect(fieldValues()).toEqual(['1234'])
    expect(fake.callsOf('CsrSubjectFields').at(-1)?.variables).toEqual({ caName: 'Test CA', usage: 'SIGNING', memberId: 'DEV/GOV/1234' })
  })
})
