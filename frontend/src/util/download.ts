/** A file to hand to the browser's download. */
export interface DownloadFile {
  fileName: string
  mimeType: string
  content: string | Uint8Array
}

/**
 * Offers `file` as a download (a temporary blob URL and a click on a hidden
 * link; nothing leaves the page).
 */
export function saveFile(file: DownloadFile): void {
  const blob = new Blob([file.content as BlobPart], { type: file.mimeType })
  const url = URL.createObjectURL(blob)
  const link = document.createElement('a')
  link.href = url
  link.download = file.fileName
  link.rel = 'noopener'
  link.style.display = 'none'
  document.body.appendChild(link)
  link.click()
  link.remove()
  // Give the browser time to start the download before the URL goes away.
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}
