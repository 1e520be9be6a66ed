// Browser end-to-end check of the Roadreg SPA against a running server.
//
//   ROADREG_E2E_URL=http://127.0.0.1:8080 ROADREG_E2E_USER=admin ROADREG_E2E_PASSWORD=… node frontend/e2e/run.mjs
//
// Optional: ROADREG_E2E_ROLE=CENTRAL|SECURITY (the role the server must show),
// ROADREG_E2E_SCREENSHOTS (default frontend/e2e/screenshots), ROADREG_CHROMIUM
// (default /usr/bin/chromium). Signs in through the login form (Enter key),
// checks the overview shows the server role and the user, visits "Users and
// API keys" (the user must be a system administrator) and the "Change
// password" dialog, signs out, and
// fails on any browser console error, uncaught page error or request to
// another origin. The login page, the overview, the users page and the
// dialog are each checked at 1280×800 and 390×844 (checks.mjs: axe-core,
// overflow, screenshots). Exits 1 when a check fails, 2 on bad usage.
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { chromium } from 'playwright-core'
import { inspect } from './checks.mjs'

const here = fileURLToPath(new URL('.', import.meta.url))
const en = JSON.parse(readFileSync(join(here, '../src/locales/en.json'), 'utf8'))

/** Chromium flags that work headless, as root and in containers without a GPU. */
export const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

/**
 * @typedef {{ baseURL: string, username: string, password: string, expectRole?: string,
 *   screenshotDir: string, chromiumPath?: string, log?: (line: string) => void }} E2EOptions
 * @typedef {{ name: string, ok: boolean, detail?: string }} CheckResult
 */

/**
 * Runs the browser checks and returns one result per check.
 * @param {E2EOptions} options
 * @returns {Promise<CheckResult[]>}
 */
