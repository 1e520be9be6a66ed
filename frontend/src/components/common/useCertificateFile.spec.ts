import { describe, expect, it } from 'vitest'
import en from '@/locales/en.json'
import { useCertificateFile } from './useCertificateFile'

const pem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n'

describe('useCertificateFile', () => {
  it('reads the picked file (the first of several) as the API wants it', async () => {
    const c = useCertificateFile()
    expect(await c.read()).toBeUndefined()
    c.file.value = [new File([pem], 'a.pem'), new File([new Uint8Array([1, 2])], 'b.der')]
    expect(c.picked.value?.name).toBe('a.pem')
    expect(await c.read()).toBe(pem.trim())
    c.file.value = new File([new Uint8Array([0x30, 0x82])], 'c.der')
    expect(await c.read()).toBe('MII=')
    expect(c.readError.value).toBeNull()
  })

  it('says when the browser cannot read the file, and clears that on the next read', async () => {
    const c = useCertificateFile()
    const broken = new File([pem], 'gone.pem')
    broken.arrayBuffer = () => Promise.reject(new Error('NotReadableError'))
    c.file.value = broken
    expect(await c.read()).toBeUndefined()
    expect(c.readError.value).toBe(en.common.fileUnreadable)
    c.file.value = new File([pem], 'ok.pem')
    expect(await c.read()).toBe(pem.trim())
    expect(c.readError.value).toBeNull()
  })
})
