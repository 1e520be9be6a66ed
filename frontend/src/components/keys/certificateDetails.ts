import type { CertificateDetailQuery } from '@/gql/graphql'
import { t } from '@/locales'
import { formatDateTime, groupHex } from '@/util/format'

/** The certificate the detail dialog shows. */
export type CertificateDetail = Extract<NonNullable<CertificateDetailQuery['node']>, { __typename: 'Certificate' }>

/** One row of a key-value table. */
export interface DetailRow {
  label: string
  value: string | number | null | undefined
  testid?: string
  mono?: boolean
}

const list = (values: readonly string[]) => (values.length ? values.join(', ') : null)

/** The decoded certificate as rows: names, validity, algorithms, usages, hashes. */
export function certificateRows(cert: CertificateDetail): DetailRow[] {
  const d = cert.details
  const key = [d.publicKeyAlgorithm, d.ecCurve, d.publicKeySize ? t('cert.bits', { bits: d.publicKeySize }) : null]
    .filter(Boolean)
    .join(' ')
  return [
    { label: t('cert.subject'), value: d.subject, testid: 'cert-detail-subject' },
    { label: t('cert.issuer'), value: d.issuer, testid: 'cert-detail-issuer' },
    { label: t('cert.serial'), value: d.serialNumber, testid: 'cert-detail-serial' },
    { label: t('cert.notBefore'), value: formatDateTime(d.notBefore) },
    { label: t('cert.notAfter'), value: formatDateTime(d.notAfter), testid: 'cert-detail-not-after' },
    { label: t('cert.version'), value: d.version },
    { label: t('cert.signatureAlgorithm'), value: d.signatureAlgorithm },
    { label: t('cert.publicKey'), value: key },
    { label: t('cert.keyUsages'), value: list(d.keyUsages), testid: 'cert-detail-key-usages' },
    { label: t('cert.extendedKeyUsages'), value: list(d.extendedKeyUsages) },
    { label: t('cert.subjectAlternativeNames'), value: list(d.subjectAlternativeNames) },
    { label: t('cert.sha256'), value: groupHex(d.sha256), mono: true, testid: 'cert-detail-sha256' },
    { label: t('cert.sha1'), value: groupHex(d.sha1), mono: true, testid: 'cert-detail-sha1' },
    { label: t('cert.subjectKeyId'), value: d.subjectKeyId ? groupHex(d.subjectKeyId) : null, mono: true },
    { label: t('cert.authorityKeyId'), value: d.authorityKeyId ? groupHex(d.authorityKeyId) : null, mono: true },
    { label: t('cert.ocspResponders'), value: list(d.ocspResponderUrls) },
  ]
}

/** Registration on this server: member, address, requests, unregistration. */
export function registrationRows(cert: CertificateDetail): DetailRow[] {
  const rows: DetailRow[] = [{ label: t('cert.status'), value: t(`status.registration.${cert.status}`), testid: 'cert-detail-status' }]
  if (cert.memberId) rows.push({ label: t('cert.member'), value: cert.memberId })
  if (cert.usage === 'AUTHENTICATION') {
    rows.push(
      { label: t('cert.registeredAddress'), value: cert.registeredAddress },
      { label: t('cert.registrationRequest'), value: cert.managementRequestId },
      { label: t('cert.deletionRequest'), value: cert.deletionRequestId, testid: 'cert-detail-deletion-request' },
      { label: t('cert.unregisteredAt'), value: cert.unregisteredAt ? formatDateTime(cert.unregisteredAt) : null },
    )
  }
  return rows
}

/** The OCSP status: what the server last learnt, and the stored response. */
export function ocspRows(cert: CertificateDetail): DetailRow[] {
  const o = cert.ocspResponse
  const rows: DetailRow[] = [
    { label: t('cert.ocspStatus'), value: t(`status.ocsp.${cert.ocspStatus}`), testid: 'cert-detail-ocsp-status' },
    { label: t('cert.ocspCheckedAt'), value: cert.ocspUpdatedAt ? formatDateTime(cert.ocspUpdatedAt) : null, testid: 'cert-detail-ocsp-checked' },
  ]
  if (cert.ocspError) rows.push({ label: t('cert.ocspError'), value: cert.ocspError })
  if (o) {
    rows.push(
      { label: t('cert.ocspResponseStatus'), value: t(`status.ocsp.${o.status}`) },
      { label: t('cert.ocspProducedAt'), value: formatDateTime(o.producedAt) },
      { label: t('cert.ocspThisUpdate'), value: formatDateTime(o.thisUpdate) },
      { label: t('cert.ocspNextUpdate'), value: o.nextUpdate ? formatDateTime(o.nextUpdate) : null },
      { label: t('cert.ocspResponder'), value: o.responder },
    )
    if (o.revokedAt) rows.push({ label: t('cert.ocspRevokedAt'), value: formatDateTime(o.revokedAt) })
  }
  return rows
}
