// Ordering a certificate with ACME in the browser, from a real ACME server:
// on the ACME page the security officer stores the CA's external account
// binding for the owner, then orders an authentication certificate for a
// new key in the order dialog; a name the CA refuses shows the ACME
// server's reason in the dialog. server/browser_acme_test.go starts pebble,
// a security server serving the built admin app and this script, and checks
// through the API what the browser did. Settings (environment):
//
//   ROADREG_E2E_SS_URL          the security server
//   ROADREG_E2E_USER, ROADREG_E2E_PASSWORD
//                               a security officer of it
//   ROADREG_E2E_ACME_CA         the approved CA usable for ACME (its name)
//   ROADREG_E2E_ACME_MEMBER     the server owner (INSTANCE/CLASS/CODE)
//   ROADREG_E2E_ACME_EAB_KID, ROADREG_E2E_ACME_EAB_MAC
//                               the external account binding the CA handed out
//   ROADREG_E2E_ACME_NAME       the name to order a certificate for
//   ROADREG_E2E_ACME_REFUSED_NAME
//                               a name the CA refuses to issue for
//   ROADREG_E2E_SCREENSHOTS     screenshot folder (default frontend/e2e/screenshots/acme)
//
// Fails on any browser console error, uncaught page error or request to a
// foreign origin. Exits 0 when every check passed, 1 when one failed, 2 on bad usage.
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { chromium } from 'playwright-core'
import { chromiumArgs } from './run.mjs'
import { checklist, pageGraphQL, StopRun, watchedPage } from './checks.mjs'

const here = fileURLToPath(new URL('.', import.meta.url))

/**
 * @typedef {{ ssURL: string, username: string, password: string, caName: string, member: string,
 *   eabKeyId: string, eabMacKey: string, name: string, refusedName: string, screenshotDir: string,
 *   stepTimeout: number, chromiumPath?: string, log?: (line: string) => void }} AcmeOptions
 */

/**
 * The options from the environment, or the names of the missing settings.
 * @param {NodeJS.ProcessEnv} env
 * @returns {AcmeOptions | { missing: string[] }}
 */
export function optionsFromEnv(env) {
  const names = ['ROADREG_E2E_SS_URL', 'ROADREG_E2E_USER', 'ROADREG_E2E_PASSWORD', 'ROADREG_E2E_ACME_CA', 'ROADREG_E2E_ACME_MEMBER',
    'ROADREG_E2E_ACME_EAB_KID', 'ROADREG_E2E_ACME_EAB_MAC', 'ROADREG_E2E_ACME_NAME', 'ROADREG_E2E_ACME_REFUSED_NAME']
  const missing = names.filter((n) => !env[n])
  if (missing.length) return { missing }
  return {
    ssURL: /** @type {string} */ (env.ROADREG_E2E_SS_URL),
    username: /** @type {string} */ (env.ROADREG_E2E_USER),
    password: /** @type {string} */ (env.ROADREG_E2E_PASSWORD),
    caName: /** @type {string} */ (env.ROADREG_E2E_ACME_CA),
    member: /** @type {string} */ (env.ROADREG_E2E_ACME_MEMBER),
    eabKeyId: /** @type {string} */ (env.ROADREG_E2E_ACME_EAB_KID),
    eabMacKey: /** @type {string} */ (env.ROADREG_E2E_ACME_EAB_MAC),
    name: /** @type {string} */ (env.ROADREG_E2E_ACME_NAME),
    refusedName: /** @type {string} */ (env.ROADREG_E2E_ACME_REFUSED_NAME),
    screenshotDir: env.ROADREG_E2E_SCREENSHOTS ?? join(here, 'screenshots', 'acme'),
    stepTimeout: Number(env.ROADREG_E2E_STEP_TIMEOUT ?? 30000),
    chromiumPath: env.ROADREG_E2E_CHROMIUM,
  }
}

/**
 * Runs the checks and returns one result per check.
 * @param {AcmeOptions} o
 */
