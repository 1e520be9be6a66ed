// What the browser tests check on every page and every open dialog, at a
// desktop and a phone size: axe-core finds no critical or serious
// accessibility problem, nothing sticks out sideways (the page never
// scrolls horizontally and every control is on screen), and a screenshot is
// kept. keyboardReach checks that Tab reaches every control.
import { createRequire } from 'node:module'
import { join } from 'node:path'

const require = createRequire(import.meta.url)
/** axe-core's browser bundle, injected into each page. */
export const axeScript = require.resolve('axe-core/axe.min.js')

/** @typedef {{ name: string, width: number, height: number }} Size */
/** @typedef {import('playwright-core').Page} Page */

/** The sizes every page is checked at. @type {Size[]} */
export const sizes = [
  { name: 'desktop', width: 1280, height: 800 },
  { name: 'phone', width: 390, height: 844 },
]

/**
 * Opens a page in a new browser context whose console errors, uncaught
 * errors and requests to origins other than the servers' are added to
 * problems, each prefixed with label.
 * @param {import('playwright-core').Browser} browser
 * @param {{ label: string, origins: Set<string>, problems: string[], stepTimeout: number,
 *   context?: import('playwright-core').BrowserContextOptions }} o
 * @returns {Promise<Page>}
 */
export async function watchedPage(browser, o) {
  return watchPage(await (await browser.newContext(o.context)).newPage(), o)
}

/**
 * Watches a page as {@link watchedPage} does (e.g. a second tab of a
 * watched page's context) and returns it.
 * @param {Page} page
 * @param {{ label: string, origins: Set<string>, problems: string[], stepTimeout: number }} o
 * @returns {Page}
 */
export function watchPage(page, o) {
  page.setDefaultTimeout(o.stepTimeout)
  page.on('console', (m) => {
    if (m.type() === 'error') o.problems.push(`${o.label} console error: ${m.text()}`)
  })
  page.on('pageerror', (e) => o.problems.push(`${o.label} uncaught page error: ${e.message}`))
  page.on('request', (r) => {
    const url = new URL(r.url())
    if (url.protocol !== 'data:' && url.protocol !== 'blob:' && !o.origins.has(url.origin)) {
      o.problems.push(`${o.label} request to another origin: ${r.url()}`)
    }
  })
  return page
}

/** Impacts that fail a check. */
const failingImpacts = ['critical', 'serious']

/**
 * Waits until the page stops moving: two frames (a new window size reaches
 * the page's resize listeners, e.g. Vuetify's breakpoints, and their
 * re-render starts its transitions), then no running CSS transitions or
 * animations (dialogs, drawers, expansion panels).
 * @param {Page} page
 */
export async function settle(page) {
  await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(() => done(undefined)))))
  await page.waitForFunction(
    () => document.getAnimations().every((a) => a.playState !== 'running' || a.effect?.getTiming().iterations === Infinity),
    undefined,
    { timeout: 5_000, polling: 50 },
  )
}

/**
 * Runs axe-core on the page (injected on first use) and returns its
 * critical and serious findings, one line each.
 * @param {Page} page
 * @returns {Promise<string[]>}
 */
export async function axeProblems(page) {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: axeScript })
  const violations = await page.evaluate(async (impacts) => {
    // @ts-expect-error injected by addScriptTag
    const result = await window.axe.run(document, { resultTypes: ['violations'] })
    return /** @type {{ id: string, impact: string, help: string, nodes: { target: unknown[] }[] }[]} */ (result.violations)
      .filter((v) => impacts.includes(v.impact))
      .map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 3).map((n) => String(n.target)) }))
  }, failingImpacts)
  return violations.map((v) => `${v.impact} ${v.id} (${v.help}): ${v.targets.join(' | ')}`)
}

/**
 * Finds what sticks out sideways: the page scrolling horizontally, or a
 * visible control (button, link, field) outside the window, e.g. in a table
 * that scrolls within itself.
 * @param {Page} page
 * @returns {Promise<string[]>}
 */
export async function overflowProblems(page) {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth
    const problems = []
    if (document.documentElement.scrollWidth > width + 1) {
      problems.push(`the page is ${document.documentElement.scrollWidth}px wide in a ${width}px window`)
    }
    const controls = document.querySelectorAll('button, a[href], input:not([type="hidden"]), select, textarea, [role="button"], [role="tab"]')
    for (const el of controls) {
      const box = el.getBoundingClientRect()
      const style = getComputedStyle(el)
      if (box.width === 0 || box.height === 0 || style.visibility === 'hidden' || el.closest('[inert], [aria-hidden="true"]')) continue
      // Inputs Vuetify hides behind their visible control (file inputs, checkboxes).
      if (el instanceof HTMLInputElement && (style.opacity === '0' || el.type === 'file')) continue
      if (box.right > width + 1 || box.left < -1) {
        const name = el.getAttribute('data-testid') ?? el.getAttribute('aria-label') ?? el.textContent?.trim().slice(0, 40) ?? el.tagName
        problems.push(`${el.tagName.toLowerCase()} "${name}" spans x ${Math.round(box.left)}–${Math.round(box.right)} in a ${width}px window`)
      }
    }
    return problems.slice(0, 10)
  })
}

/**
 * Checks the page as it is shown now at every size (or the ones given):
 * overflow, axe, a screenshot each (<dir>/<name>-<size>.jpg). The window
 * ends at the size it had (checked last, so no extra resize). Returns the
 * problems found, prefixed with the size.
 * @param {Page} page @param {string} dir @param {string} name @param {Size[]} [at]
 * @returns {Promise<string[]>}
 */
