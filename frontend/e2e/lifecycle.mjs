// The end of an authentication certificate's life in the browser, after
// MEMBER_01 (member01.mjs) registered the security server: the security
// officer reads the certificate's details, is warned before deleting its
// key, unregisters the certificate; the central server's configuration
// drops it and the security server sees that by itself; the key is then
// deleted. Against a running `roadreg dev` (or any central server and
// security server), with the same settings as member01.mjs:
//
//   ROADREG_E2E_CS_URL=http://127.0.0.1:8080 ROADREG_E2E_SS_URL=http://127.0.0.1:8081 \
//   ROADREG_E2E_CA_URL=http://127.0.0.1:8899 ROADREG_E2E_DEV_CREDENTIALS=data/dev-credentials.json \
//   node frontend/e2e/lifecycle.mjs
//
// ROADREG_E2E_SERVER_CODE names the registered server (default SS1);
// screenshots go to ROADREG_E2E_SCREENSHOTS (default frontend/e2e/screenshots/lifecycle).
// Fails on any browser console error, uncaught page error or request to a
// foreign origin. Exits 0 when every check passed, 1 when one failed, 2 on bad usage.
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { chromium } from 'playwright-core'
import { optionsFromEnv } from './member01.mjs'
import { chromiumArgs } from './run.mjs'
import { checklist, StopRun, watchedPage } from './checks.mjs'

const here = fileURLToPath(new URL('.', import.meta.url))

/**
 * The shared parameters the central server publishes now (its signed
 * directory names their location).
 * @param {string} csURL
 */
async function publishedSharedParameters(csURL) {
  const directory = await (await fetch(new URL('/internalconf', csURL))).text()
  const location = /Content-location:\s*(\S*shared-params\.xml)/i.exec(directory)?.[1]
  if (!location) throw new Error('the configuration directory names no shared parameters')
  return (await fetch(new URL(location, csURL))).text()
}

/**
 * Runs the checks and returns one result per check.
 * @param {import('./member01.mjs').Member01Options} o
 */
