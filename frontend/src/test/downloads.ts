import { onTestFinished, vi } from 'vitest'

/** A file the page offered for download. */
export interface Download {
  fileName: string
  mimeType: string
  content: Uint8Array
}

/**
 * Records the files the page offers for download until the test ends:
 * util/download's saveFile makes a blob URL and clicks a link to it, so the
 * recorder stands in for the blob URLs and the link's click (jsdom has
 * neither downloads nor blob URLs). Works however the modules were loaded,
 * unlike a module mock. Read the files with `await downloads()`.
 */
export function recordDownloads(): () => Promise<Download[]> {
  const blobs = new Map<string, Blob>()
  const offered: { fileName: string; blob: Blob }[] = []
  const original = { create: URL.createObjectURL, revoke: URL.revokeObjectURL }
  URL.createObjectURL = (blob: Blob | MediaSource) => {
    const url = `blob:roadreg-test/${blobs.size + 1}`
    blobs.set(url, blob as Blob)
    return url
  }
  URL.revokeObjectURL = () => {}
  const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    const blob = blobs.get(this.href)
    if (blob) offered.push({ fileName: this.download, blob })
  })
  onTestFinished(() => {
    URL.createObjectURL = original.create
    URL.revokeObjectURL = original.revoke
    click.mockRestore()
  })
  return async () =>
    Promise.all(offered.map(async (f) => ({ fileName: f.fileName, mimeType: f.blob.type, content: new Uint8Array(await f.blob.arrayBuffer()) })))
}
