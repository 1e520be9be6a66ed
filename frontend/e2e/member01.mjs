// MEMBER_01 in the browser: a central-server officer and a security-server
// officer, each in their own browser context, configure and register a
// security server through the SPA — against a running `roadreg dev` (or any
// central server + security server + test CA).
//
//   ROADREG_E2E_CS_URL=http://127.0.0.1:8080 ROADREG_E2E_SS_URL=http://127.0.0.1:8081 \
//   ROADREG_E2E_CA_URL=http://127.0.0.1:8899 ROADREG_E2E_DEV_CREDENTIALS=data/dev-credentials.json \
//   node frontend/e2e/member01.mjs
//
// Settings (environment):
//   ROADREG_E2E_CS_URL, ROADREG_E2E_SS_URL   the two servers (required)
//   ROADREG_E2E_CA_URL                       the test CA; CSRs are POSTed to <url>/testca/sign (required)
//   ROADREG_E2E_CS_USER, ROADREG_E2E_CS_PASSWORD   central-server user (registration officer
//                                            + security officer for the anchor download)
//   ROADREG_E2E_SS_USER, ROADREG_E2E_SS_PASSWORD   security-server user (system administrator
//                                            for initialisation + security officer)
//   ROADREG_E2E_DEV_CREDENTIALS              dev-credentials.json of `roadreg dev`: users are taken
//                                            from it when the USER/PASSWORD variables are not set
//                                            (the first "central" and the first "security" user)
//   ROADREG_E2E_OWNER_CLASS / _OWNER_CODE    owner member (default GOV / 1234, the dev instance's)
//   ROADREG_E2E_SERVER_CODE                  server code to initialise with (default SS1)
//   ROADREG_E2E_TOKEN_PIN                    software-token PIN to choose (default: random)
//   ROADREG_E2E_SS_ADDRESS                   address to register (default: host of the SS URL)
//   ROADREG_E2E_SCREENSHOTS                  folder (default frontend/e2e/screenshots/member01)
//   ROADREG_E2E_STEP_TIMEOUT_MS              longest wait for one thing to appear (default 30000)
//   ROADREG_E2E_REGISTRATION_TIMEOUT_MS      longest wait for "registered"/"declined" on the SS (default 90000)
//   ROADREG_E2E_SKIP_DECLINE=1               skip the first round (CS declines, SS sees it, registers again)
//   ROADREG_CHROMIUM                         browser (default /usr/bin/chromium)
//
// The only step outside the SPA is the CA signing the CSRs (POST /testca/sign).
// Along the way: one notification at a time (logging out and in again at
// once, and over the whole run), a success notification goes by itself,
// and registering the certificate a second time from another tab shows the
// server's words (the certificate is REGISTRATION_IN_PROGRESS).
// Fails on any browser console error, uncaught page error or request to a
// foreign origin. Exits 0 when every check passed, 1 when one failed, 2 on bad usage.
import { createHash, randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { chromium } from 'playwright-core'
import { inspect, watchedPage, watchPage } from './checks.mjs'
import { chromiumArgs } from './run.mjs'

const here = fileURLToPath(new URL('.', import.meta.url))

/**
 * @typedef {{ username: string, password: string }} Credentials
 * @typedef {{
 *   csURL: string, ssURL: string, caURL: string, cs: Credentials, ss: Credentials,
 *   ownerClass: string, ownerCode: string, serverCode: string, pin: string, address: string,
 *   screenshotDir: string, stepTimeout: number, registrationTimeout: number, declineFirst: boolean,
 *   chromiumPath?: string,
 *   log?: (line: string) => void }} Member01Options
 * @typedef {{ name: string, ok: boolean, detail?: string }} CheckResult
 * @typedef {import('playwright-core').Page} Page
 */

/** Thrown to stop the run after a failed check (the flow is sequential). */
class StopRun extends Error {}

/**
 * Reads the settings from the environment; returns a list of problems
 * instead when required ones are missing.
 * @param {NodeJS.ProcessEnv} env
 * @returns {Member01Options | string[]}
 */
export function optionsFromEnv(env) {
  const problems = []
  const csURL = env.ROADREG_E2E_CS_URL ?? ''
  const ssURL = env.ROADREG_E2E_SS_URL ?? ''
  const caURL = env.ROADREG_E2E_CA_URL ?? ''
  if (!csURL) problems.push('ROADREG_E2E_CS_URL (central server, e.g. http://127.0.0.1:8080)')
  if (!ssURL) problems.push('ROADREG_E2E_SS_URL (security server, e.g. http://127.0.0.1:8081)')
  if (!caURL) problems.push('ROADREG_E2E_CA_URL (test CA, e.g. http://127.0.0.1:8899)')

  /** @type {{ server: string, username: string, password: string }[]} */
  let devUsers = []
  if (env.ROADREG_E2E_DEV_CREDENTIALS) {
    if (existsSync(env.ROADREG_E2E_DEV_CREDENTIALS)) {
      devUsers = JSON.parse(readFileSync(env.ROADREG_E2E_DEV_CREDENTIALS, 'utf8')).users ?? []
    } else {
      problems.push(`ROADREG_E2E_DEV_CREDENTIALS: ${env.ROADREG_E2E_DEV_CREDENTIALS} does not exist`)
    }
  }
  /** @param {'CS' | 'SS'} side @param {string} server @returns {Credentials} */
  const credentials = (side, server) => {
    const fromDev = devUsers.find((u) => u.server === server)
    const username = env[`ROADREG_E2E_${side}_USER`] || fromDev?.username || ''
    const password = env[`ROADREG_E2E_${side}_PASSWORD`] || (fromDev?.username === username ? fromDev.password : '') || ''
    if (!username || !password) {
      problems.push(`ROADREG_E2E_${side}_USER and ROADREG_E2E_${side}_PASSWORD (or ROADREG_E2E_DEV_CREDENTIALS)`)
    }
    return { username, password }
  }
  const cs = credentials('CS', 'central')
  const ss = credentials('SS', 'security')
  if (problems.length) return problems
  return {
    csURL,
    ssURL,
    caURL,
    cs,
    ss,
    ownerClass: env.ROADREG_E2E_OWNER_CLASS || 'GOV',
    ownerCode: env.ROADREG_E2E_OWNER_CODE || '1234',
    serverCode: env.ROADREG_E2E_SERVER_CODE || 'SS1',
    pin: env.ROADREG_E2E_TOKEN_PIN || `Pin-${randomBytes(6).toString('hex')}-9`,
    address: env.ROADREG_E2E_SS_ADDRESS || new URL(ssURL).hostname,
    screenshotDir: env.ROADREG_E2E_SCREENSHOTS || join(here, 'screenshots', 'member01'),
    stepTimeout: Number(env.ROADREG_E2E_STEP_TIMEOUT_MS) || 30_000,
    registrationTimeout: Number(env.ROADREG_E2E_REGISTRATION_TIMEOUT_MS) || 90_000,
    declineFirst: env.ROADREG_E2E_SKIP_DECLINE !== '1',
    chromiumPath: env.ROADREG_CHROMIUM,
  }
}

/**
 * POSTs a CSR to the test CA and returns the PEM certificate.
 * @param {string} caURL @param {'auth' | 'sign'} profile @param {Buffer} csr
 */
async function signCSR(caURL, profile, csr) {
  const response = await fetch(new URL(`/testca/sign?profile=${profile}`, caURL), {
    method: 'POST',
    headers: { 'Content-Type': 'application/octet-stream' },
    body: new Uint8Array(csr),
  })
  const body = await response.text()
  if (!response.ok) throw new Error(`the test CA answered HTTP ${response.status}: ${body.trim()}`)
  return body
}

/** SHA-224 of `bytes` as the SPA shows it: upper-case hex pairs joined by colons. @param {Buffer} bytes */
function groupedSHA224(bytes) {
  return (createHash('sha224').update(bytes).digest('hex').toUpperCase().match(/../g) ?? []).join(':')
}

/** @param {string} pem */
function pemToDer(pem) {
  const base64 = pem.replace(/-----(BEGIN|END) [^-]+-----/g, '').replace(/\s+/g, '')
  return Buffer.from(base64, 'base64')
}

/**
 * Runs MEMBER_01 and returns one result per check.
 * @param {Member01Options} o
 * @returns {Promise<CheckResult[]>}
 */
export async function runMember01(o) {
  const log = o.log ?? ((line) => console.log(line))
  /** @type {CheckResult[]} */
  const results = []
  /** @type {string[]} */
  const browserProblems = []
  const origins = new Set([new URL(o.csURL).origin, new URL(o.ssURL).origin])
  const work = mkdtempSync(join(tmpdir(), 'roadreg-member01-'))
  mkdirSync(o.screenshotDir, { recursive: true })

  /** @param {string} name @param {boolean} ok @param {string} [detail] */
  const record = (name, ok, detail) => {
    results.push({ name, ok, detail })
    log(`${ok ? 'ok' : 'not ok'} - ${name}${detail ? `: ${detail}` : ''}`)
    return ok
  }
  /** A check that must pass for the run to go on. @param {string} name @param {boolean} ok @param {string} [detail] */
  const must = (name, ok, detail) => {
    if (!record(name, ok, detail)) throw new StopRun(name)
  }
  /** Runs a step; an exception fails it and stops the run. @param {string} name @param {() => Promise<string | void>} fn */
  const step = async (name, fn) => {
    try {
      const detail = await fn()
      record(name, true, detail || undefined)
    } catch (error) {
      if (error instanceof StopRun) throw error
      record(name, false, error instanceof Error ? error.message.split('\n')[0] : String(error))
      throw new StopRun(name)
    }
  }

  /** A check whose failure does not stop the run. @param {string} name @param {() => Promise<string | void>} fn */
  const check = async (name, fn) => {
    try {
      record(name, true, (await fn()) || undefined)
    } catch (error) {
      record(name, false, error instanceof Error ? error.message.split('\n')[0] : String(error))
    }
  }

  const browser = await chromium.launch({
    executablePath: o.chromiumPath ?? '/usr/bin/chromium',
    headless: true,
    args: chromiumArgs,
  })
  /** @param {string} label */
  const newPage = (label) =>
    watchedPage(browser, {
      label,
      origins,
      problems: browserProblems,
      stepTimeout: o.stepTimeout,
      context: { viewport: { width: 1366, height: 900 }, acceptDownloads: true },
    })
  let shot = 0
  /** @param {Page} page @param {string} name */
  const screenshot = (page, name) =>
    page.screenshot({ path: join(o.screenshotDir, `${String(++shot).padStart(2, '0')}-${name}.png`), fullPage: true })
  /**
   * Checks the page as shown now at 1280×800 and 390×844 (axe, overflow) and
   * keeps screenshots; a problem fails this check, the flow goes on.
   * @param {Page} page @param {string} name
   */
  const look = async (page, name) => {
    const problems = await inspect(page, o.screenshotDir, `${String(++shot).padStart(2, '0')}-${name}`)
    record(`${name}: axe finds nothing critical or serious, nothing sticks out (1280×800, 390×844)`, problems.length === 0, problems.join(' | '))
  }
  /** @param {Page} page @param {string} id */
  const byTestId = (page, id) => page.locator(`[data-testid="${id}"]`)
  /** @param {Page} page @param {string} routeName */
  const navigate = async (page, routeName) => {
    await byTestId(page, `nav-${routeName}`).click()
    await page.waitForURL((url) => url.pathname.startsWith(`/${routeName}`))
  }
  /** @param {Page} page @param {string} baseURL @param {Credentials} user */
  const signIn = async (page, baseURL, user) => {
    await page.goto(new URL('/', baseURL).href)
    // The form focuses the username field itself; typing before that lands would be moved there.
    await page.waitForFunction(() => document.activeElement?.closest('[data-testid="login-username"]') != null)
    await byTestId(page, 'login-username').locator('input').fill(user.username)
    await byTestId(page, 'login-password').locator('input').fill(user.password)
    await byTestId(page, 'login-password').locator('input').press('Enter')
    await byTestId(page, 'shell-username').waitFor()
  }
  /** Waits for a notification whose text matches, returns its text. @param {Page} page @param {RegExp} pattern @param {number} [timeout] */
  const notification = async (page, pattern, timeout) => {
    const n = byTestId(page, 'notification').filter({ hasText: pattern }).first()
    await n.waitFor({ timeout })
    return (await n.innerText()).replace(/\s+/g, ' ').trim()
  }

  try {
    const cs = await newPage('CS')
    const ss = await newPage('SS')
    // The SS page logs which notifications are shown, whenever that changes
    // (page clock, ms), for the checks of the one-notification rule.
    await ss.addInitScript(() => {
      /** @type {{ at: number, titles: string[] }[]} */
      const log = []
      let last = '[]'
      Object.assign(window, { roadregNotifications: log })
      new MutationObserver(() => {
        const titles = [...document.querySelectorAll('[data-testid="notification"]')].map(
          (n) => n.querySelector('[data-testid="notification-title"]')?.textContent?.trim() ?? '',
        )
        const key = JSON.stringify(titles)
        if (key !== last) {
          last = key
          log.push({ at: performance.now(), titles })
        }
      }).observe(document, { childList: true, subtree: true })
    })
    /** @returns {Promise<{ at: number, titles: string[] }[]>} */
    const notificationLog = () => ss.evaluate(() => /** @type {any} */ (window).roadregNotifications ?? [])
    const anchorPath = join(work, 'configuration-anchor.xml')
    const ownerId = (/** @type {string} */ instance) => `${instance}/${o.ownerClass}/${o.ownerCode}`
    let instance = ''

    // ---- Central server: sign in, download the anchor, look around.
    await step(`CS: ${o.cs.username} signs in`, async () => {
      await signIn(cs, o.csURL, o.cs)
      await byTestId(cs, 'server-role').waitFor()
      instance = (await byTestId(cs, 'instance-identifier').innerText()).replace(/^Instance\s+/, '').trim()
      await screenshot(cs, 'cs-overview')
      return `instance ${instance}`
    })
    await step('CS: the global configuration page shows a healthy configuration', async () => {
      await navigate(cs, 'global-configuration')
      const health = byTestId(cs, 'conf-health')
      await health.waitFor()
      await cs.waitForFunction(() => document.querySelector('[data-testid="conf-version"]')?.textContent?.trim() !== '—')
      await byTestId(cs, 'anchor-hash').waitFor()
      await screenshot(cs, 'cs-global-configuration')
      const text = (await health.innerText()).trim()
      if (text !== 'OK') throw new Error(`the status is "${text}"`)
      return `version ${(await byTestId(cs, 'conf-version').innerText()).trim()}`
    })
    await step('CS: the anchor downloads as a file', async () => {
      const [download] = await Promise.all([cs.waitForEvent('download'), byTestId(cs, 'download-anchor').click()])
      await download.saveAs(anchorPath)
      const xml = readFileSync(anchorPath, 'utf8')
      if (!/configurationAnchor/.test(xml)) throw new Error('the file is not a configuration anchor')
      const want = `configuration_anchor_${instance}_internal.xml`
      if (download.suggestedFilename() !== want) throw new Error(`file name ${download.suggestedFilename()}, want ${want}`)
      return download.suggestedFilename()
    })
    // The hash an administrator publishes: it must be the downloaded file's, as the SS computes it.
    let csAnchorHash = ''
    await step("CS: the anchor card shows the downloaded file's SHA-224 and instance", async () => {
      const want = groupedSHA224(readFileSync(anchorPath))
      await cs
        .waitForFunction((w) => document.querySelector('[data-testid="anchor-hash"]')?.textContent?.trim() === w, want)
        .catch(() => {})
      csAnchorHash = (await byTestId(cs, 'anchor-hash').innerText()).trim()
      if (csAnchorHash !== want) throw new Error(`the page shows ${csAnchorHash}, the file's SHA-224 is ${want}`)
      const shown = (await byTestId(cs, 'anchor-instance').innerText()).trim()
      if (shown !== instance) throw new Error(`instance ${shown}, want ${instance}`)
      return csAnchorHash
    })
    await step('CS: members, member classes and trust services pages show the dev data', async () => {
      await navigate(cs, 'members')
      await byTestId(cs, 'member-row').first().waitFor()
      await screenshot(cs, 'cs-members')
      await byTestId(cs, 'member-row').filter({ hasText: o.ownerCode }).first().locator('a').click()
      await byTestId(cs, 'member-id').waitFor()
      const id = (await byTestId(cs, 'member-id').innerText()).trim()
      if (id !== ownerId(instance)) throw new Error(`member detail shows ${id}`)
      await screenshot(cs, 'cs-member-detail')
      await navigate(cs, 'member-classes')
      await byTestId(cs, 'member-classes-table').waitFor()
      await screenshot(cs, 'cs-member-classes')
      await navigate(cs, 'trust-services')
      await byTestId(cs, 'ca-row').first().waitFor()
      await byTestId(cs, 'tsa-row').first().waitFor()
      await screenshot(cs, 'cs-trust-services')
    })
    await step('CS: the management requests page is open (it must update by itself)', async () => {
      await navigate(cs, 'management-requests')
      await cs.locator('[data-testid="requests-table"], [data-testid="requests-empty"]').first().waitFor()
      await screenshot(cs, 'cs-management-requests-before')
    })

    // ---- Security server: first run.
    await step(`SS: ${o.ss.username} signs in and sees the initialisation wizard`, async () => {
      await signIn(ss, o.ssURL, o.ss)
      await byTestId(ss, 'ss-init-wizard').waitFor()
      await look(ss, 'ss-init-anchor')
    })
    await step('SS: uploading the anchor file shows its hash (the one the CS page shows) and instance', async () => {
      await byTestId(ss, 'ss-init-anchor-file').locator('input[type="file"]').setInputFiles(anchorPath)
      await byTestId(ss, 'ss-init-anchor-hash').waitFor()
      const hash = (await byTestId(ss, 'ss-init-anchor-hash').innerText()).trim()
      const shown = (await byTestId(ss, 'ss-init-anchor-instance').innerText()).trim()
      if (!/^[0-9A-F]{2}(:[0-9A-F]{2}){27}$/.test(hash)) throw new Error(`hash "${hash}" is not a grouped SHA-224`)
      if (hash !== csAnchorHash) throw new Error(`the SS shows ${hash}, the CS page ${csAnchorHash}`)
      if (shown !== instance) throw new Error(`instance ${shown}, the CS says ${instance}`)
      await look(ss, 'ss-init-anchor-uploaded')
      await byTestId(ss, 'ss-init-anchor-confirm').locator('input').check()
      await byTestId(ss, 'ss-init-anchor-next').click()
      return hash
    })
    await step('SS: the owner member is looked up by class and code', async () => {
      await byTestId(ss, 'ss-init-member-class').locator('input').fill(o.ownerClass)
      await byTestId(ss, 'ss-init-member-code').locator('input').fill(o.ownerCode)
      const typed = [
        await byTestId(ss, 'ss-init-member-class').locator('input').inputValue(),
        await byTestId(ss, 'ss-init-member-code').locator('input').inputValue(),
      ]
      if (typed[0] !== o.ownerClass || typed[1] !== o.ownerCode) {
        throw new Error(`the owner fields hold "${typed[0]}" and "${typed[1]}" (the focus moved while typing?)`)
      }
      const outcome = await Promise.race(
        ['ss-init-owner-name', 'ss-init-owner-unknown', 'ss-init-owner-lookup-failed'].map((id) =>
          byTestId(ss, id).waitFor().then(() => id),
        ),
      )
      const text = (await byTestId(ss, outcome).innerText()).trim()
      if (outcome !== 'ss-init-owner-name') throw new Error(`the wizard says: ${text}`)
      const name = text
      await look(ss, 'ss-init-owner')
      await byTestId(ss, 'ss-init-owner-next').click()
      return name
    })
    await step('SS: server code and PIN initialise the server', async () => {
      await byTestId(ss, 'ss-init-server-code').locator('input').fill(o.serverCode)
      await byTestId(ss, 'ss-init-server-code').locator('input').press('Enter')
      await byTestId(ss, 'ss-init-pin').locator('input').fill(o.pin)
      await byTestId(ss, 'ss-init-pin-again').locator('input').fill(o.pin)
      await look(ss, 'ss-init-pin')
      await byTestId(ss, 'ss-init-submit').click()
      const wizardGone = () => byTestId(ss, 'ss-init-wizard').waitFor({ state: 'detached' })
      const outcome = await Promise.race([
        wizardGone().then(() => 'done'),
        byTestId(ss, 'ss-init-warnings').waitFor().then(() => 'warnings'),
        byTestId(ss, 'ss-init-error').waitFor().then(() => 'error'),
      ])
      if (outcome === 'error') throw new Error((await byTestId(ss, 'ss-init-error').innerText()).trim())
      let detail = ''
      if (outcome === 'warnings') {
        detail = `warnings accepted: ${(await byTestId(ss, 'ss-init-warning').allInnerTexts()).join(' | ')}`
        await look(ss, 'ss-init-warnings')
        await byTestId(ss, 'ss-init-continue-anyway').click()
        await wizardGone()
      }
      const want = `${ownerId(instance)}/${o.serverCode}`
      await ss.waitForFunction(
        (id) => document.querySelector('[data-testid="overview-server-id"]')?.textContent?.trim() === id,
        want,
      ).catch(() => {})
      const id = (await byTestId(ss, 'overview-server-id').innerText()).trim()
      if (id !== want) throw new Error(`the overview shows ${id}, want ${want}`)
      await byTestId(ss, 'conf-status').waitFor()
      await screenshot(ss, 'ss-overview')
      return [id, detail].filter(Boolean).join('; ')
    })

    // ---- Timestamping.
    await step('SS: a timestamping service is added from the approved list and answers', async () => {
      await navigate(ss, 'timestamping')
      await byTestId(ss, 'add-tsp').click()
      await byTestId(ss, 'add-tsp-choice').first().locator('input').check()
      await look(ss, 'ss-add-tsp-dialog')
      await byTestId(ss, 'dialog-submit').click()
      await byTestId(ss, 'tsp-row').first().waitFor()
      const chip = byTestId(ss, 'tsp-reachability-chip').first()
      await chip.waitFor()
      const text = (await chip.innerText()).trim()
      await screenshot(ss, 'ss-timestamping')
      if (text !== 'Reachable') throw new Error(`reachability: ${text}`)
      return (await byTestId(ss, 'tsp-row').first().innerText()).replace(/\s+/g, ' ').trim()
    })

    // ---- Token, keys, CSRs.
    const token = () => byTestId(ss, 'token-card').first()
    await step('SS: log out of and in to the software token', async () => {
      await navigate(ss, 'keys')
      await token().waitFor()
      if (await byTestId(ss, 'token-logout').isVisible()) {
        await byTestId(ss, 'token-logout').click()
        await byTestId(ss, 'logout-token-dialog').waitFor()
        await byTestId(ss, 'dialog-submit').click()
        await byTestId(ss, 'token-login').waitFor()
      }
      await byTestId(ss, 'token-login').click()
      await byTestId(ss, 'token-pin').locator('input').fill(o.pin)
      await look(ss, 'ss-login-token-dialog')
      await byTestId(ss, 'token-pin').locator('input').press('Enter')
      await byTestId(ss, 'token-add-key').waitFor()
      await screenshot(ss, 'ss-token-logged-in')
    })
    // Two actions in quick succession, each with its notification: the second replaces the first.
    let loggedInShownAt = 0
    await check('SS: logging out and in again at once shows one notification at a time, the last one', async () => {
      await byTestId(ss, 'token-logout').click()
      await byTestId(ss, 'logout-token-dialog').locator('[data-testid="dialog-submit"]').click()
      await byTestId(ss, 'notification').filter({ hasText: /Logged out of/ }).waitFor()
      await byTestId(ss, 'token-login').click()
      await byTestId(ss, 'token-pin').locator('input').fill(o.pin)
      await byTestId(ss, 'token-pin').locator('input').press('Enter')
      await byTestId(ss, 'notification').filter({ hasText: /Logged in to/ }).waitFor()
      await byTestId(ss, 'token-add-key').waitFor()
      const shown = await byTestId(ss, 'notification').allInnerTexts()
      const log = await notificationLog()
      const out = log.findLastIndex((e) => e.titles.some((t) => t.startsWith('Logged out of')))
      const next = log[out + 1]
      loggedInShownAt = next?.at ?? 0
      if (shown.length !== 1) throw new Error(`${shown.length} notifications are shown: ${shown.join(' | ')}`)
      if (out < 0 || !next || next.titles.length !== 1 || !next.titles[0]?.startsWith('Logged in to')) {
        throw new Error(`"Logged in" did not replace "Logged out": ${JSON.stringify(log.slice(out))}`)
      }
      return `${next.titles[0]}, ${Math.round(next.at - log[out].at)} ms after "Logged out"`
    })

    /**
     * Adds a key with its CSR through the wizard and downloads the CSR.
     * @param {'SIGNING' | 'AUTHENTICATION'} usage @param {'PEM' | 'DER'} format @param {string} label
     */
    const addKey = async (usage, format, label) => {
      await byTestId(ss, 'token-add-key').click()
      await byTestId(ss, 'add-key-label').locator('input').fill(label)
      await byTestId(ss, `add-key-usage-${usage}`).locator('input').check()
      await byTestId(ss, 'add-key-next').click()
      await byTestId(ss, 'csr-subject-field').first().waitFor()
      await byTestId(ss, `csr-format-${format.toLowerCase()}`).locator('input').check()
      await look(ss, `ss-add-key-${usage.toLowerCase()}`)
      await byTestId(ss, 'add-key-create').click()
      const outcome = await Promise.race([
        byTestId(ss, 'add-key-done').waitFor().then(() => 'done'),
        byTestId(ss, 'dialog-error').waitFor().then(() => 'error'),
      ])
      if (outcome === 'error') throw new Error((await byTestId(ss, 'dialog-error').innerText()).trim())
      if (usage === 'SIGNING') await look(ss, 'ss-add-key-download')
      const [download] = await Promise.all([
        ss.waitForEvent('download'),
        byTestId(ss, `add-key-download-${format.toLowerCase()}`).click(),
      ])
      const path = join(work, download.suggestedFilename())
      await download.saveAs(path)
      await byTestId(ss, 'add-key-close').click()
      await byTestId(ss, 'add-key-dialog').waitFor({ state: 'detached' })
      return { name: download.suggestedFilename(), bytes: readFileSync(path) }
    }

    /** @type {{ name: string, bytes: Buffer }} */
    let signCsr = { name: '', bytes: Buffer.alloc(0) }
    /** @type {{ name: string, bytes: Buffer }} */
    let authCsr = { name: '', bytes: Buffer.alloc(0) }
    await step('SS: a signing key and its CSR are created and the CSR downloads as PEM', async () => {
      signCsr = await addKey('SIGNING', 'PEM', 'sign')
      const want = new RegExp(`^sign_csr_\\d{8}_member_${instance}_${o.ownerClass}_${o.ownerCode}\\.pem$`)
      if (!want.test(signCsr.name)) throw new Error(`file name ${signCsr.name} does not match ${want}`)
      if (!signCsr.bytes.toString('utf8').startsWith('-----BEGIN CERTIFICATE REQUEST-----')) {
        throw new Error('the file is not a PEM CSR')
      }
      return signCsr.name
    })
    await step('SS: an authentication key and its CSR are created and the CSR downloads as DER', async () => {
      authCsr = await addKey('AUTHENTICATION', 'DER', 'auth')
      const want = new RegExp(
        `^auth_csr_\\d{8}_securityserver_${instance}_${o.ownerClass}_${o.ownerCode}_${o.serverCode}\\.der$`,
      )
      if (!want.test(authCsr.name)) throw new Error(`file name ${authCsr.name} does not match ${want}`)
      if (authCsr.bytes[0] !== 0x30) throw new Error('the file is not DER (no ASN.1 SEQUENCE)')
      await screenshot(ss, 'ss-keys-with-csrs')
      return authCsr.name
    })

    // Meanwhile (adding the keys took a while) the success notification went by itself.
    await check('SS: the success notification dismisses itself after a few seconds, and nothing took its place', async () => {
      if (!loggedInShownAt) throw new Error('no "Logged in" notification was seen (see above)')
      await byTestId(ss, 'notification').filter({ hasText: /Logged in to/ }).waitFor({ state: 'detached', timeout: 15_000 })
      const log = await notificationLog()
      const shown = log.findIndex((e) => e.at === loggedInShownAt)
      const after = log[shown + 1]
      if (!after || after.titles.length !== 0) throw new Error(`after "Logged in" came ${JSON.stringify(after?.titles)}`)
      const seconds = (after.at - loggedInShownAt) / 1000
      if (seconds < 4) throw new Error(`it went after ${seconds.toFixed(1)} s, not by itself`)
      return `after ${seconds.toFixed(1)} s`
    })

    // ---- The CA (outside the SPA).
    const signCertPath = join(work, 'sign-cert.pem')
    const authCertPath = join(work, 'auth-cert.der')
    await step('CA: the test CA signs both CSRs', async () => {
      writeFileSync(signCertPath, await signCSR(o.caURL, 'sign', signCsr.bytes))
      writeFileSync(authCertPath, pemToDer(await signCSR(o.caURL, 'auth', authCsr.bytes)))
    })

    // ---- Import, register.
    /** @param {string} path */
    const importCertificate = async (path) => {
      await byTestId(ss, 'import-certificate').click()
      await byTestId(ss, 'import-certificate-file').locator('input[type="file"]').setInputFiles(path)
      if (path === signCertPath) await look(ss, 'ss-import-certificate-dialog')
      await byTestId(ss, 'dialog-submit').click()
      const outcome = await Promise.race([
        byTestId(ss, 'import-certificate-dialog').waitFor({ state: 'detached' }).then(() => 'done'),
        byTestId(ss, 'dialog-error').waitFor().then(() => 'error'),
      ])
      if (outcome === 'error') throw new Error((await byTestId(ss, 'dialog-error').innerText()).trim())
    }
    const cert = (/** @type {string} */ usage) => ss.locator(`[data-testid="certificate"][data-usage="${usage}"]`).first()
    await step('SS: the signing certificate (PEM file) imports as registered and active with good OCSP', async () => {
      await importCertificate(signCertPath)
      await cert('SIGNING').waitFor()
      await ss.locator('[data-testid="certificate"][data-usage="SIGNING"][data-active="true"]').waitFor()
      const ocsp = (await cert('SIGNING').locator('[data-testid="cert-ocsp"]').innerText()).trim()
      if (ocsp !== 'OCSP: good') throw new Error(`OCSP chip says "${ocsp}"`)
      return ocsp
    })
    await step('SS: the authentication certificate (DER file) imports as saved with the "register" hint', async () => {
      await importCertificate(authCertPath)
      await ss.locator('[data-testid="certificate"][data-usage="AUTHENTICATION"][data-status="SAVED"]').waitFor()
      const hint = (await cert('AUTHENTICATION').locator('[data-testid="cert-hint"]').innerText()).trim()
      await screenshot(ss, 'ss-certificates-imported')
      if (!/register/i.test(hint)) throw new Error(`hint: ${hint}`)
      return hint
    })
    let registerLooked = false
    /** @param {() => Promise<void>} [beforeSending] what to do with the dialog filled in, before it is sent */
    const registerAuthCertificate = async (beforeSending) => {
      await cert('AUTHENTICATION').locator('[data-testid="cert-register"]').click()
      const address = byTestId(ss, 'register-address').locator('input')
      await address.fill(o.address)
      if (!registerLooked) {
        registerLooked = true
        // An address only this machine can use gets a warning (roadreg dev runs on loopback).
        const loopback = /^(127\.|localhost$|::1$|\[::1\]$)/.test(o.address)
        const warned = await byTestId(ss, 'register-address-warning').isVisible()
        record(`SS: the Register dialog ${loopback ? 'warns about' : 'accepts'} the address ${o.address}`, warned === loopback,
          warned ? (await byTestId(ss, 'register-address-warning').innerText()).trim() : undefined)
        await look(ss, 'ss-register-dialog')
      }
      if (beforeSending) await beforeSending()
      await address.press('Enter')
      const outcome = await Promise.race([
        byTestId(ss, 'register-certificate-dialog').waitFor({ state: 'detached' }).then(() => 'done'),
        byTestId(ss, 'dialog-error').waitFor().then(() => 'error'),
      ])
      if (outcome === 'error') throw new Error((await byTestId(ss, 'dialog-error').innerText()).trim())
      await ss.locator('[data-testid="certificate"][data-usage="AUTHENTICATION"][data-status="REGISTRATION_IN_PROGRESS"]').waitFor()
      return (await cert('AUTHENTICATION').locator('[data-testid="cert-hint"]').innerText()).trim()
    }
    // A second tab of the same session opens the Register dialog while the certificate is still saved
    // (just before the first tab sends the registration) ...
    /** @type {Page | undefined} */
    let otherTab
    await step('SS: registering with an address sends the request (registration in progress)', async () => {
      const hint = await registerAuthCertificate(() =>
        check('SS: a second tab opens the Register dialog as well', async () => {
          otherTab = watchPage(await ss.context().newPage(), { label: 'SS tab 2', origins, problems: browserProblems, stepTimeout: o.stepTimeout })
          const otherAddress = otherTab.locator('[data-testid="register-address"] input')
          await otherTab.goto(new URL('/keys', o.ssURL).href)
          await otherTab.locator('[data-testid="certificate"][data-usage="AUTHENTICATION"] [data-testid="cert-register"]').click()
          await otherAddress.fill(o.address)
        }),
      )
      return hint
    })
    // ... and registers it a second time: the server's own words say why not.
    await check("SS: registering again from the second tab shows the server's words: the certificate is REGISTRATION_IN_PROGRESS", async () => {
      if (!otherTab) throw new Error('there is no second tab (see above)')
      const tab = otherTab
      /** @type {{ message: string, extensions?: { code?: string } } | undefined} */
      let error
      let shown = ''
      let code = ''
      try {
        const answer = tab.waitForResponse(
          (r) => r.url().endsWith('/graphql') && (r.request().postData() ?? '').includes('mutation RegisterAuthCertificate('),
        )
        await tab.locator('[data-testid="register-address"] input').press('Enter')
        /** @type {{ errors?: { message: string, extensions?: { code?: string } }[] }} */
        const body = await (await answer).json()
        error = body.errors?.[0]
        const alert = tab.locator('[data-testid="dialog-error"]')
        await alert.waitFor()
        shown = (await alert.locator('[data-testid="error-message"]').innerText()).trim()
        code = (await alert.locator('[data-testid="error-code"]').innerText()).trim()
        await screenshot(tab, 'ss-registered-twice')
      } finally {
        await tab.close()
      }
      if (!error) throw new Error('the server accepted the second registration')
      if (shown !== error.message) throw new Error(`the dialog says "${shown}", the server "${error.message}"`)
      if (code !== `Code: ${error.extensions?.code}`) throw new Error(`the code reads "${code}", the server's is ${error.extensions?.code}`)
      if (!/REGISTRATION_IN_PROGRESS/.test(shown)) throw new Error(`the message does not name REGISTRATION_IN_PROGRESS: ${shown}`)
      return `${shown} (${code})`
    })
    // Screenshots of this tab once the other is closed: a second tab of the context slows them down.
    await screenshot(ss, 'ss-registration-in-progress')
    // From here on the SS page must not reload: it has to learn of the CS's decisions by itself.
    await ss.evaluate(() => Object.assign(window, { roadregNoReload: true }))
    const notReloaded = async () => {
      if (!(await ss.evaluate(() => 'roadregNoReload' in window))) throw new Error('the SS page was reloaded')
    }

    // ---- Central server: the request arrived live.
    const serverId = `${ownerId(instance)}/${o.serverCode}`
    const requestRow = cs.locator('[data-testid="request-row"][data-status="WAITING"]').filter({ hasText: serverId }).first()
    await step('CS: the waiting request appears on the open requests page without a reload, with a badge', async () => {
      await requestRow.waitFor()
      const badge = (await byTestId(cs, 'waiting-requests-badge').innerText()).trim()
      if (!(Number(badge) >= 1)) throw new Error(`badge shows "${badge}"`)
      await screenshot(cs, 'cs-management-requests-waiting')
      return `badge ${badge}`
    })
    await step('CS: the row actions fit in the table (1366 px window) and have accessible names', async () => {
      const table = await byTestId(cs, 'requests-table').boundingBox()
      if (!table) throw new Error('the requests table is not visible')
      const names = []
      for (const id of ['row-approve', 'row-decline']) {
        const button = requestRow.locator(`[data-testid="${id}"]`)
        const box = await button.boundingBox()
        if (!box) throw new Error(`${id} is not visible`)
        if (box.x < table.x || box.x + box.width > table.x + table.width) {
          throw new Error(`${id} spans x ${Math.round(box.x)}–${Math.round(box.x + box.width)}, the table ${Math.round(table.x)}–${Math.round(table.x + table.width)}`)
        }
        const name = await button.getAttribute('aria-label')
        if (!name) throw new Error(`${id} has no accessible name`)
        names.push(name)
      }
      return names.join('; ')
    })

    if (o.declineFirst) {
      const comment = 'Please use the address registered in the contract'
      await step('CS: declining the request with a comment (keyboard, after confirmation)', async () => {
        const id = await requestRow.getAttribute('data-request-id')
        await requestRow.locator('[data-testid="row-decline"]').focus()
        await cs.keyboard.press('Enter')
        await byTestId(cs, 'decline-comment').locator('textarea').fill(comment)
        await look(cs, 'cs-decline-dialog')
        await byTestId(cs, 'dialog-submit').click()
        await cs.locator(`[data-testid="request-row"][data-request-id="${id}"][data-status="DECLINED"]`).waitFor()
        return `request ${id}`
      })
      await step('SS: the decline shows up live, with the comment and the way out', async () => {
        await ss
          .locator('[data-testid="certificate"][data-usage="AUTHENTICATION"][data-status="SAVED"]')
          .waitFor({ timeout: o.registrationTimeout })
        await notReloaded()
        const text = await notification(ss, /declined/i)
        if (!text.includes(comment)) throw new Error(`notification without the comment: ${text}`)
        const hint = (await cert('AUTHENTICATION').locator('[data-testid="cert-hint"]').innerText()).trim()
        if (!hint.includes(comment)) throw new Error(`hint without the comment: ${hint}`)
        await look(ss, 'ss-declined')
        return text
      })
      await step('SS: registering again after the decline', async () => {
        return registerAuthCertificate()
      })
      await step('CS: the new request appears live', async () => {
        await requestRow.waitFor()
        return (await requestRow.getAttribute('data-request-id')) ?? ''
      })
    }

    await step('CS: the request detail shows the certificate, and approving after confirmation works', async () => {
      await requestRow.locator('[data-testid="request-link"]').click()
      await byTestId(cs, 'cert-subject').waitFor()
      const address = (await byTestId(cs, 'request-address').innerText()).trim()
      if (address !== o.address) throw new Error(`address ${address}, want ${o.address}`)
      await screenshot(cs, 'cs-request-detail')
      await byTestId(cs, 'approve-request').click()
      await byTestId(cs, 'approve-request-dialog').waitFor()
      await look(cs, 'cs-approve-dialog')
      await byTestId(cs, 'dialog-submit').click()
      await cs.waitForFunction(
        () => document.querySelector('[data-testid="request-detail-status"]')?.textContent?.trim() === 'Approved',
      )
      await screenshot(cs, 'cs-request-approved')
      return (await byTestId(cs, 'request-id').innerText()).trim()
    })

    // ---- Security server: registered, live.
    await step('SS: the page turns to "registered" without a reload and says to activate', async () => {
      await ss
        .locator('[data-testid="certificate"][data-usage="AUTHENTICATION"][data-status="REGISTERED"]')
        .waitFor({ timeout: o.registrationTimeout })
      await notReloaded()
      const text = await notification(ss, /activate/i)
      await look(ss, 'ss-registered')
      return text
    })
    await step('SS: activating the authentication certificate makes it active with good OCSP', async () => {
      await cert('AUTHENTICATION').locator('[data-testid="cert-activate"]').click()
      await ss.locator('[data-testid="certificate"][data-usage="AUTHENTICATION"][data-active="true"]').waitFor()
      await ss.waitForFunction(() => {
        const el = document.querySelector('[data-testid="certificate"][data-usage="AUTHENTICATION"] [data-testid="cert-ocsp"]')
        return el?.textContent?.trim() === 'OCSP: good'
      })
      await screenshot(ss, 'ss-activated')
    })
    await step('SS: the owner is a registered client', async () => {
      await navigate(ss, 'clients')
      const owner = ss.locator('[data-testid="client-row"][data-owner="true"]')
      await owner.waitFor()
      await ss.waitForFunction(
        () =>
          document.querySelector('[data-testid="client-row"][data-owner="true"] [data-testid="client-status"]')
            ?.textContent?.trim() === 'Registered',
      )
      await screenshot(ss, 'ss-clients')
    })
    await step('SS: the overview checklist shows every step done', async () => {
      await byTestId(ss, 'nav-overview').click()
      await ss.waitForURL((url) => url.pathname === '/')
      await byTestId(ss, 'registration-checklist').waitFor()
      await ss.waitForFunction(() => {
        const items = [...document.querySelectorAll('[data-testid="checklist-item"]')]
        return items.length === 7 && items.every((i) => i.getAttribute('data-state') === 'done')
      })
      await screenshot(ss, 'ss-overview-done')
    })
    await step('both: the audit logs list the steps', async () => {
      await navigate(ss, 'audit-log')
      await byTestId(ss, 'audit-row').first().waitFor()
      await screenshot(ss, 'ss-audit-log')
      await navigate(cs, 'audit-log')
      await byTestId(cs, 'audit-row').first().waitFor()
      await screenshot(cs, 'cs-audit-log')
      const ssEvents = await byTestId(ss, 'audit-row').count()
      const csEvents = await byTestId(cs, 'audit-row').count()
      return `${ssEvents} SS rows, ${csEvents} CS rows on the first page`
    })
    await step('both: the global configuration pages', async () => {
      await navigate(ss, 'global-configuration')
      await byTestId(ss, 'anchor-hash').waitFor()
      await screenshot(ss, 'ss-global-configuration')
      await byTestId(ss, 'conf-status').waitFor()
      const health = await byTestId(ss, 'conf-status').getAttribute('data-health')
      if (health !== 'ok') throw new Error(`SS configuration health: ${health}`)
    })
    await check('SS: never more than one notification at a time (since the page last loaded)', async () => {
      const log = await notificationLog()
      const many = log.filter((e) => e.titles.length > 1)
      if (many.length) throw new Error(`shown together: ${many.map((e) => e.titles.join(' + ')).join(' | ')}`)
      return `${log.filter((e) => e.titles.length === 1).length} notifications, one at a time`
    })
  } catch (error) {
    if (!(error instanceof StopRun)) {
      record('the run completed', false, error instanceof Error ? error.message.split('\n')[0] : String(error))
    }
    for (const [i, ctx] of browser.contexts().entries()) {
      for (const page of ctx.pages()) {
        await page.screenshot({ path: join(o.screenshotDir, `failure-${i}.png`), fullPage: true }).catch(() => {})
      }
    }
  } finally {
    await browser.close()
    rmSync(work, { recursive: true, force: true })
    record('no browser console errors, page errors or foreign requests', browserProblems.length === 0, browserProblems.join(' | '))
  }
  return results
}

async function main() {
  const options = optionsFromEnv(process.env)
  if (Array.isArray(options)) {
    console.error(`member01: set ${options.join('; ')}.`)
    process.exit(2)
  }
  const results = await runMember01(options)
  const failed = results.filter((r) => !r.ok).length
  console.log(`member01: ${results.length - failed} passed, ${failed} failed`)
  process.exit(failed === 0 ? 0 : 1)
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main()
