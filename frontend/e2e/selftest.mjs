// Proves the e2e harness without a Roadreg server: serves frontend/dist with
// `vite preview`, proxies /auth, /graphql and /healthz to mock-server.mjs, and
// runs run.mjs, member01.mjs (as far as a mock can go) and graphql-http-audit.mjs
// against it as `make test` runs them against the real server, including cases
// that must fail; and shows that the page checks (checks.mjs) find what they
// look for on small pages made to have each problem.
// Needs `npm run build` first. Exits 1 when a case does not turn out as expected.
import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'
import { preview } from 'vite'
import { inspect, keyboardReach } from './checks.mjs'
import { defaultUsers, startMockServer } from './mock-server.mjs'
import { chromiumArgs } from './run.mjs'

const here = fileURLToPath(new URL('.', import.meta.url))
const repoRoot = join(here, '..', '..')
const user = 'admin'
const password = /** @type {{ password: string }} */ (defaultUsers[user]).password

/**
 * Runs a harness script with env and returns its exit code and output.
 * @param {string} script @param {Record<string, string>} env
 * @returns {Promise<{ code: number, output: string }>}
 */
function runScript(script, env) {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(here, script)],
      { env: { ...process.env, ...env }, timeout: 120_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0
        resolve({ code, output: stdout + stderr })
      },
    )
  })
}

/**
 * Starts `vite preview` of frontend/dist with its API proxy pointing at `api`.
 * @param {string} api
 */
async function startPreview(api) {
  process.env.ROADREG_API = api // read by vite.config.ts
  const server = await preview({
    configFile: join(repoRoot, 'vite.config.ts'),
    root: join(repoRoot, 'frontend'),
    logLevel: 'warn',
    preview: { host: '127.0.0.1', port: 0, strictPort: true },
  })
  const url = server.resolvedUrls?.local[0]
  if (!url) throw new Error('vite preview did not report its URL')
  return { url: url.replace(/\/$/, ''), close: () => server.close() }
}

/**
 * Runs the page checks on a page made of `body` and returns their findings
 * as the output (exit code 0 when there are none, 1 otherwise).
 * @param {string} body
 * @returns {Promise<{ code: number, output: string }>}
 */
