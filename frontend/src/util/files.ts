/** Reads a file the user picked as bytes. */
export async function readFileBytes(file: Blob): Promise<Uint8Array> {
  return new Uint8Array(await file.arrayBuffer())
}

/** Reads a file the user picked as UTF-8 text. */
export async function readFileText(file: Blob): Promise<string> {
  return new TextDecoder().decode(await readFileBytes(file))
}

/** Encodes bytes as standard base64. */
export function bytesToBase64(bytes: Uint8Array): string {
  let binary = ''
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  }
  return btoa(binary)
}

/** Decodes standard base64 (whitespace ignored). Throws on anything else. */
export function base64ToBytes(base64: string): Uint8Array {
  const binary = atob(base64.replace(/\s+/g, ''))
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
  return bytes
}

const pemMarker = '-----BEGIN '

/**
 * Turns the bytes of a certificate file into what the API takes: PEM text as
 * it is, anything else (DER) as base64. The server checks the contents.
 */
export function certificateFileToApiString(bytes: Uint8Array): string {
  const head = new TextDecoder('utf-8', { fatal: false }).decode(bytes.subarray(0, 4096))
  const start = head.indexOf(pemMarker)
  if (start >= 0 && head.slice(0, start).trim() === '') {
    return new TextDecoder().decode(bytes).trim()
  }
  return bytesToBase64(bytes)
}

/** Reads a certificate file (PEM or DER) for the API; see {@link certificateFileToApiString}. */
export async function readCertificateFile(file: Blob): Promise<string> {
  return certificateFileToApiString(await readFileBytes(file))
}

/** The first file of a v-file-input model (a File, an array of them, or nothing). */
export function firstFile(value: File | File[] | null | undefined): File | undefined {
  if (Array.isArray(value)) return value[0]
  return value ?? undefined
}
