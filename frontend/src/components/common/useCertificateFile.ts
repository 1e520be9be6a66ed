import { computed, ref } from 'vue'
import { t } from '@/locales'
import { firstFile, readCertificateFile } from '@/util/files'

/**
 * The certificate file of an upload dialog: `file` is the v-file-input
 * model, `picked` the chosen file, and `read()` returns it as the API wants
 * it (see readCertificateFile) — or undefined, with `readError` set when the
 * browser could not read it.
 */
export function useCertificateFile() {
  const file = ref<File | File[] | null>(null)
  const picked = computed(() => firstFile(file.value))
  const readError = ref<string | null>(null)
  async function read(): Promise<string | undefined> {
    readError.value = null
    if (!picked.value) return undefined
    try {
      return await readCertificateFile(picked.value)
    } catch {
      readError.value = t('common.fileUnreadable')
      return undefined
    }
  }
  return { file, picked, readError, read }
}
