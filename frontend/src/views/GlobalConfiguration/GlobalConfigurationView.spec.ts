import { flushPromises, type VueWrapper } from '@vue/test-utils'
import { afterEach, describe, expect, it } from 'vitest'
import type { Permission } from '@/auth/permissions'
import type { ServerRole } from '@/gql/graphql'
import { mountView } from '@/test/app'
import { createFakeClient, type FakeAnswer, type FakeHandler } from '@/test/fakeClient'
import { recordDownloads } from '@/test/downloads'
import GlobalConfigurationView from './GlobalConfigurationView.vue'

let mounted: VueWrapper | undefined
afterEach(() => {
  mounted?.unmount()
  mounted = undefined
})

// A SHA-224 is 28 bytes: 56 upper-case hex digits.
const hash = '0123456789ABCDEF'.repeat(3) + '01234567'
const grouped = hash.match(/../g)!.join(':')
const anchor = { hash, generatedAt: '2026-11-26T10:00:00Z', instanceIdentifier: 'DEV' }
const status = {
  instanceIdentifier: 'DEV',
  version: 3,
  generatedAt: new Date().toISOString(),
  expiresAt: new Date(Date.now() + 600_000).toISOString(),
  lastSuccessAt: new Date().toISOString(),
  error: null,
  failingSince: null,
}

const versions = [
  {
    version: 3,
    contentId: 'DEV-3',
    generatedAt: '2026-11-26T10:00:00Z',
    expiresAt: '2026-11-26T10:10:00Z',
    hash: 'ab12',
    current: true,
    parts: [
      { contentIdentifier: 'PRIVATE-PARAMETERS', fileName: 'private-params.xml', hashAlgorithm: 'SHA-512', hash: 'cd34', downloadPath: '/V2/3/private-params.xml' },
      { contentIdentifier: 'SHARED-PARAMETERS', fileName: 'shared-params.xml', hashAlgorithm: 'SHA-512', hash: 'ef56', downloadPath: null },
    ],
  },
]
const signingKeys = [
  {
    keyId: 'k1',
    sourceType: 'INTERNAL',
    algorithm: 'RSA',
    active: true,
    createdAt: '2026-11-26T09:00:00Z',
    certificate: { subject: 'CN=DEV internal signing', notAfter: '2046-11-26T09:00:00Z', sha256: '0011' },
  },
]

async function setup(role: ServerRole, permissions: Permission[], handlers: Record<string, FakeHandler> = {}) {
  const fake = createFakeClient({
    GlobalConfStatus: () => ({ data: { globalConfigurationStatus: status } }),
    ConfigurationAnchorInfo: () => ({ data: { configurationAnchorInfo: anchor } }),
    CentralServerCluster: () => ({
      data: {
        centralServerCluster: {
          highAvailability: false, nodeName: 'cs1', generator: 'cs1', lastVersion: 3, lastGeneratedAt: status.generatedAt,
          lastGeneratedBy: 'cs1', allNodesOk: true, nodes: [],
        },
      },
    }),
    ConfVersions: () => ({ data: { globalConfigurationVersions: versions, configurationSigningKeys: signingKeys } }),
    ...handlers,
  })
  const view = await mountView(GlobalConfigurationView, { fake, role, permissions })
  mounted = view.wrapper
  await flushPromises()
  return { fake, wrapper: view.wrapper }
}

const text = (w: VueWrapper, id: string) => w.find(`[data-testid="${id}"]`).text()

