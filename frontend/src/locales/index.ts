import en from './en.json'

/** Values substituted for `{name}` placeholders in a message. */
export type MessageParams = Record<string, string | number>

type Messages = { [key: string]: string | Messages }

const messages: Messages = en

function lookup(key: string): string | undefined {
  let node: string | Messages | undefined = messages
  for (const part of key.split('.')) {
    if (node === undefined || typeof node === 'string') return undefined
    node = node[part]
  }
  return typeof node === 'string' ? node : undefined
}

/** Reports whether `key` (dotted path, e.g. `keys.title`) names a message. */
export function hasMessage(key: string): boolean {
  return lookup(key) !== undefined
}

/**
 * Returns the English message for `key` with `{name}` placeholders filled from
 * `params`. A missing key returns the key itself, so gaps show up on screen.
 */
export function t(key: string, params: MessageParams = {}): string {
  const message = lookup(key)
  if (message === undefined) return key
  return message.replace(/\{(\w+)\}/g, (whole: string, name: string) =>
    name in params ? String(params[name]) : whole,
  )
}
