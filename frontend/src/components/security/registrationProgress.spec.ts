// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { registrationProgress, type ProgressInput } from './registrationProgress'

type Cert = NonNullable<NonNullable<ProgressInput['tokens'][number]['keys']>[number]['certificates']>[number]
const sign: Cert = { usage: 'SIGNING', status: 'REGISTERED', active: true, ocspStatus: 'OCSP_RESPONSE_GOOD' }
const auth = (status: Cert['status'], active = false): Cert => ({
  usage: 'AUTHENTICATION',
  status,
  active,
  ocspStatus: active ? 'OCSP_RESPONSE_GOOD' : 'DISABLED',
})
const input = (certs: Cert[], loggedIn = true, tsps = 1): ProgressInput => ({
  initialized: true,
  timestampingServices: tsps,
  tokens: [{ type: 'SOFTWARE', loggedIn, keys: [{ certificates: certs }] }],
})
const states = (i: ProgressInput) => Object.fromEntries(registrationProgress(i).map((p) => [p.step, p.state]))

describe('registrationProgress', () => {
  it('a fresh server has everything to do', () => {
    expect(states({ initialized: false, timestampingServices: 0, tokens: [] })).toEqual({
      initialized: 'todo',
      timestamping: 'todo',
      tokenLoggedIn: 'todo',
      signCertificate: 'todo',
      authCertificate: 'todo',
      registered: 'todo',
      activated: 'todo',
    })
  })

  it('a sent registration is in progress', () => {
    expect(states(input([sign, auth('REGISTRATION_IN_PROGRESS')]))).toMatchObject({
      signCertificate: 'done',
      authCertificate: 'done',
      registered: 'inProgress',
      activated: 'todo',
    })
  })

  it('registered but not active asks for activation', () => {
    expect(states(input([sign, auth('REGISTERED')]))).toMatchObject({ registered: 'done', activated: 'todo' })
  })

  it('everything done', () => {
    expect(Object.values(states(input([sign, auth('REGISTERED', true)])))).toEqual(Array(7).fill('done'))
  })

  it('an inactive signing certificate does not count', () => {
    expect(states(input([{ ...sign, active: false }]))).toMatchObject({ signCertificate: 'todo' })
  })

  it('a logged-out token is a step to take again', () => {
    expect(states(input([sign], false))).toMatchObject({ tokenLoggedIn: 'todo' })
  })
})