export async function runAcme(o) {
  const log = o.log ?? ((line) => console.log(line))
  /** @type {string[]} */
  const browserProblems = []
  mkdirSync(o.screenshotDir, { recursive: true })
  const { results, record, step } = checklist(log)

  const browser = await chromium.launch({ executablePath: o.chromiumPath ?? '/usr/bin/chromium', headless: true, args: chromiumArgs })
  let shot = 0
  /** @param {import('playwright-core').Page} page @param {string} name */
  const screenshot = (page, name) =>
    page.screenshot({ path: join(o.screenshotDir, `${String(++shot).padStart(2, '0')}-${name}.png`), fullPage: true })
  /** @param {import('playwright-core').Page} page @param {string} id */
  const byTestId = (page, id) => page.locator(`[data-testid="${id}"]`)
  /**
   * Opens the order dialog for the key, orders an authentication
   * certificate for the name and returns the GraphQL answer.
   * @param {import('playwright-core').Page} page @param {string} keyId @param {string} name
   * @returns {Promise<{ data?: any, errors?: { message: string, extensions?: { code?: string } }[] }>}
   */
  const order = async (page, keyId, name) => {
    await page.locator(`[data-testid="key-item"][data-key-id="${keyId}"] [data-testid="key-orderAuthCert"]`).click()
    const dialog = byTestId(page, 'order-acme-dialog')
    await dialog.waitFor()
    await byTestId(page, 'csr-ca').click()
    await page.getByRole('option', { name: o.caName }).click()
    const san = page.locator('[data-testid="csr-subject-field"][data-field-id="subjectAltName"] input')
    await san.fill(name)
    // The account is stored: the dialog asks for no binding.
    await byTestId(page, 'order-acme-validation').waitFor()
    if (await byTestId(page, 'order-acme-eab-kid').isVisible()) throw new Error('the order dialog asks for an external account binding the ACME page stored')
    const answer = page.waitForResponse((r) => r.url().endsWith('/graphql') && (r.request().postData() ?? '').includes('orderAcmeCertificate('),
      { timeout: 2 * o.stepTimeout })
    await dialog.locator('[data-testid="dialog-submit"]').click()
    return (await answer).json()
  }

  try {
    const page = await watchedPage(browser, {
      label: 'SS',
      origins: new Set([new URL(o.ssURL).origin]),
      problems: browserProblems,
      stepTimeout: o.stepTimeout,
      context: { viewport: { width: 1366, height: 900 } },
    })

    await step('SS: the ACME page shows the challenge listener and the CA usable for ACME', async () => {
      await page.goto(new URL('/', o.ssURL).href)
      await page.waitForFunction(() => document.activeElement?.closest('[data-testid="login-username"]') != null)
      await byTestId(page, 'login-username').locator('input').fill(o.username)
      await byTestId(page, 'login-password').locator('input').fill(o.password)
      await byTestId(page, 'login-password').locator('input').press('Enter')
      await byTestId(page, 'shell-username').waitFor()
      await byTestId(page, 'nav-acme').click()
      await page.waitForURL((url) => url.pathname.startsWith('/acme'))
      const ca = page.locator(`[data-testid="acme-ca-row"][data-ca-name="${o.caName}"]`)
      await ca.waitFor()
      const settings = (await byTestId(page, 'acme-settings').innerText()).trim()
      /** @type {{ acmeSettings: { challengeListenAddress: string | null } }} */
      const api = await pageGraphQL(page, '{ acmeSettings { challengeListenAddress } }')
      const listener = api.acmeSettings.challengeListenAddress
      if (!listener || !settings.includes(listener)) throw new Error(`the settings say "${settings}", the server listens on ${listener}`)
      await byTestId(page, 'acme-accounts-empty').waitFor()
      await screenshot(page, 'acme-page')
      return `${o.caName}: ${(await ca.locator('[data-testid="acme-ca-directory"]').innerText()).trim()}; listener ${listener}`
    })

    await step("SS: the owner's external account binding is stored on the ACME page, the MAC key shown only as stored", async () => {
      await byTestId(page, 'acme-add').click()
      const dialog = byTestId(page, 'acme-account-dialog')
      await dialog.waitFor()
      // The only ACME CA and the owner are chosen already.
      const chosen = (await dialog.innerText())
      if (!chosen.includes(o.caName) || !chosen.includes(o.member)) throw new Error(`the Add dialog starts with "${chosen.replace(/\s+/g, ' ')}"`)
      await byTestId(page, 'acme-account-eab-kid').locator('input').fill(o.eabKeyId)
      await byTestId(page, 'acme-account-eab-mac').locator('input').fill(o.eabMacKey)
      await byTestId(page, 'acme-account-email').locator('input').fill('officer@roadreg.test')
      await screenshot(page, 'acme-add-account')
      await dialog.locator('[data-testid="dialog-submit"]').click()
      await dialog.waitFor({ state: 'detached' })
      const row = byTestId(page, 'acme-account-row')
      await row.waitFor()
      const text = (await row.innerText()).replace(/\s+/g, ' ')
      const mac = (await row.locator('[data-testid="acme-account-row-mac"]').innerText()).trim()
      if (!text.includes(o.eabKeyId) || !/stored/i.test(mac)) throw new Error(`the account row says "${text}"`)
      if ((await page.content()).includes(o.eabMacKey)) throw new Error('the page shows the MAC key')
      await screenshot(page, 'acme-account-stored')
      return text
    })

    let keyId = ''
    await step("SS: a name the CA refuses: the order dialog shows the ACME server's reason and nothing is stored", async () => {
      /** @type {{ tokens: { id: string, loggedIn: boolean, type: string }[] }} */
      const { tokens } = await pageGraphQL(page, '{ tokens { id loggedIn type } }')
      const token = tokens.find((t) => t.type === 'SOFTWARE' && t.loggedIn)
      if (!token) throw new Error('the software token is not logged in')
      keyId = (await pageGraphQL(page, 'mutation($t: ID!) { generateKey(tokenId: $t, label: "ordered with ACME") { id } }', { t: token.id })).generateKey.id
      await byTestId(page, 'nav-keys').click()
      await page.waitForURL((url) => url.pathname.startsWith('/keys'))
      const body = await order(page, keyId, o.refusedName)
      const error = body.errors?.[0]
      if (!error) throw new Error(`the CA issued a certificate for ${o.refusedName}`)
      const alert = byTestId(page, 'order-acme-dialog').locator('[data-testid="error-message"]')
      await alert.waitFor()
      const shown = (await alert.innerText()).trim()
      if (shown !== error.message || !/^ACME_/.test(error.extensions?.code ?? '')) throw new Error(`the dialog says "${shown}", the server ${error.extensions?.code}: ${error.message}`)
      await screenshot(page, 'acme-order-refused')
      await page.keyboard.press('Escape')
      await byTestId(page, 'order-acme-dialog').waitFor({ state: 'hidden' })
      if (await page.locator(`[data-testid="key-item"][data-key-id="${keyId}"] [data-testid="certificate"]`).count()) throw new Error('a certificate was stored')
      return `${error.extensions?.code}: ${shown}`
    })

    await step('SS: the order dialog orders an authentication certificate: validated over HTTP-01, issued and imported, ready to register', async () => {
      const body = await order(page, keyId, o.name)
      if (body.errors?.length) throw new Error(`${body.errors[0].extensions?.code}: ${body.errors[0].message}`)
      await byTestId(page, 'order-acme-dialog').waitFor({ state: 'hidden' })
      const cert = page.locator(`[data-testid="key-item"][data-key-id="${keyId}"] [data-testid="certificate"][data-usage="AUTHENTICATION"][data-status="SAVED"]`)
      await cert.locator('[data-testid="cert-register"]').waitFor()
      await screenshot(page, 'acme-ordered')
      await cert.locator('[data-testid="cert-details"]').click()
      const renewal = byTestId(page, 'cert-detail-renewal-status')
      await renewal.waitFor()
      if (!(await byTestId(page, 'certificate-detail-dialog').innerText()).includes(o.name)) throw new Error(`the certificate's details do not name ${o.name}`)
      const said = (await renewal.innerText()).trim()
      await page.keyboard.press('Escape')
      await byTestId(page, 'certificate-detail-dialog').waitFor({ state: 'hidden' })
      return `for ${o.name}; automatic renewal: ${said}`
    })
  } catch (error) {
    if (!(error instanceof StopRun)) record('the run', false, error instanceof Error ? error.message.split('\n')[0] : String(error))
  } finally {
    await browser.close()
  }
  record('no browser console errors, page errors or foreign requests', browserProblems.length === 0, browserProblems.slice(0, 5).join(' | '))
  return results
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const o = optionsFromEnv(process.env)
  if ('missing' in o) {
    console.error(`usage: set ${o.missing.join(', ')} (see the top of frontend/e2e/acme.mjs)`)
    process.exit(2)
  }
  const results = await runAcme(o)
  const failed = results.filter((r) => !r.ok).length
  console.log(`${results.length - failed} passed, ${failed} failed`)
  process.exit(failed ? 1 : 0)
}