export async function inspect(page, dir, name, at = sizes) {
  const problems = []
  const before = page.viewportSize()
  const current = (/** @type {Size} */ size) => size.width === before?.width && size.height === before?.height
  const order = [...at.filter((size) => !current(size)), ...at.filter(current)]
  for (const size of order) {
    if (page.viewportSize()?.width !== size.width || page.viewportSize()?.height !== size.height) {
      await page.setViewportSize({ width: size.width, height: size.height })
    }
    await settle(page)
    let overflow = await overflowProblems(page)
    if (overflow.length) {
      // Once more after a moment: on a busy machine the page may still be laying itself out for the new size.
      await page.waitForTimeout(500)
      await settle(page)
      overflow = await overflowProblems(page)
    }
    for (const p of overflow) problems.push(`${size.name}: ${p}`)
    for (const p of await axeProblems(page)) problems.push(`${size.name}: ${p}`)
    await page.screenshot({ path: join(dir, `${name}-${size.name}.jpg`), type: 'jpeg', quality: 70, fullPage: true })
  }
  if (before && !order.some(current)) {
    await page.setViewportSize(before)
    await settle(page)
  }
  return problems
}

/**
 * Presses Tab until the focus comes round again (at most `limit` times)
 * and returns the visible controls inside `scope` it never reached.
 * @param {Page} page @param {string} [scope] CSS selector (default: the whole page) @param {number} [limit]
 * @returns {Promise<string[]>}
 */
export async function keyboardReach(page, scope = 'body', limit = 150) {
  // Every element that gets the focus is marked; Tab is pressed in small
  // batches until an element is focused a second time (the focus came round).
  await page.evaluate(() => {
    for (const el of document.querySelectorAll('[data-rr-reached]')) el.removeAttribute('data-rr-reached')
    const w = /** @type {Window & { rrFocus?: { again: boolean } }} */ (window)
    if (!w.rrFocus) {
      const state = { again: false }
      w.rrFocus = state
      document.addEventListener('focusin', (e) => {
        const el = /** @type {Element} */ (e.target)
        if (el.hasAttribute('data-rr-reached')) state.again = true
        el.setAttribute('data-rr-reached', '')
      })
    }
    w.rrFocus.again = false
    const active = /** @type {HTMLElement | null} */ (document.activeElement)
    active?.blur()
  })
  const batch = 10
  for (let pressed = 0; pressed < limit; pressed += batch) {
    for (let i = 0; i < batch; i++) await page.keyboard.press('Tab')
    if (await page.evaluate(() => /** @type {Window & { rrFocus?: { again: boolean } }} */ (window).rrFocus?.again)) break
  }
  return page.evaluate((sel) => {
    const root = document.querySelector(sel) ?? document.body
    const missed = []
    for (const el of root.querySelectorAll('button:not([disabled]), a[href], input:not([disabled]):not([type="hidden"]), select, textarea')) {
      const box = el.getBoundingClientRect()
      const style = getComputedStyle(el)
      if (box.width === 0 || box.height === 0 || style.visibility === 'hidden' || el.closest('[inert], [aria-hidden="true"]')) continue
      if (el instanceof HTMLInputElement && (el.type === 'file' || el.type === 'radio')) continue
      // A control counts as reached when it, or the element that holds its focus for it, was reached.
      if (el.hasAttribute('data-rr-reached') || el.querySelector('[data-rr-reached]') || el.closest('[data-rr-reached]')) continue
      missed.push(el.getAttribute('data-testid') ?? el.getAttribute('aria-label') ?? el.textContent?.trim().slice(0, 40) ?? el.tagName)
    }
    return missed
  }, scope)
}

/**
 * A GraphQL request from the page, in its session; returns data, throws the first error.
 * @param {Page} page @param {string} query @param {Record<string, unknown> | null} [variables] @returns {Promise<any>}
 */
export async function pageGraphQL(page, query, variables) {
  /** @type {{ data?: any, errors?: { message: string, extensions?: { code?: string } }[] }} */
  const body = await page.evaluate(async ([q, v]) => {
    const res = await fetch('/graphql', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ query: q, variables: v }) })
    return res.json()
  }, /** @type {const} */ ([query, variables ?? null]))
  if (body.errors?.length) throw new Error(`${body.errors[0].extensions?.code ?? 'error'}: ${body.errors[0].message}`)
  return body.data
}

/** Thrown to stop a sequential run after a failed step. */
export class StopRun extends Error {}

/**
 * The results of a sequential run: record adds one (and logs it), step runs
 * one check, records it with what it returned, and on a failure records
 * the error's first line and throws StopRun.
 * @param {(line: string) => void} log
 */
export function checklist(log) {
  /** @type {{ name: string, ok: boolean, detail?: string }[]} */
  const results = []
  /** @param {string} name @param {boolean} ok @param {string} [detail] */
  const record = (name, ok, detail) => {
    results.push({ name, ok, detail })
    log(`${ok ? 'ok' : 'not ok'} - ${name}${detail ? `: ${detail}` : ''}`)
    return ok
  }
  /** @param {string} name @param {() => Promise<string | void>} fn */
  const step = async (name, fn) => {
    try {
      record(name, true, (await fn()) || undefined)
    } catch (error) {
      record(name, false, error instanceof Error ? error.message.split('\n')[0] : String(error))
      throw new StopRun(name)
    }
  }
  return { results, record, step }
}