describe('GlobalConfigurationView on the central server', () => {
  it.each<{ name: string; permissions: Permission[]; download: boolean }>([
    { name: 'a viewer sees the hash to publish', permissions: ['VIEW_GLOBAL_CONFIGURATION'], download: false },
    { name: 'DOWNLOAD_SOURCE_ANCHOR alone shows the hash and the download', permissions: ['DOWNLOAD_SOURCE_ANCHOR'], download: true },
  ])('$name', async ({ permissions, download }) => {
    const { fake, wrapper } = await setup('CENTRAL', permissions)
    expect(fake.callsOf('ConfigurationAnchorInfo')).toHaveLength(1)
    // The same grouped form the security server's wizard shows after the upload.
    expect(text(wrapper, 'anchor-hash')).toBe(grouped)
    expect(text(wrapper, 'anchor-instance')).toBe('DEV')
    expect(text(wrapper, 'anchor-generated')).toMatch(/^26 Nov 2026, \d\d:00:00$/)
    expect(wrapper.find('[data-testid="download-anchor"]').exists()).toBe(download)
  })

  it('does not ask for the anchor without either permission', async () => {
    const { fake, wrapper } = await setup('CENTRAL', ['GENERATE_GLOBAL_CONFIGURATION'])
    expect(fake.callsOf('ConfigurationAnchorInfo')).toHaveLength(0)
    expect(wrapper.find('[data-testid="anchor-hash"]').exists()).toBe(false)
    expect(wrapper.find('[data-testid="anchor-card"]').text()).toContain('Downloading the anchor needs')
  })

  it('says what to do when there is no anchor yet', async () => {
    const noKey: FakeAnswer = {
      errors: [{ message: 'no active configuration-signing key', extensions: { code: 'SIGNING_KEY_NOT_AVAILABLE' } }],
    }
    const { wrapper } = await setup('CENTRAL', ['VIEW_GLOBAL_CONFIGURATION'], { ConfigurationAnchorInfo: () => noKey })
    expect(text(wrapper, 'anchor-info-error')).toBe('no active configuration-signing keyCode: SIGNING_KEY_NOT_AVAILABLE')
    expect(wrapper.find('[data-testid="anchor-hash"]').exists()).toBe(false)
  })

  it('reads the hash again with every download, so it describes the file saved', async () => {
    const downloads = recordDownloads()
    const { fake, wrapper } = await setup('CENTRAL', ['DOWNLOAD_SOURCE_ANCHOR'], {
      ConfigurationAnchor: () => ({ data: { configurationAnchor: '<configurationAnchor/>' } }),
    })
    await wrapper.find('[data-testid="download-anchor"]').trigger('click')
    await flushPromises()
    expect((await downloads()).map((f) => f.fileName)).toEqual(['configuration_anchor_DEV_internal.xml'])
    expect(fake.callsOf('ConfigurationAnchorInfo')).toHaveLength(2)
  })
})

describe('GlobalConfigurationView: versions and signing keys', () => {
  it('lists each version with its parts, hashes and download links while published, and the signing key', async () => {
    const { wrapper } = await setup('CENTRAL', ['VIEW_GLOBAL_CONFIGURATION'])
    expect(wrapper.findAll('[data-testid="conf-version-row"]')).toHaveLength(1)
    expect(wrapper.find('[data-testid="conf-version-current"]').exists()).toBe(true)
    await wrapper.find('[data-testid="conf-version-row"] button').trigger('click')
    await flushPromises()
    const parts = wrapper.findAll('[data-testid="conf-part"]')
    expect(parts.map((p) => p.find('[data-testid="conf-part-hash"]').text())).toEqual(['cd34', 'ef56'])
    expect(parts[0].find('[data-testid="conf-part-download"]').attributes('href')).toBe('/V2/3/private-params.xml')
    expect(parts[1].find('[data-testid="conf-part-download"]').exists()).toBe(false)
    expect(wrapper.find('[data-testid="signing-key"]').text()).toContain('CN=DEV internal signing')
  })
})

describe('GlobalConfigurationView on the security server', () => {
  it('shows the uploaded anchor in the same form', async () => {
    const { fake, wrapper } = await setup('SECURITY', ['view_anchor'], {
      SecurityAnchor: () => ({ data: { anchor } }),
    })
    expect(fake.callsOf('ConfigurationAnchorInfo')).toHaveLength(0)
    expect(text(wrapper, 'anchor-hash')).toBe(grouped)
    expect(text(wrapper, 'anchor-instance')).toBe('DEV')
  })
})
