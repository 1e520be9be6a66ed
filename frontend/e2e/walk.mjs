// Every page and dialog of both servers, after MEMBER_01 (member01.mjs) has
// registered the security server: each at 1280×800 and 390×844 with
// axe-core (no critical or serious finding), no sideways overflow and a
// screenshot; Tab reaches every control of each page; and failed actions
// show the server's own words and code, checked against the GraphQL
// response for seven error codes (among them a certificate without a key
// usage extension, made with openssl). The certificate lifecycle's dialogs
// (certificate and key details; unregistering and deleting) are opened and
// closed without changing anything. On the security server the walk makes a
// key of its own for the ACME order, generate-CSR and CSR details dialogs,
// and deletes its CSR and the key again from their dialogs. For the order
// dialog the central server's walk makes the first approved CA usable for
// ACME in its Trust services page (the CA's Details, then Edit settings:
// "Can be used for ACME" with a directory URL, after the server's own words
// for a directory URL that is not one; the test CA has no ACME server, so
// the order dialog shows the server's reason it cannot read the CA's ACME
// directory) and, once the order dialog is closed and the security server's
// ACME page has listed the CA (its Add account dialog opened, shown the
// server's words for a MAC key that is not base64url under its field, and
// closed: no account is made), turns it off there again; should the walk
// stop before that, its clean-up clears the CA's ACME settings through the
// central server's API.
//
//   ROADREG_E2E_CS_URL=http://127.0.0.1:8080 ROADREG_E2E_SS_URL=http://127.0.0.1:8081 \
//   ROADREG_E2E_CA_URL=http://127.0.0.1:8899 ROADREG_E2E_DEV_CREDENTIALS=data/dev-credentials.json \
//   node frontend/e2e/walk.mjs
//
// The settings are member01.mjs's (users from dev-credentials.json or
// ROADREG_E2E_CS_USER/_PASSWORD, ROADREG_E2E_SS_USER/_PASSWORD); the
// security server must be registered (member01.mjs has run against it) and
// its user a system administrator. Screenshots go to ROADREG_E2E_SCREENSHOTS
// (default frontend/e2e/screenshots/walk). Exits 0 when every check passed,
// 1 when one failed, 2 on bad usage.
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { chromium } from 'playwright-core'
import { inspect, keyboardReach, pageGraphQL, settle, sizes, watchedPage } from './checks.mjs'
import { optionsFromEnv } from './member01.mjs'
import { chromiumArgs } from './run.mjs'

const here = fileURLToPath(new URL('.', import.meta.url))

/**
 * @typedef {import('./member01.mjs').Member01Options} Options
 * @typedef {import('./member01.mjs').Credentials} Credentials
 * @typedef {{ name: string, ok: boolean, detail?: string }} CheckResult
 * @typedef {import('playwright-core').Page} Page
 */

/**
 * Walks both servers and returns one result per check.
 * @param {Options} o
 * @returns {Promise<CheckResult[]>}
 */
