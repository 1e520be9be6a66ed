// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { createCursorPager } from './pager'

const page = (end: string, hasNextPage: boolean) => ({
  startCursor: `${end}-start`,
  endCursor: end,
  hasNextPage,
  hasPreviousPage: false,
})

describe('createCursorPager', () => {
  it('pages forward with first/after and goes back through the same cursors', () => {
    const pager = createCursorPager(10)
    expect(pager.args.value).toEqual({ first: 10 })
    expect(pager.hasPrevious()).toBe(false)
    expect(pager.hasNext(page('j', true))).toBe(true)

    pager.next(page('j', true))
    expect(pager.args.value).toEqual({ first: 10, after: 'j' })
    expect(pager.state.page).toBe(2)
    expect(pager.hasPrevious()).toBe(true)
    pager.next(page('t', true))
    expect(pager.args.value).toEqual({ first: 10, after: 't' })
    expect(pager.state.page).toBe(3)
    expect(pager.hasNext(page('z', false))).toBe(false)

    pager.previous()
    expect(pager.args.value).toEqual({ first: 10, after: 'j' })
    pager.previous()
    expect(pager.args.value).toEqual({ first: 10 })
    expect(pager.state.page).toBe(1)

    // Going forward again after going back replaces the later cursors.
    pager.next(page('k', true))
    expect(pager.args.value).toEqual({ first: 10, after: 'k' })
    expect(pager.state.cursors).toEqual([undefined, 'k'])
  })

  it('reset goes back to the first page', () => {
    const pager = createCursorPager(5)
    pager.next(page('e', true))
    pager.reset()
    expect(pager.args.value).toEqual({ first: 5 })
    expect(pager.state.page).toBe(1)
    expect(pager.hasPrevious()).toBe(false)
  })

  it('ignores moves it cannot make', () => {
    const pager = createCursorPager(5)
    pager.previous()
    pager.next(page('e', false))
    pager.next({ hasNextPage: true, hasPreviousPage: false, startCursor: null, endCursor: null })
    expect(pager.args.value).toEqual({ first: 5 })
    expect(pager.state.page).toBe(1)
    expect(pager.hasNext(undefined)).toBe(false)
  })
})
