// @vitest-environment node
import { describe, expect, it } from 'vitest'
import type { CertificateRenewalStep } from '@/gql/graphql'
import { formatDateTime } from '@/util/format'
import { renewalLook, renewalNotice, renewalRows, renewalStepText, renewalText, type RenewalState } from './renewal'

const at = '2027-03-01T09:30:00Z'
const retry = '2026-12-07T12:05:00Z'
const oldHash = '0a'.repeat(32)
const newHash = 'be'.repeat(32)

const steps: CertificateRenewalStep[] = [
  'REGISTERING',
  'WAITING_FOR_APPROVAL',
  'WAITING_FOR_OCSP',
  'WAITING_FOR_ACTIVATION',
  'UNREGISTERING_OLD',
  'WAITING_FOR_REMOVAL',
  'DELETING_OLD',
]

describe('renewalText', () => {
  it.each<{ name: string; renewal: RenewalState; want: string }>([
    { name: 'not renewed automatically', renewal: { status: 'NOT_APPLICABLE' }, want: 'N/A' },
    { name: 'planned', renewal: { status: 'PLANNED', nextRenewalAt: at }, want: `Next planned renewal on ${formatDateTime(at)}` },
    {
      name: 'planned before the job looked',
      renewal: { status: 'PLANNED', nextRenewalAt: null },
      want: 'Renewed automatically; the next planned renewal is not set yet',
    },
    {
      name: 'in progress, waiting for approval',
      renewal: { status: 'IN_PROGRESS', step: 'WAITING_FOR_APPROVAL' },
      want: 'Renewal in progress — waiting for the central server to approve the new certificate',
    },
    { name: 'in progress without a step', renewal: { status: 'IN_PROGRESS', step: null }, want: 'Renewal in progress' },
    {
      name: 'failed, with the next attempt',
      renewal: { status: 'FAILED', lastError: 'The CA refused the order: rateLimited', retryAt: retry, failures: 2 },
      want: `Renewal error: The CA refused the order: rateLimited (next attempt ${formatDateTime(retry)})`,
    },
    {
      name: 'failed without a next attempt',
      renewal: { status: 'FAILED', lastError: 'connection refused', retryAt: null },
      want: 'Renewal error: connection refused',
    },
    { name: 'failed without a reason', renewal: { status: 'FAILED' }, want: 'Renewal error: no reason recorded' },
  ])('$name', ({ renewal, want }) => {
    expect(renewalText(renewal)).toBe(want)
  })

  it('has words for every step, none of them the message key', () => {
    for (const step of steps) {
      const words = renewalStepText(step)
      expect(words, step).not.toContain('keys.renewal')
      expect(renewalText({ status: 'IN_PROGRESS', step })).toBe(`Renewal in progress — ${words}`)
    }
  })
})

describe('renewalLook', () => {
  it('shows nothing for a certificate not renewed automatically', () => {
    expect(renewalLook({ status: 'NOT_APPLICABLE', nextRenewalAt: at })).toBeUndefined()
  })

  it('colours a planned or running renewal as information and a failed one as an error', () => {
    expect(renewalLook({ status: 'PLANNED', nextRenewalAt: at })).toMatchObject({ color: 'info', text: `Next planned renewal on ${formatDateTime(at)}` })
    expect(renewalLook({ status: 'IN_PROGRESS', step: 'DELETING_OLD' })).toMatchObject({
      color: 'info',
      text: 'Renewal in progress — deleting the old certificate and its key',
    })
    expect(renewalLook({ status: 'FAILED', lastError: 'boom' })).toMatchObject({ color: 'error', text: 'Renewal error: boom' })
  })
})

describe('renewalRows', () => {
  const value = (rows: ReturnType<typeof renewalRows>, label: string) => rows.find((r) => r.label === label)?.value

  it('says N/A and nothing more for a certificate not renewed automatically', () => {
    const rows = renewalRows({ renewal: { status: 'NOT_APPLICABLE', failures: 0 }, renewsSha256: null })
    expect(rows).toEqual([{ label: 'Automatic renewal', value: 'N/A', testid: 'cert-detail-renewal-status' }])
  })

  it('lists a renewal in progress with its step in words and the certificate that replaces it', () => {
    const rows = renewalRows({
      renewal: {
        status: 'IN_PROGRESS',
        step: 'WAITING_FOR_ACTIVATION',
        nextRenewalAt: at,
        startedAt: retry,
        failures: 0,
        renewedBy: { id: '32', sha256: newHash, status: 'REGISTERED' },
      },
    })
    expect(value(rows, 'Step')).toBe(
      'Waiting for the new certificate to be activated: activate it (or start the server with automatic activation)',
    )
    expect(value(rows, 'Next planned renewal')).toBe(formatDateTime(at))
    expect(value(rows, 'Renewal started')).toBe(formatDateTime(retry))
    expect(value(rows, 'Renewed by')).toBe(`${Array(32).fill('be').join(':')} (Registered)`)
    expect(value(rows, 'Failed attempts in a row')).toBeUndefined()
  })

  it('lists a failure with its reason, count and next attempt', () => {
    const rows = renewalRows({ renewal: { status: 'FAILED', lastError: 'challenge port closed', failures: 3, retryAt: retry } })
    expect(value(rows, 'Failed attempts in a row')).toBe(3)
    expect(value(rows, 'Last error')).toBe('challenge port closed')
    expect(value(rows, 'Next attempt')).toBe(formatDateTime(retry))
  })

  it('names the certificate a renewed certificate renews', () => {
    const rows = renewalRows({ renewal: { status: 'NOT_APPLICABLE', failures: 0 }, renewsSha256: oldHash })
    expect(value(rows, 'Renews')).toBe(`Renews certificate ${Array(32).fill('0a').join(':')}`)
  })
})

describe('renewalNotice', () => {
  it.each([
    ['STARTED', 'info', 'Automatic certificate renewal started'],
    ['DONE', 'info', 'Automatic certificate renewal finished'],
    ['FAILED', 'error', 'Automatic certificate renewal failed'],
    ['EXPIRING', 'warning', 'Certificate expires soon'],
  ] as const)('%s is shown as %s with the event message', (kind, want, title) => {
    expect(renewalNotice({ kind, message: 'the job says so' })).toEqual({ kind: want, title, text: 'the job says so' })
  })
})