export async function runE2E(options) {
  const { baseURL, username, password, expectRole, screenshotDir } = options
  const log = options.log ?? ((line) => console.log(line))
  const origin = new URL(baseURL).origin
  /** @type {CheckResult[]} */
  const results = []
  /** @type {string[]} */
  const browserProblems = []

  /** @param {string} name @param {boolean} ok @param {string} [detail] */
  const record = (name, ok, detail) => {
    results.push({ name, ok, detail })
    log(`${ok ? 'ok' : 'not ok'} - ${name}${detail ? `: ${detail}` : ''}`)
    return ok
  }

  mkdirSync(screenshotDir, { recursive: true })
  const profile = mkdtempSync(join(tmpdir(), 'roadreg-e2e-chromium-'))
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: options.chromiumPath ?? '/usr/bin/chromium',
    headless: true,
    args: chromiumArgs,
    viewport: { width: 1280, height: 800 },
  })
  try {
    const page = context.pages()[0] ?? (await context.newPage())
    page.setDefaultTimeout(20_000)
    page.on('console', (message) => {
      if (message.type() === 'error') browserProblems.push(`console error: ${message.text()}`)
    })
    page.on('pageerror', (error) => browserProblems.push(`uncaught page error: ${error.message}`))
    page.on('request', (request) => {
      const url = new URL(request.url())
      if (url.protocol !== 'data:' && url.protocol !== 'blob:' && url.origin !== origin) {
        browserProblems.push(`request to another origin: ${request.url()}`)
      }
    })
    /** @param {string} name */
    const screenshot = (name) => page.screenshot({ path: join(screenshotDir, name), fullPage: true })
    /** Axe, overflow and screenshots at both sizes. @param {string} name */
    const look = async (name) => {
      const problems = await inspect(page, screenshotDir, name)
      record(`${name}: axe finds nothing critical or serious, nothing sticks out (1280×800, 390×844)`, problems.length === 0, problems.join(' | '))
    }
    /** @param {string} id */
    const byTestId = (id) => page.locator(`[data-testid="${id}"]`)

    await page.goto(new URL('/', baseURL).href)
    await byTestId('login-form').waitFor()
    await look('01-login')
    record('an anonymous visit lands on the login page', new URL(page.url()).pathname === '/login', page.url())

    await byTestId('login-username').locator('input').fill(username)
    await byTestId('login-password').locator('input').fill(password)
    await byTestId('login-password').locator('input').press('Enter')
    const outcome = await Promise.race([
      byTestId('overview-role').waitFor().then(() => 'overview'),
      byTestId('login-error').waitFor().then(() => 'error'),
    ])
    if (outcome === 'error') {
      await screenshot('02-login-failed.png')
      record('sign-in with Enter shows the overview', false, await byTestId('login-error').innerText())
      return results
    }
    record('sign-in with Enter shows the overview', true)

    const roleText = (await byTestId('overview-role').innerText()).trim()
    const badgeText = (await byTestId('server-role').innerText()).trim()
    const role = Object.keys(en.serverRole).find((key) => en.serverRole[key] === roleText)
    record('the overview shows the server role', role !== undefined, roleText)
    record('the app bar badge matches the role', role !== undefined && badgeText === en.serverRoleBadge[role], badgeText)
    if (expectRole) record(`the role is ${expectRole}`, role === expectRole, role ?? roleText)
    record('the overview shows the user', (await byTestId('overview-username').innerText()).trim() === username)
    const title = byTestId('app-title')
    record('the app bar shows the product name', (await title.isVisible()) && (await title.innerText()).trim() === en.app.name)
    record('the app bar shows the user', (await byTestId('shell-username').innerText()).trim() === username)
    await look('02-overview')

    // Users and API keys: the signed-in administrator, the API keys and this browser's session.
    if ((await byTestId('nav-users').count()) === 0) {
      record('the navigation offers users and API keys', false, 'no entry: is the user a system administrator?')
    } else {
      await byTestId('nav-users').click()
      await byTestId('users-table').waitFor()
      const names = await byTestId('user-row').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-username')))
      record('the users page lists the signed-in user', names.includes(username), names.join(', '))
      record('the users page shows the API keys', await byTestId('api-keys-card').isVisible())
      const mine = page.locator('[data-testid="session-row"]', { hasText: en.users.thisSession })
      record("the users page shows this browser's session", (await mine.count()) === 1)
      await look('03-users')
    }
    await byTestId('account-menu').click()
    await byTestId('change-password').click()
    await byTestId('change-password-dialog').waitFor()
    record('the account menu opens "Change password"', await byTestId('change-password-current').isVisible())
    await look('04-change-password')
    await byTestId('dialog-cancel').click()
    await byTestId('change-password-dialog').waitFor({ state: 'hidden' })

    await byTestId('sign-out').click()
    await byTestId('login-notice').waitFor()
    record('sign-out returns to the login page', (await byTestId('login-notice').innerText()).trim() === en.login.signedOut)
    await screenshot('05-signed-out.png')

    await page.goto(new URL('/', baseURL).href)
    await byTestId('login-form').waitFor()
    record('after sign-out the server no longer accepts the session', new URL(page.url()).pathname === '/login')
  } catch (error) {
    record('the run completed', false, error instanceof Error ? error.message : String(error))
  } finally {
    await context.close()
    rmSync(profile, { recursive: true, force: true })
    record('no browser console errors, page errors or foreign requests', browserProblems.length === 0, browserProblems.join(' | '))
  }
  return results
}

async function main() {
  const baseURL = process.env.ROADREG_E2E_URL
  const username = process.env.ROADREG_E2E_USER
  const password = process.env.ROADREG_E2E_PASSWORD
  if (!baseURL || !username || !password) {
    console.error('Set ROADREG_E2E_URL (e.g. http://127.0.0.1:8080), ROADREG_E2E_USER and ROADREG_E2E_PASSWORD.')
    process.exit(2)
  }
  const results = await runE2E({
    baseURL,
    username,
    password,
    expectRole: process.env.ROADREG_E2E_ROLE,
    screenshotDir: process.env.ROADREG_E2E_SCREENSHOTS ?? join(here, 'screenshots'),
    chromiumPath: process.env.ROADREG_CHROMIUM,
  })
  const failed = results.filter((r) => !r.ok).length
  console.log(`e2e: ${results.length - failed} passed, ${failed} failed`)
  process.exit(failed === 0 ? 0 : 1)
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main()