export async function runLifecycle(o) {
  const log = o.log ?? ((line) => console.log(line))
  /** @type {string[]} */
  const browserProblems = []
  const origins = new Set([new URL(o.csURL).origin, new URL(o.ssURL).origin])
  const screenshotDir = o.screenshotDir
  mkdirSync(screenshotDir, { recursive: true })
  const { results, record, step } = checklist(log)

  const browser = await chromium.launch({ executablePath: o.chromiumPath ?? '/usr/bin/chromium', headless: true, args: chromiumArgs })
  /** @param {string} label */
  const newPage = (label) =>
    watchedPage(browser, {
      label,
      origins,
      problems: browserProblems,
      stepTimeout: o.stepTimeout,
      context: { viewport: { width: 1366, height: 900 } },
    })
  let shot = 0
  /** @param {import('playwright-core').Page} page @param {string} name */
  const screenshot = (page, name) =>
    page.screenshot({ path: join(screenshotDir, `${String(++shot).padStart(2, '0')}-${name}.png`), fullPage: true })
  /** @param {import('playwright-core').Page} page @param {string} id */
  const byTestId = (page, id) => page.locator(`[data-testid="${id}"]`)
  /** @param {import('playwright-core').Page} page @param {string} baseURL @param {{ username: string, password: string }} user */
  const signIn = async (page, baseURL, user) => {
    await page.goto(new URL('/', baseURL).href)
    await page.waitForFunction(() => document.activeElement?.closest('[data-testid="login-username"]') != null)
    await byTestId(page, 'login-username').locator('input').fill(user.username)
    await byTestId(page, 'login-password').locator('input').fill(user.password)
    await byTestId(page, 'login-password').locator('input').press('Enter')
    await byTestId(page, 'shell-username').waitFor()
  }
  /** @param {import('playwright-core').Page} page @param {string} routeName */
  const navigate = async (page, routeName) => {
    await byTestId(page, `nav-${routeName}`).click()
    await page.waitForURL((url) => url.pathname.startsWith(`/${routeName}`))
  }

  try {
    const ss = await newPage('SS')
    const cs = await newPage('CS')
    const authCert = () => ss.locator('[data-testid="certificate"][data-usage="AUTHENTICATION"]').first()
    const authKey = () => ss.locator('[data-testid="key-item"][data-usage="AUTHENTICATION"]').first()
    let sha256 = ''
    let serverId = ''

    await step('SS: the registered authentication certificate shows its details', async () => {
      await signIn(ss, o.ssURL, o.ss)
      await byTestId(ss, 'overview-server-id').waitFor()
      serverId = (await byTestId(ss, 'overview-server-id').innerText()).trim()
      await navigate(ss, 'keys')
      await ss.locator('[data-testid="certificate"][data-usage="AUTHENTICATION"][data-status="REGISTERED"]').waitFor()
      await authCert().locator('[data-testid="cert-details"]').click()
      await byTestId(ss, 'cert-detail-sha256').waitFor()
      sha256 = (await byTestId(ss, 'cert-detail-sha256').innerText()).replace(/:/g, '').trim().toLowerCase()
      const ocsp = (await byTestId(ss, 'cert-detail-ocsp-status').innerText()).trim()
      const usages = (await byTestId(ss, 'cert-detail-key-usages').innerText()).trim()
      await screenshot(ss, 'ss-certificate-details')
      if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error(`SHA-256 "${sha256}"`)
      if (ocsp !== 'OCSP: good') throw new Error(`OCSP "${ocsp}"`)
      await byTestId(ss, 'cert-detail-close').click()
      await byTestId(ss, 'certificate-detail-dialog').waitFor({ state: 'hidden' })
      return `${serverId}, key usage ${usages}, ${ocsp}`
    })

    await step("CS: the owner's security server lists the certificate", async () => {
      await signIn(cs, o.csURL, o.cs)
      await navigate(cs, 'members')
      await byTestId(cs, 'member-row').filter({ hasText: o.ownerCode }).first().locator('a').click()
      await cs.locator(`[data-testid="owned-server-auth-cert"][data-sha256="${sha256}"]`).waitFor()
      await screenshot(cs, 'cs-member-before')
    })

    await step('SS: deleting the key of a registered certificate asks first, and Cancel keeps it', async () => {
      await authKey().locator('[data-testid="key-details"]').click()
      await byTestId(ss, 'key-delete').click()
      await byTestId(ss, 'delete-key-dialog').locator('[data-testid="dialog-submit"]').click()
      await byTestId(ss, 'delete-key-warning').waitFor()
      const warning = (await byTestId(ss, 'delete-key-warning').innerText()).trim()
      await screenshot(ss, 'ss-delete-key-warning')
      await byTestId(ss, 'delete-key-dialog').locator('[data-testid="dialog-cancel"]').click()
      await byTestId(ss, 'key-detail-close').click()
      await byTestId(ss, 'key-detail-dialog').waitFor({ state: 'hidden' })
      if ((await authCert().getAttribute('data-status')) !== 'REGISTERED') throw new Error('the certificate changed')
      return warning
    })

    await step('SS: unregistering sends the deletion request', async () => {
      await authCert().locator('[data-testid="cert-details"]').click()
      await byTestId(ss, 'cert-unregister').click()
      await byTestId(ss, 'unregister-certificate-dialog').locator('[data-testid="dialog-submit"]').click()
      await byTestId(ss, 'unregister-certificate-dialog').waitFor({ state: 'detached' })
      // The dialog reads the certificate again after the mutation; the request id appears when that answer arrives.
      const field = byTestId(ss, 'cert-detail-deletion-request')
      await field.filter({ hasText: /^\s*\d+\s*$/ }).waitFor({ timeout: 10_000 }).catch(() => {})
      const request = (await field.innerText()).trim()
      await screenshot(ss, 'ss-unregistered')
      await byTestId(ss, 'cert-detail-close').click()
      if (!/^\d+$/.test(request)) throw new Error(`deletion request "${request}"`)
      return `request ${request}`
    })

    await step('SS: the certificate leaves "deletion in progress" by itself once the configuration drops it', async () => {
      await ss
        .locator('[data-testid="certificate"][data-usage="AUTHENTICATION"][data-status="SAVED"]')
        .waitFor({ timeout: o.registrationTimeout })
      const hint = (await authCert().locator('[data-testid="cert-hint"]').innerText()).trim()
      await screenshot(ss, 'ss-removed-from-configuration')
      if (!/no longer lists/.test(hint)) throw new Error(`hint: ${hint}`)
      return hint
    })

    await step("CS: the configuration no longer lists it; the deletion request and the member's server show it", async () => {
      // Shared parameters list authentication certificates by the base64 of their SHA-256.
      const shared = await publishedSharedParameters(o.csURL)
      if (shared.includes(Buffer.from(sha256, 'hex').toString('base64'))) {
        throw new Error('the shared parameters still list the certificate')
      }
      await navigate(cs, 'management-requests')
      const row = cs.locator('[data-testid="request-row"]').filter({ hasText: 'Certificate deletion' }).filter({ hasText: serverId }).first()
      await row.waitFor()
      const request = `request ${await row.getAttribute('data-request-id')}, ${(await row.getAttribute('data-status')) ?? ''}`
      await screenshot(cs, 'cs-deletion-request')
      await cs.goBack()
      await cs.reload()
      await byTestId(cs, 'owned-servers').waitFor()
      if ((await cs.locator(`[data-testid="owned-server-auth-cert"][data-sha256="${sha256}"]`).count()) !== 0) {
        throw new Error("the member's server still lists the certificate")
      }
      await screenshot(cs, 'cs-member-after')
      return request
    })

    await step('SS: the key is deleted with its certificate', async () => {
      await authKey().locator('[data-testid="key-details"]').click()
      await byTestId(ss, 'key-delete').click()
      await byTestId(ss, 'delete-key-dialog').locator('[data-testid="dialog-submit"]').click()
      await byTestId(ss, 'key-detail-dialog').waitFor({ state: 'detached' })
      await ss.locator('[data-testid="key-item"][data-usage="AUTHENTICATION"]').waitFor({ state: 'detached' })
      await screenshot(ss, 'ss-key-deleted')
    })
  } catch (error) {
    if (!(error instanceof StopRun)) {
      record('the run completed', false, error instanceof Error ? error.message.split('\n')[0] : String(error))
    }
    for (const [i, ctx] of browser.contexts().entries()) {
      for (const page of ctx.pages()) {
        await page.screenshot({ path: join(screenshotDir, `failure-${i}.png`), fullPage: true }).catch(() => {})
      }
    }
  } finally {
    await browser.close()
    record('no browser console errors, page errors or foreign requests', browserProblems.length === 0, browserProblems.join(' | '))
  }
  return results
}

async function main() {
  const options = optionsFromEnv({ ...process.env, ROADREG_E2E_SCREENSHOTS: process.env.ROADREG_E2E_SCREENSHOTS ?? join(here, 'screenshots', 'lifecycle') })
  if (Array.isArray(options)) {
    console.error(`lifecycle: set ${options.join('; ')}.`)
    process.exit(2)
  }
  const results = await runLifecycle(options)
  const failed = results.filter((r) => !r.ok).length
  console.log(`lifecycle: ${results.length - failed} passed, ${failed} failed`)
  process.exit(failed === 0 ? 0 : 1)
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main()
