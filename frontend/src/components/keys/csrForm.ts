import type { CsrFormat, GenerateCsrInput, KeyUsage } from '@/gql/graphql'

/** What the CSR part of a form collects. */
export interface CsrFormValue {
  caName: string | null
  /** INSTANCE/CLASS/CODE; signing CSRs only. */
  memberId: string | null
  /** Subject field values by field id. */
  fields: Record<string, string>
  format: CsrFormat
}

/** A subject (DN) field as csrSubjectFields describes it. */
export interface SubjectField {
  id: string
  label: string
  defaultValue?: string | null
  readOnly: boolean
  required: boolean
}

/** A fresh CSR form. */
export function emptyCsrForm(): CsrFormValue {
  return { caName: null, memberId: null, fields: {}, format: 'PEM' }
}

/** The owner member (INSTANCE/CLASS/CODE) of a security server id INSTANCE/CLASS/CODE/SERVERCODE. */
export function ownerMemberId(securityServerId: string | null | undefined): string | undefined {
  const parts = (securityServerId ?? '').split('/')
  return parts.length === 4 && parts.every(Boolean) ? parts.slice(0, 3).join('/') : undefined
}

/**
 * Fills in defaults for subject fields the user has not typed in yet;
 * read-only fields always take the CA profile's value.
 */
export function withFieldDefaults(values: Record<string, string>, fields: readonly SubjectField[]): Record<string, string> {
  const out: Record<string, string> = {}
  for (const f of fields) {
    const current = values[f.id]
    out[f.id] = f.readOnly || current === undefined ? (f.defaultValue ?? '') : current
  }
  return out
}

/** The first problem with a CSR form, or null when it can be submitted. */
export function csrFormProblem(
  value: CsrFormValue,
  usage: KeyUsage | null,
  fields: readonly SubjectField[] | undefined,
): 'usage' | 'ca' | 'member' | 'fieldsLoading' | 'field' | null {
  if (!usage) return 'usage'
  if (!value.caName) return 'ca'
  if (usage === 'SIGNING' && !value.memberId) return 'member'
  if (!fields) return 'fieldsLoading'
  if (fields.some((f) => f.required && !(value.fields[f.id] ?? '').trim())) return 'field'
  return null
}

/** The generateCsr input for a key from a complete form. */
export function csrInput(keyId: string, usage: KeyUsage, value: CsrFormValue, fields: readonly SubjectField[]): GenerateCsrInput {
  return {
    keyId,
    usage,
    caName: value.caName ?? '',
    memberId: usage === 'SIGNING' ? value.memberId : undefined,
    subjectFields: fields
      .filter((f) => !f.readOnly)
      .map((f) => ({ id: f.id, value: (value.fields[f.id] ?? '').trim() }))
      .filter((f) => f.value !== ''),
    format: value.format,
  }
}
