import { flushPromises, type VueWrapper } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { mountView } from '@/test/app'
import { createFakeClient, type FakeAnswer } from '@/test/fakeClient'
import { certificate, key } from '@/test/fixtures'
import KeyDetailDialog from './KeyDetailDialog.vue'

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

const registeredAuthKey = key({
  id: '21',
  keyId: 'A1B2',
  possibleActions: ['DELETE'],
  certificates: [certificate({ status: 'REGISTERED', possibleActions: ['UNREGISTER', 'DISABLE'] })],
})

describe('KeyDetailDialog', () => {
  it('asks again for an authentication key with a registered certificate, then unregisters and deletes it', async () => {
    const answers: FakeAnswer[] = [
      {
        errors: [
          {
            message: 'Warnings detected; repeat with ignoreWarnings to continue',
            extensions: { code: 'WARNINGS_DETECTED', warnings: [{ code: 'auth_key_with_registered_cert_warning', metadata: ['A1B2'] }] },
          },
        ],
      },
      { data: { deleteKey: '21' } },
    ]
    const fake = createFakeClient({ DeleteKey: () => answers.shift()! })
    const onDeleted = vi.fn()
    const view = await mountView(KeyDetailDialog, {
      fake,
      props: { modelValue: true, keyItem: registeredAuthKey, tokenName: 'softToken-0', onDeleted },
    })
    mounted = view.wrapper
    await flushPromises()
    expect($('key-detail-key-id')?.textContent?.trim()).toBe('A1B2')

    await click('key-delete')
    expect($('confirm-text')?.textContent).toContain('1 certificate(s) and 0 CSR(s)')
    await click('dialog-submit')
    expect($('delete-key-warning')?.textContent).toContain('Key ID: A1B2')
    expect($('dialog-error')).toBeNull()
    expect($('dialog-submit')?.textContent?.trim()).toBe('Unregister and delete')
    await click('dialog-submit')

    expect(fake.callsOf('DeleteKey').map((c) => c.variables)).toEqual([
      { keyId: '21', ignoreWarnings: false },
      { keyId: '21', ignoreWarnings: true },
    ])
    expect(onDeleted).toHaveBeenCalledOnce()
    expect(view.notifications.items.at(-1)?.text).toBe('Its authentication certificate was unregistered first.')
  })

  it('offers no deletion of an authentication key without delete_auth_key', async () => {
    const fake = createFakeClient({})
    const view = await mountView(KeyDetailDialog, {
      fake,
      permissions: ['view_keys', 'delete_key', 'delete_sign_key'],
      props: { modelValue: true, keyItem: registeredAuthKey, tokenName: 'softToken-0' },
    })
    mounted = view.wrapper
    await flushPromises()
    expect($('key-detail-dialog')).not.toBeNull()
    expect($('key-delete')).toBeNull()
  })
})
