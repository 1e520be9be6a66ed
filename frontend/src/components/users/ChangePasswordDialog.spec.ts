import { flushPromises, type VueWrapper } from '@vue/test-utils'
import { afterEach, describe, expect, it } from 'vitest'
import { mountView } from '@/test/app'
import { createFakeClient, type FakeAnswer } from '@/test/fakeClient'
import ChangePasswordDialog from './ChangePasswordDialog.vue'

let mounted: VueWrapper | undefined
afterEach(() => {
  mounted?.unmount()
  mounted = undefined
  document.body.innerHTML = ''
})

const $ = (id: string) => document.querySelector<HTMLElement>(`[data-testid="${id}"]`)

async function type(id: string, value: string): Promise<void> {
  const input = $(id)?.querySelector('input')
  if (!input) throw new Error(`no input in ${id}`)
  input.value = value
  input.dispatchEvent(new Event('input'))
  await flushPromises()
}

const submit = () => $('dialog-submit') as HTMLButtonElement

describe('ChangePasswordDialog', () => {
  it('needs the new password twice, then reports what the server says', async () => {
    const answers: FakeAnswer[] = [
      {
        errors: [
          { message: 'the current password is wrong', extensions: { code: 'BAD_USER_INPUT', field: 'currentPassword' } },
        ],
      },
      { data: { changePassword: true } },
    ]
    const fake = createFakeClient({ ChangePassword: () => answers.shift()! })
    const view = await mountView(ChangePasswordDialog, { fake, props: { modelValue: true } })
    mounted = view.wrapper
    await flushPromises()

    await type('change-password-current', 'old password')
    await type('change-password-new', 'short')
    expect($('change-password-dialog')?.textContent).toContain('at least 8 characters')
    await type('change-password-new', 'the new password')
    await type('change-password-repeat', 'the new passwort')
    expect($('change-password-dialog')?.textContent).toContain('The two new passwords differ.')
    expect(submit().disabled).toBe(true)

    await type('change-password-repeat', 'the new password')
    submit().click()
    await flushPromises()
    expect($('dialog-error')?.textContent).toContain('the current password is wrong')

    submit().click()
    await flushPromises()
    expect(fake.callsOf('ChangePassword').map((c) => c.variables)).toEqual([
      { currentPassword: 'old password', newPassword: 'the new password' },
      { currentPassword: 'old password', newPassword: 'the new password' },
    ])
    expect(view.notifications.items.at(-1)?.title).toContain('Your password is changed')
  })
})
