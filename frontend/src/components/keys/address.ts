/** Why an address is a poor choice for a security server's public address. */
export type AddressProblem = 'loopback' | 'linkLocal' | 'unspecified'

/**
 * Says whether `address` (what the Register dialog sends) only works on
 * this machine or its own network link: loopback (localhost, 127.0.0.0/8,
 * ::1), link-local (169.254.0.0/16, fe80::/10) or unspecified (0.0.0.0, ::).
 * Such an address is legal, but other security servers cannot reach it and
 * the central server administrator would have to decline the request.
 */
export function addressProblem(address: string): AddressProblem | null {
  const a = address.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '')
  if (!a) return null
  if (a === 'localhost' || a.endsWith('.localhost')) return 'loopback'
  const v4 = a.match(/^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/)
  if (v4) {
    const [x, y] = [Number(v4[1]), Number(v4[2])]
    if (x === 127) return 'loopback'
    if (x === 169 && y === 254) return 'linkLocal'
    if (a === '0.0.0.0') return 'unspecified'
    return null
  }
  if (a.includes(':')) {
    const mapped = a.match(/^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/)
    if (mapped) return addressProblem(mapped[1]!)
    const expanded = expandIPv6(a)
    if (!expanded) return null
    if (expanded.every((g, i) => g === (i === 7 ? 1 : 0))) return 'loopback'
    if (expanded.every((g) => g === 0)) return 'unspecified'
    if ((expanded[0]! & 0xffc0) === 0xfe80) return 'linkLocal'
  }
  return null
}

/** The eight 16-bit groups of an IPv6 address, or null when it is not one. */
function expandIPv6(a: string): number[] | null {
  const halves = a.split('::')
  if (halves.length > 2) return null
  const parse = (s: string) => (s === '' ? [] : s.split(':').map((g) => (/^[0-9a-f]{1,4}$/.test(g) ? parseInt(g, 16) : NaN)))
  const head = parse(halves[0]!)
  const tail = halves.length === 2 ? parse(halves[1]!) : []
  const fill = 8 - head.length - tail.length
  if ((halves.length === 1 && fill !== 0) || fill < 0) return null
  const groups = [...head, ...Array<number>(halves.length === 2 ? fill : 0).fill(0), ...tail]
  return groups.length === 8 && groups.every((g) => !Number.isNaN(g)) ? groups : null
}
