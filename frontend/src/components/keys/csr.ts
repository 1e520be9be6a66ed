import type { CsrFormat } from '@/gql/graphql'
import type { DownloadFile } from '@/util/download'
import { base64ToBytes } from '@/util/files'

/** What a CSR download needs from the API. */
export interface CsrFiles {
  /** PEM text. */
  pem: string
  /** Base64 DER. */
  der: string
  /** The server's file names (X-Road's `<usage>_csr_<date>_<id>.<ext>`). */
  pemName: string
  derName: string
}

const extensions: Record<CsrFormat, string> = { PEM: '.pem', DER: '.der' }

/** Makes sure `name` ends with the format's extension (and is never empty). */
export function csrFileName(name: string, format: CsrFormat): string {
  const ext = extensions[format]
  const base = name.trim().replace(/[/\\]/g, '_') || 'csr'
  if (base.toLowerCase().endsWith(ext)) return base
  return base.replace(/\.(pem|der)$/i, '') + ext
}

/**
 * The file to offer for a CSR in `format`: the PEM text, or the DER bytes
 * decoded from base64, under the server's file name.
 */
export function csrDownload(csr: CsrFiles, format: CsrFormat): DownloadFile {
  if (format === 'DER') {
    return { fileName: csrFileName(csr.derName, 'DER'), mimeType: 'application/pkcs10', content: base64ToBytes(csr.der) }
  }
  const pem = csr.pem.endsWith('\n') ? csr.pem : `${csr.pem}\n`
  return { fileName: csrFileName(csr.pemName, 'PEM'), mimeType: 'application/x-pem-file', content: pem }
}
