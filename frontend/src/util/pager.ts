import { computed, reactive, type ComputedRef } from 'vue'

/** Relay connection arguments for one page. */
export interface PageArgs {
  first: number
  after?: string
}

/** The pageInfo fields the pager reads. */
export interface PageInfoFields {
  hasNextPage: boolean
  hasPreviousPage: boolean
  startCursor?: string | null
  endCursor?: string | null
}

/** Where the pager is. */
export interface PagerState {
  pageSize: number
  /** 1-based number of the page shown. */
  page: number
  /** The `after` cursor of every page up to the one shown (undefined for page 1). */
  cursors: (string | undefined)[]
}

/** Cursor paging over a Relay connection. */
export interface CursorPager {
  readonly state: Readonly<PagerState>
  /** Arguments for the connection field. */
  args: ComputedRef<PageArgs>
  /** Goes to the page after the one whose pageInfo is given. */
  next: (info: PageInfoFields) => void
  /** Goes back one page. */
  previous: () => void
  /** Back to the first page (after a filter change). */
  reset: () => void
  /** Whether there is a page after / before the one shown. */
  hasNext: (info: PageInfoFields | undefined) => boolean
  hasPrevious: () => boolean
}

/**
 * Creates a pager that only pages forwards (first/after) and remembers the
 * cursors it came through, so "previous" re-asks for an earlier page the
 * same way. (Backward Relay paging, last/before, is not relied upon: with
 * equal sort keys servers disagree on whether the cursor row is included.)
 */
export function createCursorPager(pageSize = 20): CursorPager {
  const state = reactive<PagerState>({ pageSize, page: 1, cursors: [undefined] })
  return {
    state,
    args: computed(() => {
      const after = state.cursors[state.page - 1]
      return after ? { first: state.pageSize, after } : { first: state.pageSize }
    }),
    next(info) {
      if (!info.hasNextPage || !info.endCursor) return
      state.cursors = [...state.cursors.slice(0, state.page), info.endCursor]
      state.page++
    },
    previous() {
      if (state.page > 1) state.page--
    },
    reset() {
      state.page = 1
      state.cursors = [undefined]
    },
    hasNext: (info) => info?.hasNextPage ?? false,
    hasPrevious: () => state.page > 1,
  }
}