async function checkPage(body) {
  const dir = mkdtempSync(join(tmpdir(), 'roadreg-checks-'))
  const browser = await chromium.launch({ executablePath: process.env.ROADREG_CHROMIUM ?? '/usr/bin/chromium', headless: true, args: chromiumArgs })
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
    await page.setContent(`<!doctype html><html lang="en"><head><title>Check</title></head><body><main><h1>Check</h1>${body}</main></body></html>`)
    const found = [...(await inspect(page, dir, 'page')), ...(await keyboardReach(page)).map((c) => `not reached by Tab: ${c}`)]
    return { code: found.length ? 1 : 0, output: found.join('\n') }
  } finally {
    await browser.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

async function main() {
  if (!existsSync(join(repoRoot, 'frontend', 'dist', 'index.html'))) {
    console.error('frontend/dist is missing: run `npm run build` first.')
    process.exit(2)
  }
  const mock = await startMockServer({ role: 'SECURITY', instanceIdentifier: 'DEV' })
  const site = await startPreview(mock.url)
  // A central-server mock for member01.mjs: it serves the anchor and its hash, nothing further.
  const centralMock = await startMockServer({ role: 'CENTRAL', instanceIdentifier: 'DEV' })
  const centralSite = await startPreview(centralMock.url)
  const screenshots = join(here, 'screenshots', 'selftest')
  /** @param {string} name */
  const env = (name, pw = password) => ({
    ROADREG_E2E_URL: site.url,
    ROADREG_E2E_USER: user,
    ROADREG_E2E_PASSWORD: pw,
    ROADREG_E2E_SCREENSHOTS: join(screenshots, name),
  })

  /** member01.mjs against the central-server mock (both roles' URLs point at it). @param {string} name */
  const member01Env = (name) => ({
    ROADREG_E2E_CS_URL: centralSite.url,
    ROADREG_E2E_SS_URL: centralSite.url,
    ROADREG_E2E_CA_URL: centralMock.url,
    ROADREG_E2E_CS_USER: user,
    ROADREG_E2E_CS_PASSWORD: password,
    ROADREG_E2E_SS_USER: user,
    ROADREG_E2E_SS_PASSWORD: password,
    ROADREG_E2E_STEP_TIMEOUT_MS: '8000',
    ROADREG_E2E_SCREENSHOTS: join(screenshots, name),
  })

  /** @type {{ name: string, run: () => Promise<{ code: number, output: string }>, wantCode: number, wantOutput?: RegExp }[]} */
  const cases = [
    {
      name: 'checks.mjs finds nothing on a page without problems',
      run: () => checkPage('<p>Plain text.</p><button>Go</button><a href="#top">Top</a>'),
      wantCode: 0,
    },
    {
      name: 'checks.mjs finds a page wider than a phone',
      run: () => checkPage('<div style="width: 600px">Wide</div>'),
      wantCode: 1,
      wantOutput: /^phone: the page is \d+px wide in a 390px window$/m,
    },
    {
      name: 'checks.mjs finds a control off the screen of a phone',
      run: () => checkPage('<div style="overflow-x: auto"><div style="width: 700px; text-align: right"><button>Approve</button></div></div>'),
      wantCode: 1,
      wantOutput: /^phone: button "Approve" spans x \d+–\d+ in a 390px window$/m,
    },
    {
      name: 'checks.mjs reports a serious axe finding (text without enough contrast)',
      run: () => checkPage('<p style="color: #b0b0b0; background: #fff">Faint</p>'),
      wantCode: 1,
      wantOutput: /^desktop: serious color-contrast/m,
    },
    {
      name: 'checks.mjs finds a control Tab never reaches',
      run: () => checkPage('<button>First</button><button tabindex="-1">Mouse only</button>'),
      wantCode: 1,
      wantOutput: /^not reached by Tab: Mouse only$/m,
    },
    {
      name: 'run.mjs passes against a working server',
      run: () => runScript('run.mjs', { ...env('pass'), ROADREG_E2E_ROLE: 'SECURITY' }),
      wantCode: 0,
      wantOutput: /^e2e: \d+ passed, 0 failed$/m,
    },
    {
      name: 'run.mjs fails when the role is not the expected one',
      run: () => runScript('run.mjs', { ...env('wrong-role'), ROADREG_E2E_ROLE: 'CENTRAL' }),
      wantCode: 1,
      wantOutput: /not ok - the role is CENTRAL/,
    },
    {
      name: 'run.mjs fails with the login error on a wrong password',
      run: () => runScript('run.mjs', env('wrong-password', 'not-the-password')),
      wantCode: 1,
      wantOutput: /not ok - sign-in with Enter shows the overview: Wrong username or password\./,
    },
    {
      name: 'run.mjs fails on browser console errors (HTTP 500 from /graphql)',
      run: async () => {
        mock.setFault('graphql-500')
        try {
          return await runScript('run.mjs', env('console-error'))
        } finally {
          mock.setFault(null)
        }
      },
      wantCode: 1,
      wantOutput: /not ok - no browser console errors.*console error/,
    },
    {
      name: 'run.mjs refuses to run without its settings',
      run: () => runScript('run.mjs', { ROADREG_E2E_URL: '', ROADREG_E2E_USER: '', ROADREG_E2E_PASSWORD: '' }),
      wantCode: 2,
    },
    {
      name: 'member01.mjs refuses to run without its settings',
      run: () =>
        runScript('member01.mjs', {
          ROADREG_E2E_CS_URL: '',
          ROADREG_E2E_SS_URL: '',
          ROADREG_E2E_CA_URL: '',
          ROADREG_E2E_CS_USER: '',
          ROADREG_E2E_SS_USER: '',
          ROADREG_E2E_DEV_CREDENTIALS: '',
        }),
      wantCode: 2,
      wantOutput: /member01: set ROADREG_E2E_CS_URL/,
    },
    {
      name: 'member01.mjs checks the anchor hash on the CS page, then stops (exit 1) where the mock ends',
      run: () => runScript('member01.mjs', member01Env('member01-mock')),
      wantCode: 1,
      // The mock answers the global configuration page and the anchor only: the members page cannot succeed.
      wantOutput:
        /^ok - CS: admin signs in: instance DEV$[\s\S]*^ok - CS: the anchor card shows the downloaded file's SHA-224 and instance: [0-9A-F]{2}(:[0-9A-F]{2}){27}$[\s\S]*^not ok - CS: members/m,
    },
    {
      name: "member01.mjs fails when the CS page shows a hash other than the file's",
      run: async () => {
        centralMock.setFault('wrong-anchor-hash')
        try {
          return await runScript('member01.mjs', member01Env('member01-wrong-hash'))
        } finally {
          centralMock.setFault(null)
        }
      },
      wantCode: 1,
      wantOutput: /^not ok - CS: the anchor card shows the downloaded file's SHA-224 and instance: the page shows [0-9A-F:]+, the file's SHA-224 is /m,
    },
    {
      name: 'graphql-http-audit.mjs signs in and passes every MUST audit',
      run: () => runScript('graphql-http-audit.mjs', env('audit')),
      wantCode: 0,
      wantOutput: /^OK +\S+ MUST /m,
    },
    {
      name: 'graphql-http-audit.mjs stops when signing in fails',
      run: () => runScript('graphql-http-audit.mjs', env('audit-fail', 'not-the-password')),
      wantCode: 2,
      wantOutput: /cannot sign in: POST \/auth\/login answered HTTP 401/,
    },
  ]

  let failed = 0
  try {
    for (const c of cases) {
      const { code, output } = await c.run()
      const ok = code === c.wantCode && (!c.wantOutput || c.wantOutput.test(output))
      if (!ok) failed++
      console.log(`${ok ? 'ok' : 'not ok'} - ${c.name}${ok ? '' : ` (exit ${code}, want ${c.wantCode})`}`)
      if (!ok || process.env.VERBOSE) console.log(output.replace(/^/gm, '    '))
    }
  } finally {
    await site.close()
    await mock.close()
    await centralSite.close()
    await centralMock.close()
  }
  console.log(`e2e selftest: ${cases.length - failed} passed, ${failed} failed`)
  process.exit(failed === 0 ? 0 : 1)
}

await main()
