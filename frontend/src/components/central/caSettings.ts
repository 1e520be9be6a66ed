// An approved certification authority's settings (UG-CS §10.1): whether it
// issues authentication certificates only, its certificate profile, the
// default CSR format and, for a CA that can be used for ACME (X-Road 7.5),
// its ACME server's directory URL and IP addresses and the ACME profile ids
// of authentication and signing certificates (README "With ACME").
import type {
  AddApprovedCertificationServiceInput,
  CertificationServiceSettingsInput,
  CsrFormat,
} from '@/gql/graphql'
import { t } from '@/locales'
import { formatDateTime, groupHex } from '@/util/format'
import type { DetailRow } from '@/components/keys/certificateDetails'

/** X-Road's default certificate profile, which a CA takes when none is given. */
export const DEFAULT_PROFILE = 'ee.ria.xroad.common.certificateprofile.impl.EjbcaCertificateProfileInfoProvider'

/** The certificate profiles the server implements, with their names for people (README "With ACME"). */
export const knownProfiles: readonly { value: string; key: string }[] = [
  { value: DEFAULT_PROFILE, key: 'ejbca' },
  { value: 'ee.ria.xroad.common.certificateprofile.impl.BasicCertificateProfileInfoProvider', key: 'basic' },
  { value: 'ee.ria.xroad.common.certificateprofile.impl.BasicACMECertificateProfileInfoProvider', key: 'basicAcme' },
  { value: 'io.roadreg.certificateprofile.SanOnlyCertificateProfileInfoProvider', key: 'sanOnly' },
]

/** A certificate profile's name for people, or its class name when the app does not know it. */
export function profileName(info: string): string {
  const known = knownProfiles.find((p) => p.value === info)
  return known ? t(`trust.profile.${known.key}`) : info
}

/** The choices of the certificate profile field: the known ones and, if it is another, the CA's own. */
export function profileChoices(current: string): { title: string; value: string }[] {
  const choices = knownProfiles.map((p) => ({ title: t(`trust.profile.${p.key}`), value: p.value }))
  if (current && !knownProfiles.some((p) => p.value === current)) choices.push({ title: current, value: current })
  return choices
}

/** The settings as the form edits them. */
export interface CaSettingsForm {
  authenticationOnly: boolean
  certificateProfileInfo: string
  defaultCsrFormat: CsrFormat
  /** "Can be used for ACME": without it the ACME fields are not sent (adding) or cleared (editing). */
  acme: boolean
  acmeServerDirectoryUrl: string
  acmeServerIpAddress: string
  authenticationCertificateProfileId: string
  signingCertificateProfileId: string
}

/** The settings of an approved CA as the API gives them. */
export interface CaSettings {
  authenticationOnly: boolean
  certificateProfileInfo: string
  defaultCsrFormat: CsrFormat
  acmeServerDirectoryUrl?: string | null
  acmeServerIpAddress?: string | null
  authenticationCertificateProfileId?: string | null
  signingCertificateProfileId?: string | null
}

/** A new CA's settings: the server's defaults (X-Road's default profile, PEM, no ACME). */
export function newSettingsForm(): CaSettingsForm {
  return {
    authenticationOnly: false,
    certificateProfileInfo: DEFAULT_PROFILE,
    defaultCsrFormat: 'PEM',
    acme: false,
    acmeServerDirectoryUrl: '',
    acmeServerIpAddress: '',
    authenticationCertificateProfileId: '',
    signingCertificateProfileId: '',
  }
}

/** The form for a CA's current settings. */
export function settingsForm(ca: CaSettings): CaSettingsForm {
  return {
    authenticationOnly: ca.authenticationOnly,
    certificateProfileInfo: ca.certificateProfileInfo,
    defaultCsrFormat: ca.defaultCsrFormat,
    acme: !!ca.acmeServerDirectoryUrl,
    acmeServerDirectoryUrl: ca.acmeServerDirectoryUrl ?? '',
    acmeServerIpAddress: ca.acmeServerIpAddress ?? '',
    authenticationCertificateProfileId: ca.authenticationCertificateProfileId ?? '',
    signingCertificateProfileId: ca.signingCertificateProfileId ?? '',
  }
}

/** Why the form cannot be sent yet, if it cannot: ACME needs the directory URL. */
export function settingsIncomplete(form: CaSettingsForm): boolean {
  return !form.certificateProfileInfo.trim() || (form.acme && !form.acmeServerDirectoryUrl.trim())
}

