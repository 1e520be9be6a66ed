import { useMutation } from '@urql/vue'
import type { AnyVariables, CombinedError, DocumentInput } from '@urql/core'
import { ref, shallowRef, type Ref, type ShallowRef } from 'vue'
import { describeError, type ShownError } from './errors'

/** A mutation with the state a form needs around it. */
export interface Action<Data, Variables extends AnyVariables> {
  /** True while the mutation runs. */
  busy: Ref<boolean>
  /** The last failure as the server described it (null after a success or reset). */
  error: Ref<ShownError | null>
  /** The last failure itself (for extensions such as warnings). */
  lastError: ShallowRef<CombinedError | undefined>
  /** Runs the mutation; returns its data, or undefined when it failed. */
  run: (variables: Variables) => Promise<Data | undefined>
  /** Clears the error. */
  reset: () => void
}

/** Wraps a GraphQL mutation for a form: busy flag, the server's error, data or undefined. */
export function useAction<Data = unknown, Variables extends AnyVariables = AnyVariables>(
  document: DocumentInput<Data, Variables>,
): Action<Data, Variables> {
  const mutation = useMutation<Data, Variables>(document)
  const busy = ref(false)
  const error = ref<ShownError | null>(null)
  const lastError = shallowRef<CombinedError>()
  return {
    busy,
    error,
    lastError,
    async run(variables) {
      busy.value = true
      error.value = null
      lastError.value = undefined
      try {
        const result = await mutation.executeMutation(variables)
        if (result.error) {
          lastError.value = result.error
          error.value = describeError(result.error)
          return undefined
        }
        return result.data ?? undefined
      } finally {
        busy.value = false
      }
    },
    reset() {
      error.value = null
      lastError.value = undefined
    },
  }
}
