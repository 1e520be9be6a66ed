import { onScopeDispose, ref, type Ref } from 'vue'

/** A reactive "now" that ticks every `intervalMs` while the caller's scope lives. */
export function useNow(intervalMs = 15_000): Ref<Date> {
  const now = ref(new Date())
  const timer = setInterval(() => {
    now.value = new Date()
  }, intervalMs)
  onScopeDispose(() => clearInterval(timer))
  return now
}