export async function runWalk(o) {
  const log = o.log ?? ((line) => console.log(line))
  /** @type {CheckResult[]} */
  const results = []
  /** @type {string[]} */
  const browserProblems = []
  const dir = o.screenshotDir
  mkdirSync(dir, { recursive: true })
  const work = mkdtempSync(join(tmpdir(), 'roadreg-walk-'))
  const origins = new Set([new URL(o.csURL).origin, new URL(o.ssURL).origin])

  /** @param {string} name @param {boolean} ok @param {string} [detail] */
  const record = (name, ok, detail) => {
    results.push({ name, ok, detail })
    log(`${ok ? 'ok' : 'not ok'} - ${name}${detail ? `: ${detail}` : ''}`)
    return ok
  }
  /** Runs one step; an exception fails it and the walk goes on with the next. @param {string} name @param {() => Promise<void>} fn */
  const step = async (name, fn) => {
    try {
      await fn()
    } catch (error) {
      record(name, false, error instanceof Error ? error.message.split('\n')[0] : String(error))
    }
  }

  const browser = await chromium.launch({ executablePath: o.chromiumPath ?? '/usr/bin/chromium', headless: true, args: chromiumArgs })
  /** @param {string} label */
  const newPage = (label) =>
    watchedPage(browser, {
      label,
      origins,
      problems: browserProblems,
      stepTimeout: o.stepTimeout,
      context: { viewport: { width: sizes[0].width, height: sizes[0].height } },
    })
  /** @param {Page} page @param {string} id */
  const byTestId = (page, id) => page.locator(`[data-testid="${id}"]`)

  /** axe, overflow and screenshots at both sizes. @param {Page} page @param {string} name */
  const look = async (page, name) => {
    const problems = await inspect(page, dir, name)
    record(`${name}: axe finds nothing critical or serious, nothing sticks out (1280×800, 390×844)`, problems.length === 0, problems.join(' | '))
  }
  /** Tab reaches every control of the page. @param {Page} page @param {string} name */
  const tabs = async (page, name) => {
    const missed = await keyboardReach(page)
    record(`${name}: Tab reaches every control`, missed.length === 0, missed.length ? `not reached: ${missed.join(', ')}` : undefined)
  }
  /** Opens a page from the navigation and checks it. @param {Page} page @param {string} route @param {string} ready @param {string} name */
  const visit = async (page, route, ready, name) => {
    await byTestId(page, `nav-${route}`).click()
    await page.waitForURL((url) => url.pathname === (route === 'overview' ? '/' : `/${route}`))
    await byTestId(page, ready).first().waitFor()
    await look(page, name)
    await tabs(page, name)
  }
  /**
   * Opens a dialog, checks it, then closes it with Escape (keyboard).
   * @param {Page} page @param {() => Promise<void>} open @param {string} testid @param {string} name
   * @param {(() => Promise<void>) | undefined} [inside] more to do while it is open
   */
  const dialog = async (page, open, testid, name, inside) => {
    await open()
    await byTestId(page, testid).waitFor()
    try {
      if (inside) await inside()
      await look(page, name)
    } finally {
      await page.keyboard.press('Escape')
      await byTestId(page, testid).waitFor({ state: 'hidden' })
    }
  }
  /**
   * Submits a dialog and checks that it shows the server's own message and
   * code, as the GraphQL response has them.
   * @param {Page} page @param {string} operation the mutation's name @param {() => Promise<void>} submit
   * @param {string} code the code the server must answer @param {string} name
   * @param {string} [field] the input the server names, whose own message must say it too
   * @param {RegExp} [wording] what the server's message must say
   */
  const serverWords = async (page, operation, submit, code, name, field, wording) => {
    const answer = page.waitForResponse(
      (r) => r.url().endsWith('/graphql') && (r.request().postData() ?? '').includes(`mutation ${operation}(`),
    )
    await submit()
    /** @type {{ errors?: { message: string, extensions?: { code?: string, field?: string } }[] }} */
    const body = await (await answer).json()
    const error = body.errors?.[0]
    const alert = byTestId(page, 'dialog-error')
    await alert.waitFor()
    // The dialog may still show an earlier failure for a moment.
    await page
      .waitForFunction((m) => document.querySelector('[data-testid="dialog-error"] [data-testid="error-message"]')?.textContent?.trim() === m,
        error?.message, { timeout: 2_000 })
      .catch(() => {})
    const shown = (await alert.locator('[data-testid="error-message"]').innerText()).trim()
    const shownCode = (await alert.locator('[data-testid="error-code"]').innerText()).trim()
    const problems = []
    if (error?.extensions?.code !== code) problems.push(`the server answered ${error?.extensions?.code ?? 'no error'}, want ${code}`)
    if (shown !== error?.message) problems.push(`the dialog says "${shown}", the server "${error?.message}"`)
    if (shownCode !== `Code: ${code}`) problems.push(`the code reads "${shownCode}"`)
    if (wording && !wording.test(error?.message ?? '')) problems.push(`the server's message does not match ${wording}`)
    if (field && !(await byTestId(page, field).innerText()).includes(error?.message ?? '\u0000')) {
      problems.push(`the field ${field} does not show the message`)
    }
    record(`${name}: the dialog shows the server's words and code ${code}`, problems.length === 0, problems.join('; ') || shown)
  }
  /**
   * A GraphQL request to the central server's API, signed in afresh with the
   * walk's central-server user (not through a page, which may be gone);
   * returns data, throws the first error.
   * @param {string} query @param {Record<string, unknown>} [variables] @returns {Promise<any>}
   */
  const centralAPI = async (query, variables) => {
    const login = await fetch(new URL('/auth/login', o.csURL), {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(o.cs),
    })
    if (!login.ok) throw new Error(`signing in to the central server's API: HTTP ${login.status}`)
    const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ')
    const res = await fetch(new URL('/graphql', o.csURL), {
      method: 'POST', headers: { 'Content-Type': 'application/json', Cookie: cookie }, body: JSON.stringify({ query, variables }),
    })
    /** @type {{ data?: any, errors?: { message: string, extensions?: { code?: string } }[] }} */
    const body = await res.json()
    if (body.errors?.length) throw new Error(`central server: ${body.errors[0].extensions?.code}: ${body.errors[0].message}`)
    return body.data
  }
  /**
   * The first approved CA's ACME settings, shared by both servers' walks:
   * the central server's walk sets them in Edit settings and says so through
   * ready (true: a CA is usable for ACME); the security server's walk says
   * through done when it no longer needs them (after its ACME page); caId is the CA while its ACME
   * settings are the walk's to clear.
   */
  const acme = (() => {
    /** @type {(ok: boolean) => void} */
    let setReady = () => {}
    /** @type {() => void} */
    let setDone = () => {}
    /** @type {Promise<boolean>} */
    const ready = new Promise((resolve) => { setReady = resolve })
    /** @type {Promise<void>} */
    const done = new Promise((resolve) => { setDone = resolve })
    return { ready, done, setReady, setDone, caId: '' }
  })()
  /** Clears the CA's ACME settings through the API if the walk set them and has not cleared them. */
  const clearAcme = async () => {
    if (!acme.caId) return
    const id = acme.caId
    acme.caId = ''
    // An empty directory URL clears every ACME setting.
    await centralAPI('mutation($id: ID!) { updateApprovedCertificationService(id: $id, input: { acmeServerDirectoryUrl: "" }) { id } }', { id })
  }
  /** @param {Page} page @param {string} baseURL @param {Credentials} user @param {string} name @param {RegExp} server */
  const signIn = async (page, baseURL, user, name, server) => {
    await page.goto(new URL('/', baseURL).href)
    await byTestId(page, 'login-server').waitFor()
    const says = (await byTestId(page, 'login-server').innerText()).trim()
    record(`${name}: the login page names the server and its instance before sign-in`, server.test(says), says)
    await look(page, `${name}-login`)
    await page.waitForFunction(() => document.activeElement?.closest('[data-testid="login-username"]') != null)
    await byTestId(page, 'login-username').locator('input').fill(user.username)
    await byTestId(page, 'login-password').locator('input').fill(user.password)
    await byTestId(page, 'login-password').locator('input').press('Enter')
    await byTestId(page, 'shell-username').waitFor()
  }
  /** The navigation drawer and the account menu of a phone. @param {Page} page @param {string} name */
  const phoneShell = async (page, name) => {
    await page.setViewportSize({ width: sizes[1].width, height: sizes[1].height })
    await settle(page)
    await page.getByRole('button', { name: 'Show or hide navigation' }).click()
    await byTestId(page, 'nav-overview').waitFor()
    const nav = await inspect(page, dir, `${name}-navigation`, [sizes[1]])
    record(`${name}: the navigation on a phone`, nav.length === 0, nav.join(' | '))
    await page.keyboard.press('Escape')
    await page.getByRole('button', { name: 'Show or hide navigation' }).click()
    await byTestId(page, 'account-menu').click()
    await byTestId(page, 'menu-sign-out').waitFor()
    const menu = await inspect(page, dir, `${name}-account-menu`, [sizes[1]])
    record(`${name}: the account menu on a phone offers the user, password change and sign-out`, menu.length === 0, menu.join(' | '))
    await page.keyboard.press('Escape')
    await page.setViewportSize({ width: sizes[0].width, height: sizes[0].height })
    await settle(page)
  }

  /** Undoes what the walk made on the security server, if a step could not. */
  let cleanUp = async () => {}

  /** The central server's pages. */
  const walkCentral = async () => {
    const cs = await newPage('CS')
    const firstCA = () => byTestId(cs, 'ca-row').first()
    /** The first approved CA's Edit settings dialog, opened from its Details. */
    const openEditCA = async () => {
      await firstCA().locator('[data-testid="ca-details"]').click()
      await byTestId(cs, 'ca-detail-dialog').waitFor()
      await byTestId(cs, 'ca-edit').click()
      await byTestId(cs, 'ca-detail-dialog').waitFor({ state: 'detached' })
      await byTestId(cs, 'edit-ca-dialog').waitFor()
    }
    const caPEM = join(work, 'test-ca.pem')
    writeFileSync(caPEM, await (await fetch(new URL('/testca/ca.pem', o.caURL))).text())
    await step('CS: sign in', () => signIn(cs, o.csURL, o.cs, 'cs', /^Central server of X-Road instance \S+$/))
    await step('CS: overview', () => visit(cs, 'overview', 'overview-role', 'cs-overview'))
    await step('CS: phone shell', () => phoneShell(cs, 'cs'))
    // Early: the security server's walk waits for an approved CA usable for ACME.
    await step('CS: trust services', async () => {
      try {
        await visit(cs, 'trust-services', 'ca-row', 'cs-trust-services')
        await dialog(cs, () => byTestId(cs, 'add-ca').click(), 'add-ca-dialog', 'cs-add-ca', async () => {
          await byTestId(cs, 'add-ca-file').locator('input[type="file"]').setInputFiles(caPEM)
          await serverWords(cs, 'AddApprovedCA', () => byTestId(cs, 'dialog-submit').click(), 'APPROVED_CA_EXISTS',
            'CS: approving a CA that is approved')
        })
        await dialog(cs, () => byTestId(cs, 'add-tsa').click(), 'add-tsa-dialog', 'cs-add-tsa')
        /** @type {{ id: string, name: string, acmeServerDirectoryUrl: string | null }[]} */
        const cas = (await pageGraphQL(cs, '{ approvedCertificationServices { id name acmeServerDirectoryUrl } }')).approvedCertificationServices
        const ca = cas[0]
        if (!ca) throw new Error('no approved CA')
        // The page lists the CAs in the API's order.
        const shown = (await firstCA().locator('td').first().innerText()).trim()
        if (!shown.startsWith(ca.name)) throw new Error(`the first CA row shows "${shown}", the API lists "${ca.name}" first`)
        const already = cas.some((c) => c.acmeServerDirectoryUrl)
        await dialog(cs, () => firstCA().locator('[data-testid="ca-details"]').click(), 'ca-detail-dialog', 'cs-ca-details', async () => {
          const name = (await byTestId(cs, 'ca-detail-name').innerText()).trim()
          const usable = (await byTestId(cs, 'ca-detail-acme').innerText()).trim()
          const want = ca.acmeServerDirectoryUrl ? /Yes$/ : /No$/
          record('CS: the Details of an approved CA show its certificate and whether it can be used for ACME',
            name.endsWith(ca.name) && want.test(usable) && await byTestId(cs, 'ca-detail-settings').isVisible(), `${name}; ${usable}`)
        })
        await openEditCA()
        let saved = false
        try {
          await byTestId(cs, 'ca-acme').locator('input').check()
          await byTestId(cs, 'ca-acme-url').locator('input').fill('acme.example.org')
          await serverWords(cs, 'UpdateApprovedCA', () => byTestId(cs, 'dialog-submit').click(), 'BAD_USER_INPUT',
            'CS: an ACME directory URL without a scheme in Edit settings', 'ca-acme-url')
          await look(cs, 'cs-edit-ca')
          // A form dialog's title wraps on a phone rather than ending in "…".
          await cs.setViewportSize({ width: sizes[1].width, height: sizes[1].height })
          await settle(cs)
          const title = await byTestId(cs, 'edit-ca-dialog').locator('[data-testid="dialog-title"]').evaluate((e) =>
            ({ text: e.textContent?.trim() ?? '', whole: getComputedStyle(e).whiteSpace !== 'nowrap' && e.scrollWidth <= e.clientWidth }))
          await cs.setViewportSize({ width: sizes[0].width, height: sizes[0].height })
          await settle(cs)
          record('CS: the Edit settings title wraps on a phone instead of being cut', title.whole, title.text)
          if (already) {
            record('CS: a CA is usable for ACME already; the walk leaves the settings as they are', true)
          } else {
            await byTestId(cs, 'ca-acme-url').locator('input').fill(new URL('/testca/acme/directory', o.caURL).href)
            acme.caId = ca.id // from here on the clean-up clears it
            await byTestId(cs, 'dialog-submit').click()
            await byTestId(cs, 'edit-ca-dialog').waitFor({ state: 'detached' })
            saved = true
            await firstCA().locator('[data-testid="ca-acme-chip"]').waitFor()
            record('CS: Edit settings makes the first approved CA usable for ACME and the list marks it', true, ca.name)
          }
        } finally {
          if (!saved) {
            await cs.keyboard.press('Escape')
            await byTestId(cs, 'edit-ca-dialog').waitFor({ state: 'detached' })
          }
        }
        acme.setReady(true)
      } finally {
        acme.setReady(false) // the first answer counts
      }
    })
    await step('CS: management requests', async () => {
      await visit(cs, 'management-requests', 'request-row', 'cs-requests')
      const row = byTestId(cs, 'request-row').first()
      const id = await row.getAttribute('data-request-id')
      await row.locator('td').nth(2).click() // not the link: the row itself opens the request
      await byTestId(cs, 'request-detail-status').waitFor()
      record('CS: a management request row opens the request', (await byTestId(cs, 'request-id').innerText()).trim() === id, `request ${id}`)
      await look(cs, 'cs-request-detail')
      await tabs(cs, 'cs-request-detail')
    })
    await step('CS: members', async () => {
      await visit(cs, 'members', 'member-row', 'cs-members')
      await dialog(cs, () => byTestId(cs, 'add-member').click(), 'add-member-dialog', 'cs-add-member', async () => {
        await byTestId(cs, 'add-member-class').click()
        await cs.getByRole('option', { name: /^GOV/ }).click()
        await byTestId(cs, 'add-member-code').locator('input').fill('1234')
        await byTestId(cs, 'add-member-name').locator('input').fill('Demo Agency again')
        await serverWords(cs, 'AddMember', () => byTestId(cs, 'dialog-submit').click(), 'MEMBER_EXISTS', 'CS: adding a member that exists')
      })
      await byTestId(cs, 'member-row').filter({ hasText: o.ownerCode }).first().locator('a').click()
      await byTestId(cs, 'member-id').waitFor()
      await look(cs, 'cs-member-detail')
      await tabs(cs, 'cs-member-detail')
      await dialog(cs, () => byTestId(cs, 'add-owned-server').click(), 'add-owned-server-dialog', 'cs-add-owned-server')
      await dialog(cs, () => byTestId(cs, 'delete-auth-cert').first().click(), 'delete-auth-cert-dialog', 'cs-delete-auth-cert')
    })
    await step('CS: security servers', async () => {
      await visit(cs, 'security-servers', 'server-row', 'cs-security-servers')
      await byTestId(cs, 'servers-search').locator('input').fill(o.serverCode)
      const row = cs.locator(`[data-testid="server-row"][data-server-id$="/${o.serverCode}"]`)
      await cs.waitForFunction(
        (code) => [...document.querySelectorAll('[data-testid="server-row"]')].every((r) => r.getAttribute('data-server-id')?.endsWith(`/${code}`)),
        o.serverCode,
      )
      await row.first().locator('td').nth(1).click()
      await byTestId(cs, 'server-id').waitFor()
      const certs = await byTestId(cs, 'server-auth-cert').count()
      const requests = await byTestId(cs, 'server-request-row').count()
      record('CS: the security servers list searches and opens a server with its certificates and requests',
        certs >= 1 && requests >= 1, `${(await byTestId(cs, 'server-id').innerText()).trim()}: ${certs} certificates, ${requests} requests`)
      await look(cs, 'cs-security-server')
      await tabs(cs, 'cs-security-server')
    })
    await step('CS: member classes', async () => {
      await visit(cs, 'member-classes', 'member-classes-table', 'cs-member-classes')
      await dialog(cs, () => byTestId(cs, 'add-member-class').click(), 'add-member-class-dialog', 'cs-add-member-class', async () => {
        await byTestId(cs, 'add-member-class-code').locator('input').fill(o.ownerClass)
        await byTestId(cs, 'add-member-class-description').locator('input').fill('Government again')
        await serverWords(cs, 'AddMemberClass', () => byTestId(cs, 'dialog-submit').click(), 'MEMBER_CLASS_EXISTS', 'CS: adding a member class that exists')
      })
    })
    await step('CS: turning ACME off again in Edit settings', async () => {
      await acme.done // the security server's order dialog and ACME page are done
      if (!acme.caId) return // the walk did not set it (see above)
      await byTestId(cs, 'nav-trust-services').click()
      await firstCA().waitFor()
      await openEditCA()
      await byTestId(cs, 'ca-acme').locator('input').uncheck()
      await byTestId(cs, 'ca-acme-url').waitFor({ state: 'detached' })
      await byTestId(cs, 'dialog-submit').click()
      await byTestId(cs, 'edit-ca-dialog').waitFor({ state: 'detached' })
      await firstCA().locator('[data-testid="ca-acme-chip"]').waitFor({ state: 'detached' })
      /** @type {{ id: string, acmeServerDirectoryUrl: string | null, acmeServerIpAddress: string | null }[]} */
      const cas = (await pageGraphQL(cs, '{ approvedCertificationServices { id acmeServerDirectoryUrl acmeServerIpAddress } }')).approvedCertificationServices
      const ca = cas.find((c) => c.id === acme.caId)
      const cleared = !!ca && !ca.acmeServerDirectoryUrl && !ca.acmeServerIpAddress
      if (cleared) acme.caId = ''
      record('CS: turning "Can be used for ACME" off in Edit settings clears the CA\'s ACME settings', cleared,
        ca ? `directory URL ${ca.acmeServerDirectoryUrl ?? 'none'}` : 'the CA is gone')
    })
    await step('CS: global configuration', async () => {
      await visit(cs, 'global-configuration', 'conf-version-row', 'cs-global-configuration')
      await byTestId(cs, 'conf-version-row').first().locator('button').first().click()
      await byTestId(cs, 'conf-part-download').first().waitFor()
      const parts = await byTestId(cs, 'conf-part').count()
      record('CS: the newest configuration version lists its parts with hashes and downloads', parts >= 2 && (await byTestId(cs, 'signing-key').count()) >= 1, `${parts} parts`)
      await look(cs, 'cs-global-configuration-version')
      await dialog(cs, () => byTestId(cs, 'login-signing-token').click(), 'login-signing-token-dialog', 'cs-login-signing-token')
    })
    await step('CS: audit log', () => visit(cs, 'audit-log', 'audit-row', 'cs-audit-log'))
    await step('CS: users and API keys', async () => {
      await visit(cs, 'users', 'user-row', 'cs-users')
      await dialog(cs, () => byTestId(cs, 'add-user').click(), 'add-user-dialog', 'cs-add-user', async () => {
        await byTestId(cs, 'add-user-username').locator('input').fill(o.cs.username)
        await byTestId(cs, 'add-user-password').locator('input').fill('a long enough password')
        await byTestId(cs, 'add-user-roles').click()
        await cs.getByRole('option', { name: 'Security officer' }).click()
        await cs.keyboard.press('Escape') // closes the list of roles, not the dialog
        await serverWords(cs, 'AddUser', () => byTestId(cs, 'dialog-submit').click(), 'USER_EXISTS', 'CS: adding a user who exists')
      })
      await dialog(cs, () => byTestId(cs, 'create-api-key').click(), 'create-api-key-dialog', 'cs-create-api-key')
      const other = byTestId(cs, 'user-row').filter({ hasNot: cs.getByText('you', { exact: true }) }).first()
      await dialog(cs, () => other.locator('[data-testid="user-roles"]').click(), 'user-roles-dialog', 'cs-user-roles')
      await dialog(cs, () => other.locator('[data-testid="user-reset-password"]').click(), 'reset-password-dialog', 'cs-reset-password')
      await dialog(cs, () => byTestId(cs, 'account-menu').click().then(() => byTestId(cs, 'change-password').click()),
        'change-password-dialog', 'cs-change-password')
    })
  }

  /** The security server's pages (registered by member01.mjs). */
  const walkSecurity = async () => {
    const ss = await newPage('SS')
    await step('SS: sign in', () => signIn(ss, o.ssURL, o.ss, 'ss', /^Security server of X-Road instance \S+$/))
    await step('SS: overview', () => visit(ss, 'overview', 'registration-checklist', 'ss-overview'))
    await step('SS: phone shell', () => phoneShell(ss, 'ss'))
    // A key of the walk's own for the CSR and order dialogs (a registered
    // server's keys offer no CSR any more), and an approved CA usable for
    // ACME: the app offers ordering a certificate only then.
    const fresh = { keyId: '' }
    const freshKey = () => ss.locator(`[data-testid="key-item"][data-key-id="${fresh.keyId}"]`)
    // Whatever the walk leaves behind when a step fails (the steps undo it themselves).
    cleanUp = async () => {
      if (fresh.keyId) await pageGraphQL(ss, 'mutation($k: ID!) { deleteKey(keyId: $k, ignoreWarnings: true) }', { k: fresh.keyId })
    }
    await step('SS: a fresh key and an approved CA usable for ACME', async () => {
      /** @type {{ id: string, loggedIn: boolean }[]} */
      const tokens = (await pageGraphQL(ss, '{ tokens { id loggedIn } }')).tokens
      const token = tokens.find((t) => t.loggedIn)
      if (!token) throw new Error('no token is logged in')
      const made = await pageGraphQL(ss, 'mutation($t: ID!) { generateKey(tokenId: $t, label: "walk") { id } }', { t: token.id })
      fresh.keyId = made.generateKey.id
      if (!(await acme.ready)) throw new Error('the central server\'s walk made no approved CA usable for ACME (see above)')
      // The security server hears of the new configuration by itself (a moment).
      for (const deadline = Date.now() + o.stepTimeout; ; await new Promise((r) => setTimeout(r, 100))) {
        const cas = (await pageGraphQL(ss, '{ approvedCertificationAuthorities { acmeCapable } }')).approvedCertificationAuthorities
        if (cas.some((/** @type {{ acmeCapable: boolean }} */ c) => c.acmeCapable)) break
        if (Date.now() > deadline) throw new Error('the security server lists no CA usable for ACME')
      }
    })
    await step('SS: keys and certificates', async () => {
      await visit(ss, 'keys', 'token-card', 'ss-keys')
      await step('SS: the order-certificate (ACME) dialog', async () => {
        const account = ss.waitForResponse(
          (r) => r.url().endsWith('/graphql') && (r.request().postData() ?? '').includes('query AcmeEabStatus('),
        )
        await dialog(ss, () => freshKey().locator('[data-testid="key-orderSignCert"]').click(), 'order-acme-dialog', 'ss-order-acme-certificate',
          async () => {
            await byTestId(ss, 'csr-subject-field').first().waitFor()
            // Whether the CA's ACME server needs an account binding: the test CA has no ACME server, the dialog says what the server said.
            /** @type {{ errors?: { message: string, extensions?: { code?: string } }[] }} */
            const body = await (await account).json()
            const error = body.errors?.[0]
            const says = []
            if (await byTestId(ss, 'order-acme-listener-off').isVisible()) says.push((await byTestId(ss, 'order-acme-listener-off').innerText()).trim())
            let ok = true
            if (error) {
              const alert = byTestId(ss, 'order-acme-account-error')
              await alert.waitFor()
              const shown = (await alert.locator('[data-testid="error-message"]').innerText()).trim()
              const code = (await alert.locator('[data-testid="error-code"]').innerText()).trim()
              ok = shown === error.message && code === `Code: ${error.extensions?.code}`
              says.push(`${shown} (${code})`)
            }
            record("SS: the order-certificate dialog opens for a key and shows the server's words about the CA's ACME server", ok, says.join(' | '))
          })
      })
      // The authentication certificate as the server has it, to import it again.
      /** @type {{ keys: { certificates: { usage: string, pem: string }[] }[] }[]} */
      const tokens = (await pageGraphQL(ss, '{ tokens { keys { certificates { usage pem } } } }')).tokens
      const pem = tokens.flatMap((t) => t.keys).flatMap((k) => k.certificates).find((c) => c.usage === 'AUTHENTICATION')?.pem
      const certPath = join(work, 'auth.pem')
      writeFileSync(certPath, pem ?? '')
      // A valid certificate without a key usage extension (self-signed, made with openssl).
      const noKeyUsagePath = join(work, 'no-key-usage.pem')
      writeFileSync(join(work, 'no-key-usage.cnf'),
        '[req]\ndistinguished_name = dn\nx509_extensions = ext\nprompt = no\n[dn]\nCN = No key usage\n[ext]\nbasicConstraints = CA:FALSE\n')
      execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', join(work, 'no-key-usage.key'),
        '-config', join(work, 'no-key-usage.cnf'), '-days', '1', '-out', noKeyUsagePath], { stdio: 'pipe' })
      await dialog(ss, () => byTestId(ss, 'import-certificate').click(), 'import-certificate-dialog', 'ss-import-certificate', async () => {
        const file = byTestId(ss, 'import-certificate-file').locator('input[type="file"]')
        await file.setInputFiles(noKeyUsagePath)
        await serverWords(ss, 'ImportCertificate', () => byTestId(ss, 'dialog-submit').click(), 'INVALID_CERTIFICATE',
          'SS: importing a certificate without a key usage extension', undefined, /no key usage extension/)
        await file.setInputFiles(certPath)
        await serverWords(ss, 'ImportCertificate', () => byTestId(ss, 'dialog-submit').click(), 'CERT_EXISTS', 'SS: importing a certificate again')
      })
      await dialog(ss, () => byTestId(ss, 'token-details').first().click(), 'token-details-dialog', 'ss-token-details')
      await dialog(ss, async () => {
        await byTestId(ss, 'token-details').first().click()
        await byTestId(ss, 'token-change-pin').click()
      }, 'change-token-pin-dialog', 'ss-change-token-pin', async () => {
        await byTestId(ss, 'token-old-pin').locator('input').fill('not-the-PIN-1')
        await byTestId(ss, 'token-new-pin').locator('input').fill('A-new-PIN-2345')
        await byTestId(ss, 'token-new-pin-again').locator('input').fill('A-new-PIN-2345')
        await serverWords(ss, 'ChangeTokenPin', () => byTestId(ss, 'dialog-submit').click(), 'PIN_INCORRECT',
          'SS: changing the token PIN with a wrong current PIN', 'token-old-pin')
      })
      await dialog(ss, () => byTestId(ss, 'token-add-key').first().click(), 'add-key-dialog', 'ss-add-key')
      await dialog(ss, () => byTestId(ss, 'token-logout').first().click(), 'logout-token-dialog', 'ss-logout-token')
      await dialog(ss, () => ss.locator('[data-testid="certificate"][data-usage="SIGNING"] [data-testid="cert-disable"]').first().click(),
        'disable-certificate-dialog', 'ss-disable-certificate')
    })
    await step('SS: certificate, key and CSR details with their delete and unregister dialogs', async () => {
      /** @param {string} usage */
      const cert = (usage) => ss.locator(`[data-testid="certificate"][data-usage="${usage}"]`).first()
      /** @param {string} usage */
      const key = (usage) => ss.locator(`[data-testid="key-item"][data-usage="${usage}"]`).first()
      // Each confirmation is opened from its details dialog and closed with Escape: nothing changes.
      await dialog(ss, () => cert('AUTHENTICATION').locator('[data-testid="cert-details"]').click(), 'certificate-detail-dialog',
        'ss-auth-certificate-details', async () => {
          await byTestId(ss, 'cert-detail-sha256').waitFor()
          await dialog(ss, () => byTestId(ss, 'cert-unregister').click(), 'unregister-certificate-dialog', 'ss-unregister-certificate')
        })
      await dialog(ss, () => cert('SIGNING').locator('[data-testid="cert-details"]').click(), 'certificate-detail-dialog',
        'ss-signing-certificate-details', async () => {
          await byTestId(ss, 'cert-detail-sha256').waitFor()
          await dialog(ss, () => byTestId(ss, 'cert-delete').click(), 'delete-certificate-dialog', 'ss-delete-certificate')
        })
      await dialog(ss, () => key('AUTHENTICATION').locator('[data-testid="key-details"]').click(), 'key-detail-dialog', 'ss-key-details', async () => {
        await dialog(ss, () => byTestId(ss, 'key-delete').click(), 'delete-key-dialog', 'ss-delete-key', async () => {
          // The server answers with X-Road's warning for a key whose authentication certificate is registered; nothing is deleted yet.
          await byTestId(ss, 'delete-key-dialog').locator('[data-testid="dialog-submit"]').click()
          await byTestId(ss, 'delete-key-warning').waitFor()
        })
      })
    })
    await step('SS: generating a CSR for the fresh key, the CSR details and deleting the CSR and the key', async () => {
      if (!fresh.keyId) throw new Error('no fresh key (see above)')
      const item = freshKey()
      const generate = byTestId(ss, 'generate-csr-dialog')
      await item.locator('[data-testid="key-generateSignCsr"]').click()
      await byTestId(ss, 'csr-subject-field').first().waitFor()
      await look(ss, 'ss-generate-csr')
      await generate.locator('[data-testid="dialog-submit"]').click() // Create CSR
      await byTestId(ss, 'generate-csr-done').waitFor()
      await generate.locator('[data-testid="dialog-submit"]').click() // Close
      await generate.waitFor({ state: 'detached' })
      // The page reads the tokens again: the key lists its new CSR.
      await item.locator('[data-testid="csr-details"]').click()
      await byTestId(ss, 'csr-detail-subject').waitFor()
      await look(ss, 'ss-csr-details')
      await byTestId(ss, 'csr-delete').click()
      await byTestId(ss, 'delete-csr-dialog').locator('[data-testid="dialog-submit"]').click()
      await byTestId(ss, 'csr-detail-dialog').waitFor({ state: 'detached' })
      await item.locator('[data-testid="csr"]').waitFor({ state: 'detached' })
      await item.locator('[data-testid="key-details"]').click()
      await byTestId(ss, 'key-delete').click()
      await byTestId(ss, 'delete-key-dialog').locator('[data-testid="dialog-submit"]').click()
      await byTestId(ss, 'key-detail-dialog').waitFor({ state: 'detached' })
      await item.waitFor({ state: 'detached' })
      fresh.keyId = ''
      record('SS: the fresh key\'s CSR and then the key are deleted from their dialogs', true)
    })
    // The ACME page while the central server's walk keeps a CA usable for ACME.
    await step('SS: ACME', async () => {
      try {
        await visit(ss, 'acme', 'acme-settings-listener', 'ss-acme')
        /** @type {{ acmeSettings: { challengeListenAddress: string | null }, approvedCertificationAuthorities: { name: string, acmeCapable: boolean, acmeServerDirectoryUrl: string | null }[] }} */
        const api = await pageGraphQL(ss, '{ acmeSettings { challengeListenAddress } approvedCertificationAuthorities { name acmeCapable acmeServerDirectoryUrl } }')
        const listener = (await byTestId(ss, 'acme-settings-listener').innerText()).trim()
        const want = api.acmeSettings.challengeListenAddress
        record('SS: the ACME page shows the challenge listener as the server has it',
          want ? listener === want : listener.startsWith('Off') && listener.includes('--acme-challenge-listen'), listener)
        await byTestId(ss, 'acme-ca-row').first().waitFor()
        const rows = await ss.evaluate(() => [...document.querySelectorAll('[data-testid="acme-ca-row"]')].map((r) =>
          `${r.getAttribute('data-ca-name')} ${r.querySelector('[data-testid="acme-ca-directory"]')?.textContent?.trim()}`))
        const cas = api.approvedCertificationAuthorities.filter((c) => c.acmeCapable).map((c) => `${c.name} ${c.acmeServerDirectoryUrl}`)
        record('SS: the ACME page lists the approved CAs usable for ACME with their directory URLs',
          cas.length > 0 && JSON.stringify(rows) === JSON.stringify(cas), rows.join(' | '))
        // Add account: opened, checked and closed. The server refuses a MAC key that is not base64url before it stores anything.
        await dialog(ss, () => byTestId(ss, 'acme-add').click(), 'acme-account-dialog', 'ss-acme-add-account', async () => {
          await byTestId(ss, 'acme-account-eab-kid').locator('input').fill('walk-kid')
          await byTestId(ss, 'acme-account-eab-mac').locator('input').fill('not base64url!')
          if (cas.length === 0) return // no CA to choose: Save stays disabled
          if (cas.length > 1) { // the only one is chosen by itself
            await byTestId(ss, 'acme-account-ca').click()
            await ss.getByRole('option', { name: api.approvedCertificationAuthorities.find((c) => c.acmeCapable)?.name }).click()
          }
          await serverWords(ss, 'SetAcmeAccount', () => byTestId(ss, 'dialog-submit').click(), 'BAD_USER_INPUT',
            'SS: an EAB MAC key that is not base64url in Add account', 'acme-account-eab-mac')
        })
      } finally {
        acme.setDone()
      }
    })
    await step('SS: timestamping services', async () => {
      await visit(ss, 'timestamping', 'tsp-row', 'ss-timestamping')
      await dialog(ss, () => byTestId(ss, 'tsp-delete').first().click(), 'delete-tsp-dialog', 'ss-delete-tsp')
      await dialog(ss, () => byTestId(ss, 'add-tsp').click(), 'add-tsp-dialog', 'ss-add-tsp')
    })
    await step('SS: clients', () => visit(ss, 'clients', 'client-row', 'ss-clients'))
    await step('SS: diagnostics', async () => {
      await byTestId(ss, 'nav-diagnostics').click()
      await byTestId(ss, 'diagnostics-conf-status').waitFor()
      const checks = await ss.evaluate(() =>
        ['diagnostics-tsp-check', 'diagnostics-ocsp-check', 'diagnostics-management-check'].map((id) => {
          const all = [...document.querySelectorAll(`[data-testid="${id}"]`)]
          return { id, total: all.length, reachable: all.filter((c) => c.getAttribute('data-reachable') === 'true').length }
        }),
      )
      const conf = (await byTestId(ss, 'diagnostics-conf-status').innerText()).trim()
      const clock = (await byTestId(ss, 'diagnostics-clock-offset').innerText()).trim()
      record(
        'SS: diagnostics: configuration downloads, the timestamping services, OCSP responders and management service answer, the clock is compared',
        conf === 'OK' && checks.every((c) => c.total >= 1 && c.reachable === c.total) && /agrees|ahead|behind/.test(clock),
        `${conf}; ${checks.map((c) => `${c.id} ${c.reachable}/${c.total}`).join('; ')}; ${clock}`,
      )
      await look(ss, 'ss-diagnostics')
      await tabs(ss, 'ss-diagnostics')
    })
    await step('SS: global configuration', () => visit(ss, 'global-configuration', 'anchor-card', 'ss-global-configuration'))
    await step('SS: audit log', () => visit(ss, 'audit-log', 'audit-row', 'ss-audit-log'))
    await step('SS: users and API keys', () => visit(ss, 'users', 'user-row', 'ss-users'))
  }

  try {
    // Both servers at once: each has its own browser context. Neither waits
    // for the other once it has stopped.
    await Promise.all([
      walkCentral().finally(() => acme.setReady(false)),
      walkSecurity().finally(() => acme.setDone()),
    ])
  } catch (error) {
    record('the walk completed', false, error instanceof Error ? error.message.split('\n')[0] : String(error))
  } finally {
    for (const undo of [clearAcme, cleanUp]) {
      await undo().catch((error) => record('the walk removed what it made', false, error instanceof Error ? error.message : String(error)))
    }
    await browser.close()
    rmSync(work, { recursive: true, force: true })
    record('no browser console errors, page errors or foreign requests', browserProblems.length === 0, browserProblems.join(' | '))
  }
  return results
}

async function main() {
  const options = optionsFromEnv({ ROADREG_E2E_SCREENSHOTS: join(here, 'screenshots', 'walk'), ...process.env })
  if (Array.isArray(options)) {
    console.error(`walk: set ${options.join('; ')}.`)
    process.exit(2)
  }
  const started = Date.now()
  const results = await runWalk(options)
  const failed = results.filter((r) => !r.ok).length
  console.log(`walk: ${results.length - failed} passed, ${failed} failed (${Math.round((Date.now() - started) / 1000)} s)`)
  process.exit(failed === 0 ? 0 : 1)
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main()
