// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { certificateEventNotice, type KnownStatuses } from './certificateEvents'

describe('certificateEventNotice', () => {
  it('announces a registration once per certificate', () => {
    const known: KnownStatuses = new Map([['1', 'REGISTRATION_IN_PROGRESS']])
    const noticed = new Set<string>()
    expect(certificateEventNotice('registered', { id: '1', status: 'REGISTERED' }, known, noticed)).toBe('registered')
    expect(certificateEventNotice('registered', { id: '1', status: 'REGISTERED' }, known, noticed)).toBeUndefined()
    expect(known.get('1')).toBe('REGISTERED')
  })

  it('status changes of a registration are not announced as declines', () => {
    const known: KnownStatuses = new Map([['1', 'REGISTRATION_IN_PROGRESS']])
    expect(certificateEventNotice('changed', { id: '1', status: 'REGISTERED' }, known, new Set())).toBeUndefined()
  })

  it('announces a decline: in progress → saved, with or without a comment', () => {
    const noticed = new Set<string>()
    const known: KnownStatuses = new Map([
      ['1', 'REGISTRATION_IN_PROGRESS'],
      ['2', 'REGISTRATION_IN_PROGRESS'],
    ])
    expect(certificateEventNotice('changed', { id: '1', status: 'SAVED', declineComment: 'wrong code' }, known, noticed)).toBe('declined')
    expect(certificateEventNotice('changed', { id: '2', status: 'SAVED', declineComment: null }, known, noticed)).toBe('declined')
  })

  it('stays quiet when a declined certificate changes again (e.g. activated)', () => {
    const known: KnownStatuses = new Map([['1', 'REGISTRATION_IN_PROGRESS']])
    const noticed = new Set<string>()
    certificateEventNotice('changed', { id: '1', status: 'SAVED', declineComment: 'no' }, known, noticed)
    expect(certificateEventNotice('changed', { id: '1', status: 'SAVED', declineComment: 'no' }, known, noticed)).toBeUndefined()
  })

  it('a certificate not seen before with a decline comment is announced once', () => {
    const known: KnownStatuses = new Map()
    const noticed = new Set<string>()
    expect(certificateEventNotice('changed', { id: '9', status: 'SAVED', declineComment: 'no' }, known, noticed)).toBe('declined')
    known.delete('9')
    expect(certificateEventNotice('changed', { id: '9', status: 'SAVED', declineComment: 'no' }, known, noticed)).toBeUndefined()
  })

  it('a saved certificate that was saved before is not a decline', () => {
    const known: KnownStatuses = new Map([['1', 'SAVED']])
    expect(certificateEventNotice('changed', { id: '1', status: 'SAVED', declineComment: 'old' }, known, new Set())).toBeUndefined()
  })
})
