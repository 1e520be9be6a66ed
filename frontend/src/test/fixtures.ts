import type { CertificateFieldsFragment, CsrFieldsFragment, KeyFieldsFragment, TokenFieldsFragment } from '@/gql/graphql'

/** A certificate of the keys tree, with overrides. */
export function certificate(overrides: Partial<CertificateFieldsFragment> = {}): CertificateFieldsFragment {
  return {
    __typename: 'Certificate',
    id: '31',
    usage: 'AUTHENTICATION',
    status: 'SAVED',
    active: false,
    ocspStatus: 'DISABLED',
    ocspUpdatedAt: null,
    ocspError: null,
    subject: 'CN=SS1,C=DEV',
    issuer: 'CN=Test CA',
    serialNumber: '42',
    notBefore: '2026-01-01T00:00:00Z',
    notAfter: '2099-01-01T00:00:00Z',
    memberId: null,
    registeredAddress: null,
    declineComment: null,
    managementRequestId: null,
    deletionRequestId: null,
    unregisteredAt: null,
    possibleActions: ['REGISTER', 'ACTIVATE'],
    sha256: 'ab'.repeat(32),
    renewsSha256: null,
    renewal: { status: 'NOT_APPLICABLE', step: null, nextRenewalAt: null, lastError: null, failures: 0, retryAt: null },
    ...overrides,
  } as CertificateFieldsFragment
}

/** A key with certificates. */
export function key(overrides: Partial<KeyFieldsFragment> = {}): KeyFieldsFragment {
  return {
    __typename: 'Key',
    id: '21',
    keyId: 'k1',
    name: 'auth',
    label: 'auth',
    usage: 'AUTHENTICATION',
    algorithm: 'RSA',
    possibleActions: [],
    certificates: [certificate()],
    csrs: [],
    ...overrides,
  } as KeyFieldsFragment
}

/** The software token with keys. */
export function token(overrides: Partial<TokenFieldsFragment> = {}): TokenFieldsFragment {
  return {
    __typename: 'Token',
    id: '11',
    tokenId: '0',
    name: 'softToken-0',
    type: 'SOFTWARE',
    loggedIn: true,
    available: true,
    status: 'OK',
    possibleActions: ['GENERATE_KEY', 'LOGOUT'],
    serialNumber: null,
    label: null,
    pinFailures: 0,
    pinRetryAfter: 0,
    keys: [key()],
    ...overrides,
  } as TokenFieldsFragment
}

/** A CSR notice, with overrides. */
export function csrNotice(overrides: Partial<CsrFieldsFragment> = {}): CsrFieldsFragment {
  return {
    __typename: 'CertificateSigningRequest',
    id: '51',
    usage: 'SIGNING',
    memberId: 'DEV/GOV/1234',
    caName: 'Test CA',
    subject: 'CN=1234,O=GOV,C=DEV',
    createdAt: '2026-11-26T10:00:00Z',
    pem: '-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----\n',
    der: 'MIIB',
    pemName: 'sign_csr_20261126_member_DEV_GOV_1234.pem',
    derName: 'sign_csr_20261126_member_DEV_GOV_1234.der',
    possibleActions: ['DELETE'],
    ...overrides,
  } as CsrFieldsFragment
}
