import { flushPromises, type VueWrapper } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { mountView } from '@/test/app'
import { createFakeClient, type FakeAnswer } from '@/test/fakeClient'
import { csrNotice } from '@/test/fixtures'
import CsrDetailDialog from './CsrDetailDialog.vue'

let mounted: VueWrapper | undefined
afterEach(() => {
  mounted?.unmount()
  mounted = undefined
  document.body.innerHTML = ''
})

const $ = (id: string) => document.querySelector<HTMLElement>(`[data-testid="${id}"]`)

async function click(id: string): Promise<void> {
  const el = $(id)
  if (!el) throw new Error(`no ${id}`)
  el.click()
  await flushPromises()
}

describe('CsrDetailDialog', () => {
  it("deletes a CSR after a confirmation and shows the server's message when it cannot", async () => {
    const answers: FakeAnswer[] = [
      { errors: [{ message: 'Certificate signing request with id 51 was not found', extensions: { code: 'CSR_NOT_FOUND' } }] },
      { data: { deleteCsr: '51' } },
    ]
    const fake = createFakeClient({ DeleteCsr: () => answers.shift()! })
    const onDeleted = vi.fn()
    const view = await mountView(CsrDetailDialog, {
      fake,
      permissions: ['view_keys', 'delete_sign_cert'],
      props: { modelValue: true, csr: csrNotice(), keyName: 'sign', onDeleted },
    })
    mounted = view.wrapper
    await flushPromises()
    expect($('csr-detail-subject')?.textContent?.trim()).toBe('CN=1234,O=GOV,C=DEV')
    await click('csr-delete')
    await click('dialog-submit')
    expect($('dialog-error')?.textContent).toContain('Certificate signing request with id 51 was not found')
    await click('dialog-submit')
    expect(fake.callsOf('DeleteCsr').map((c) => c.variables)).toEqual([{ csrId: '51' }, { csrId: '51' }])
    expect(onDeleted).toHaveBeenCalledOnce()
  })

  it('needs delete_auth_cert for an authentication CSR', async () => {
    const fake = createFakeClient({})
    const view = await mountView(CsrDetailDialog, {
      fake,
      permissions: ['view_keys', 'delete_sign_cert'],
      props: { modelValue: true, csr: csrNotice({ usage: 'AUTHENTICATION', memberId: null }), keyName: 'auth' },
    })
    mounted = view.wrapper
    await flushPromises()
    expect($('csr-delete')).toBeNull()
  })
})
