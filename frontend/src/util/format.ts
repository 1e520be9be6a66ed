const dateTime = new Intl.DateTimeFormat('en-GB', {
  year: 'numeric',
  month: 'short',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
})

const date = new Intl.DateTimeFormat('en-GB', { year: 'numeric', month: 'short', day: '2-digit' })

/** Formats an ISO time for people (local time zone); '—' for none. */
export function formatDateTime(value: string | null | undefined): string {
  if (!value) return '—'
  const d = new Date(value)
  return Number.isNaN(d.getTime()) ? value : dateTime.format(d)
}

/** Formats an ISO time as a date only; '—' for none. */
export function formatDate(value: string | null | undefined): string {
  if (!value) return '—'
  const d = new Date(value)
  return Number.isNaN(d.getTime()) ? value : date.format(d)
}

/** Whole days from `now` until `value` (negative when past). */
export function daysUntil(value: string, now: Date): number {
  return Math.floor((new Date(value).getTime() - now.getTime()) / 86_400_000)
}

/** Groups a long hex string in pairs with colons for easier comparison. */
export function groupHex(hex: string): string {
  return (hex.match(/.{1,2}/g) ?? []).join(':')
}
