import { flushPromises, type VueWrapper } from '@vue/test-utils'
import { afterEach, describe, expect, it } from 'vitest'
import en from '@/locales/en.json'
import { mountView } from '@/test/app'
import { createFakeClient } from '@/test/fakeClient'
import { certificate, key, token } from '@/test/fixtures'
import CertificateEventNotifier from './CertificateEventNotifier.vue'

let mounted: VueWrapper | undefined
afterEach(() => {
  mounted?.unmount()
  mounted = undefined
})

async function setup() {
  const fake = createFakeClient({
    CertificateStatusSeed: () => ({
      data: {
        tokens: [
          token({
            keys: [
              key({ certificates: [certificate({ id: '1', status: 'REGISTRATION_IN_PROGRESS' })] }),
              key({ id: '22', certificates: [certificate({ id: '2', status: 'REGISTRATION_IN_PROGRESS' })] }),
            ],
          }),
        ],
      },
    }),
  })
  const view = await mountView(CertificateEventNotifier, { fake })
  mounted = view.wrapper
  await flushPromises()
  return { fake, notifications: view.notifications }
}

const event = (id: string, status: string, declineComment: string | null = null) => ({
  id,
  status,
  active: false,
  usage: 'AUTHENTICATION',
  subject: 'CN=SS1',
  declineComment,
})

describe('CertificateEventNotifier', () => {
  it('announces the registration with the "activate" next step', async () => {
    const { fake, notifications } = await setup()
    fake.push('AuthCertificateRegistered', { authCertificateRegistered: event('1', 'REGISTERED') })
    fake.push('CertificateChangedForNotice', { certificateStatusChanged: event('1', 'REGISTERED') })
    await flushPromises()
    expect(notifications.items).toHaveLength(1)
    expect(notifications.items[0]).toMatchObject({
      kind: 'success',
      title: en.keys.notice.registeredTitle,
      text: en.keys.notice.registeredNext,
      sticky: true,
      to: '/keys',
    })
  })

  it('announces a decline with the central server comment', async () => {
    const { fake, notifications } = await setup()
    fake.push('CertificateChangedForNotice', { certificateStatusChanged: event('2', 'SAVED', 'Unknown server') })
    await flushPromises()
    expect(notifications.items.map((n) => [n.kind, n.title, n.text])).toEqual([
      [
        'error',
        en.keys.notice.declinedTitle,
        'The central server declined the registration: "Unknown server". Fix the cause, then register again.',
      ],
    ])
  })
})