/** The settings of addApprovedCertificationService: empty texts and ACME, when not chosen, left out. */
export function addSettingsInput(form: CaSettingsForm): Omit<AddApprovedCertificationServiceInput, 'caCertificate' | 'ocspResponders'> {
  const input: Omit<AddApprovedCertificationServiceInput, 'caCertificate' | 'ocspResponders'> = {
    authenticationOnly: form.authenticationOnly,
    certificateProfileInfo: form.certificateProfileInfo.trim(),
    defaultCsrFormat: form.defaultCsrFormat,
  }
  if (form.acme) {
    const optional = {
      acmeServerDirectoryUrl: form.acmeServerDirectoryUrl.trim(),
      acmeServerIpAddress: form.acmeServerIpAddress.trim(),
      authenticationCertificateProfileId: form.authenticationCertificateProfileId.trim(),
      signingCertificateProfileId: form.signingCertificateProfileId.trim(),
    }
    for (const [name, value] of Object.entries(optional)) if (value) Object.assign(input, { [name]: value })
  }
  return input
}

/**
 * The input of updateApprovedCertificationService: every setting, an empty
 * text clearing it; without ACME the directory URL is cleared, which
 * clears every ACME setting.
 */
export function updateSettingsInput(form: CaSettingsForm): CertificationServiceSettingsInput {
  const base: CertificationServiceSettingsInput = {
    authenticationOnly: form.authenticationOnly,
    certificateProfileInfo: form.certificateProfileInfo.trim(),
    defaultCsrFormat: form.defaultCsrFormat,
  }
  if (!form.acme) return { ...base, acmeServerDirectoryUrl: '' }
  return {
    ...base,
    acmeServerDirectoryUrl: form.acmeServerDirectoryUrl.trim(),
    acmeServerIpAddress: form.acmeServerIpAddress.trim(),
    authenticationCertificateProfileId: form.authenticationCertificateProfileId.trim(),
    signingCertificateProfileId: form.signingCertificateProfileId.trim(),
  }
}

/** An approved CA as its details show it. */
export interface ApprovedCa extends CaSettings {
  name: string
  subjectDn: string
  issuerDn: string
  notBefore: string
  notAfter: string
  sha256: string
  ocspResponderUrls: readonly string[]
}

/** The CA's certificate: names, validity, hash, OCSP responders. */
export function caRows(ca: ApprovedCa): DetailRow[] {
  return [
    { label: t('trust.name'), value: ca.name, testid: 'ca-detail-name' },
    { label: t('trust.subject'), value: ca.subjectDn },
    { label: t('trust.issuer'), value: ca.issuerDn },
    { label: t('cert.notBefore'), value: formatDateTime(ca.notBefore) },
    { label: t('cert.notAfter'), value: formatDateTime(ca.notAfter) },
    { label: t('cert.sha256'), value: groupHex(ca.sha256), mono: true },
    { label: t('trust.ocsp'), value: ca.ocspResponderUrls.length ? ca.ocspResponderUrls.join(', ') : t('trust.noOcsp'), testid: 'ca-detail-ocsp' },
  ]
}

/** The CA's settings: usage, profile, CSR format, and its ACME server when it can be used for ACME. */
export function caSettingsRows(ca: CaSettings): DetailRow[] {
  const rows: DetailRow[] = [
    { label: t('trust.issues'), value: ca.authenticationOnly ? t('trust.authOnly') : t('trust.authAndSign'), testid: 'ca-detail-auth-only' },
    { label: t('trust.certificateProfile'), value: `${profileName(ca.certificateProfileInfo)} (${ca.certificateProfileInfo})`, testid: 'ca-detail-profile' },
    { label: t('trust.defaultCsrFormat'), value: ca.defaultCsrFormat, testid: 'ca-detail-csr-format' },
    { label: t('trust.acmeUsable'), value: ca.acmeServerDirectoryUrl ? t('trust.acmeYes') : t('trust.acmeNo'), testid: 'ca-detail-acme' },
  ]
  if (ca.acmeServerDirectoryUrl) {
    rows.push(
      { label: t('trust.acmeDirectoryUrl'), value: ca.acmeServerDirectoryUrl, testid: 'ca-detail-acme-url' },
      { label: t('trust.acmeIpAddress'), value: ca.acmeServerIpAddress, testid: 'ca-detail-acme-ips' },
      { label: t('trust.authProfileId'), value: ca.authenticationCertificateProfileId, testid: 'ca-detail-auth-profile' },
      { label: t('trust.signProfileId'), value: ca.signingCertificateProfileId, testid: 'ca-detail-sign-profile' },
    )
  }
  return rows
}
