/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query CurrentUser {\n    me {\n      username\n      roles\n      permissions\n    }\n  }\n": typeof types.CurrentUserDocument,
    "\n  fragment AcmeAccountFields on AcmeAccount {\n    id\n    caName\n    memberId\n    keyUsage\n    eabKeyId\n    eabMacKeySet\n    contactEmail\n    registered\n    accountUrl\n  }\n": typeof types.AcmeAccountFieldsFragmentDoc,
    "\n  mutation SetAcmeAccount($input: SetAcmeAccountInput!) {\n    setAcmeAccount(input: $input) {\n      ...AcmeAccountFields\n    }\n  }\n": typeof types.SetAcmeAccountDocument,
    "\n  mutation AddApprovedCA($input: AddApprovedCertificationServiceInput!) {\n    addApprovedCertificationService(input: $input) {\n      id\n      name\n    }\n  }\n": typeof types.AddApprovedCaDocument,
    "\n  mutation AddMemberClass($code: String!, $description: String!) {\n    addMemberClass(code: $code, description: $description) {\n      id\n      code\n    }\n  }\n": typeof types.AddMemberClassDocument,
    "\n  query MemberClassOptions {\n    memberClasses {\n      id\n      code\n      description\n    }\n  }\n": typeof types.MemberClassOptionsDocument,
    "\n  mutation AddMember($memberClass: String!, $memberCode: String!, $name: String!) {\n    addMember(memberClass: $memberClass, memberCode: $memberCode, name: $name) {\n      id\n      memberId\n      name\n    }\n  }\n": typeof types.AddMemberDocument,
    "\n  mutation AddOwnedSecurityServer($memberId: String!, $serverCode: String!, $authCertificate: String!) {\n    addOwnedSecurityServer(memberId: $memberId, serverCode: $serverCode, authCertificate: $authCertificate) {\n      id\n      requestId\n      serverId\n      status\n    }\n  }\n": typeof types.AddOwnedSecurityServerDocument,
    "\n  mutation AddApprovedTSA($input: AddApprovedTimestampingAuthorityInput!) {\n    addApprovedTimestampingAuthority(input: $input) {\n      id\n      name\n    }\n  }\n": typeof types.AddApprovedTsaDocument,
    "\n  mutation ApproveManagementRequest($id: ID!) {\n    approveManagementRequest(id: $id) {\n      id\n      status\n      updatedAt\n    }\n  }\n": typeof types.ApproveManagementRequestDocument,
    "\n  mutation InitializeCentralServer($input: InitializeCentralServerInput!) {\n    initializeCentralServer(input: $input) {\n      role\n      initialized\n      instanceIdentifier\n    }\n  }\n": typeof types.InitializeCentralServerDocument,
    "\n  mutation DeclineManagementRequest($id: ID!, $comments: String) {\n    declineManagementRequest(id: $id, comments: $comments) {\n      id\n      status\n      comments\n      updatedAt\n    }\n  }\n": typeof types.DeclineManagementRequestDocument,
    "\n  mutation DeleteSecurityServerAuthCertificate($serverId: String!, $authCertificateId: ID!) {\n    deleteSecurityServerAuthCertificate(serverId: $serverId, authCertificateId: $authCertificateId) {\n      id\n      requestId\n      status\n    }\n  }\n": typeof types.DeleteSecurityServerAuthCertificateDocument,
    "\n  mutation UpdateApprovedCA($id: ID!, $input: CertificationServiceSettingsInput!) {\n    updateApprovedCertificationService(id: $id, input: $input) {\n      id\n      name\n      authenticationOnly\n      certificateProfileInfo\n      defaultCsrFormat\n      acmeServerDirectoryUrl\n      acmeServerIpAddress\n      authenticationCertificateProfileId\n      signingCertificateProfileId\n    }\n  }\n": typeof types.UpdateApprovedCaDocument,
    "\n  mutation LoginCentralServerToken($pin: String!) {\n    loginCentralServerToken(pin: $pin) {\n      ...ConfStatus\n    }\n  }\n": typeof types.LoginCentralServerTokenDocument,
    "\n  query WaitingRequestCount {\n    managementRequests(status: WAITING, first: 1) {\n      totalCount\n    }\n  }\n": typeof types.WaitingRequestCountDocument,
    "\n  subscription RequestChangedForCount {\n    managementRequestChanged {\n      id\n      status\n    }\n  }\n": typeof types.RequestChangedForCountDocument,
    "\n  fragment AnchorFields on Anchor {\n    hash\n    generatedAt\n    instanceIdentifier\n  }\n": typeof types.AnchorFieldsFragmentDoc,
    "\n  query CentralServerCluster {\n    centralServerCluster {\n      highAvailability\n      nodeName\n      generator\n      lastVersion\n      lastGeneratedAt\n      lastGeneratedBy\n      allNodesOk\n      nodes {\n        name\n        address\n        state\n        lastHeartbeatAt\n        signingTokenLoggedIn\n        generator\n      }\n    }\n  }\n": typeof types.CentralServerClusterDocument,
    "\n  query ConfVersions {\n    globalConfigurationVersions(first: 10) {\n      version\n      contentId\n      generatedAt\n      expiresAt\n      hash\n      current\n      parts {\n        contentIdentifier\n        fileName\n        hashAlgorithm\n        hash\n        downloadPath\n      }\n    }\n    configurationSigningKeys {\n      keyId\n      sourceType\n      algorithm\n      active\n      createdAt\n      certificate {\n        subject\n        notAfter\n        sha256\n      }\n    }\n  }\n": typeof types.ConfVersionsDocument,
    "\n  fragment ConfStatus on GlobalConfigurationStatus {\n    instanceIdentifier\n    version\n    generatedAt\n    expiresAt\n    lastSuccessAt\n    error\n    failingSince\n  }\n": typeof types.ConfStatusFragmentDoc,
    "\n  query GlobalConfStatus {\n    globalConfigurationStatus {\n      ...ConfStatus\n    }\n  }\n": typeof types.GlobalConfStatusDocument,
    "\n  subscription GlobalConfChanged {\n    globalConfigurationChanged {\n      ...ConfStatus\n    }\n  }\n": typeof types.GlobalConfChangedDocument,
    "\n  mutation GenerateKey($tokenId: ID!, $label: String, $algorithm: KeyAlgorithm) {\n    generateKey(tokenId: $tokenId, label: $label, algorithm: $algorithm) {\n      id\n      name\n    }\n  }\n": typeof types.GenerateKeyDocument,
    "\n  mutation GenerateCsr($input: GenerateCsrInput!) {\n    generateCsr(input: $input) {\n      ...CsrFields\n    }\n  }\n": typeof types.GenerateCsrDocument,
    "\n  query CertificateDetail($id: ID!) {\n    node(id: $id) {\n      __typename\n      ... on Certificate {\n        ...CertificateFields\n        pem\n        renewal {\n          startedAt\n          renewedBy {\n            id\n            sha256\n            status\n          }\n        }\n        details {\n          subject\n          issuer\n          serialNumber\n          version\n          notBefore\n          notAfter\n          signatureAlgorithm\n          publicKeyAlgorithm\n          publicKeySize\n          ecCurve\n          keyUsages\n          extendedKeyUsages\n          subjectAlternativeNames\n          sha1\n          sha256\n          ocspResponderUrls\n          authorityKeyId\n          subjectKeyId\n          extensions {\n            oid\n            name\n            critical\n            value\n          }\n        }\n        ocspResponse {\n          status\n          producedAt\n          thisUpdate\n          nextUpdate\n          revokedAt\n          responder\n        }\n      }\n    }\n  }\n": typeof types.CertificateDetailDocument,
    "\n  mutation UnregisterAuthCertificate($certificateId: ID!) {\n    unregisterAuthCertificate(certificateId: $certificateId) {\n      ...CertificateFields\n    }\n  }\n": typeof types.UnregisterAuthCertificateDocument,
    "\n  mutation MarkAuthCertForDeletion($certificateId: ID!) {\n    markAuthCertForDeletion(certificateId: $certificateId) {\n      ...CertificateFields\n    }\n  }\n": typeof types.MarkAuthCertForDeletionDocument,
    "\n  mutation DeleteCertificate($certificateId: ID!) {\n    deleteCertificate(certificateId: $certificateId)\n  }\n": typeof types.DeleteCertificateDocument,
    "\n  mutation ChangeTokenPin($tokenId: ID!, $oldPin: String!, $newPin: String!) {\n    changeTokenPin(tokenId: $tokenId, oldPin: $oldPin, newPin: $newPin) {\n      id\n      loggedIn\n      status\n      pinFailures\n      pinRetryAfter\n      possibleActions\n    }\n  }\n": typeof types.ChangeTokenPinDocument,
    "\n  mutation DeleteCsr($csrId: ID!) {\n    deleteCsr(csrId: $csrId)\n  }\n": typeof types.DeleteCsrDocument,
    "\n  query CsrCertificationAuthorities {\n    approvedCertificationAuthorities {\n      name\n      authenticationOnly\n      subjectDn\n      acmeCapable\n    }\n  }\n": typeof types.CsrCertificationAuthoritiesDocument,
    "\n  query CsrSubjectFields($caName: String!, $usage: KeyUsage!, $memberId: String) {\n    csrSubjectFields(caName: $caName, usage: $usage, memberId: $memberId) {\n      id\n      label\n      defaultValue\n      readOnly\n      required\n    }\n  }\n": typeof types.CsrSubjectFieldsDocument,
    "\n  mutation GenerateCsrForKey($input: GenerateCsrInput!) {\n    generateCsr(input: $input) {\n      ...CsrFields\n    }\n  }\n": typeof types.GenerateCsrForKeyDocument,
    "\n  mutation ImportCertificate($certificate: String!) {\n    importCertificate(certificate: $certificate) {\n      ...CertificateFields\n    }\n  }\n": typeof types.ImportCertificateDocument,
    "\n  mutation DeleteKey($keyId: ID!, $ignoreWarnings: Boolean) {\n    deleteKey(keyId: $keyId, ignoreWarnings: $ignoreWarnings)\n  }\n": typeof types.DeleteKeyDocument,
    "\n  mutation LoginToken($tokenId: ID!, $pin: String!) {\n    loginToken(tokenId: $tokenId, pin: $pin) {\n      id\n      loggedIn\n      status\n      possibleActions\n    }\n  }\n": typeof types.LoginTokenDocument,
    "\n  query AcmeOrderContext {\n    acmeSettings {\n      challengeListenAddress\n      autoActivateSigningCertificates\n    }\n    approvedCertificationAuthorities {\n      name\n      acmeCapable\n      acmeServerIpAddresses\n    }\n  }\n": typeof types.AcmeOrderContextDocument,
    "\n  query AcmeEabStatus($caName: String!, $keyUsage: KeyUsage!, $memberId: String) {\n    hasAcmeExternalAccountBindingCredentials(caName: $caName, keyUsage: $keyUsage, memberId: $memberId) {\n      acmeEabRequired\n      hasAcmeExternalAccountCredentials\n    }\n  }\n": typeof types.AcmeEabStatusDocument,
    "\n  mutation OrderAcmeCertificate($input: OrderAcmeCertificateInput!) {\n    orderAcmeCertificate(input: $input) {\n      ...CertificateFields\n    }\n  }\n": typeof types.OrderAcmeCertificateDocument,
    "\n  mutation RegisterAuthCertificate($certificateId: ID!, $address: String!) {\n    registerAuthCertificate(certificateId: $certificateId, address: $address) {\n      ...CertificateFields\n    }\n  }\n": typeof types.RegisterAuthCertificateDocument,
    "\n  query ServerAddress {\n    securityServerAddress\n  }\n": typeof types.ServerAddressDocument,
    "\n  fragment CertificateFields on Certificate {\n    id\n    usage\n    status\n    active\n    ocspStatus\n    ocspUpdatedAt\n    ocspError\n    subject\n    issuer\n    serialNumber\n    notBefore\n    notAfter\n    memberId\n    registeredAddress\n    declineComment\n    managementRequestId\n    deletionRequestId\n    unregisteredAt\n    possibleActions\n    sha256\n    renewsSha256\n    renewal {\n      status\n      step\n      nextRenewalAt\n      lastError\n      failures\n      retryAt\n    }\n  }\n": typeof types.CertificateFieldsFragmentDoc,
    "\n  fragment CsrFields on CertificateSigningRequest {\n    id\n    usage\n    memberId\n    caName\n    subject\n    createdAt\n    pem\n    der\n    pemName: fileName(format: PEM)\n    derName: fileName(format: DER)\n    possibleActions\n  }\n": typeof types.CsrFieldsFragmentDoc,
    "\n  fragment KeyFields on Key {\n    id\n    keyId\n    name\n    label\n    usage\n    algorithm\n    possibleActions\n    certificates {\n      ...CertificateFields\n    }\n    csrs {\n      ...CsrFields\n    }\n  }\n": typeof types.KeyFieldsFragmentDoc,
    "\n  fragment TokenFields on Token {\n    id\n    tokenId\n    name\n    type\n    loggedIn\n    available\n    status\n    possibleActions\n    serialNumber\n    label\n    pinFailures\n    pinRetryAfter\n    keys {\n      ...KeyFields\n    }\n  }\n": typeof types.TokenFieldsFragmentDoc,
    "\n  query CsrMemberOptions {\n    securityServerClients {\n      memberId\n      subsystemCode\n      name\n      owner\n    }\n  }\n": typeof types.CsrMemberOptionsDocument,
    "\n  query ApprovedTimestampingServices {\n    approvedTimestampingServices {\n      name\n      url\n    }\n  }\n": typeof types.ApprovedTimestampingServicesDocument,
    "\n  mutation AddTimestampingService($name: String!, $url: String!) {\n    addTimestampingService(name: $name, url: $url) {\n      id\n      name\n      url\n    }\n  }\n": typeof types.AddTimestampingServiceDocument,
    "\n  query CertificateStatusSeed {\n    tokens {\n      id\n      keys {\n        id\n        certificates {\n          id\n          status\n        }\n      }\n    }\n  }\n": typeof types.CertificateStatusSeedDocument,
    "\n  subscription AuthCertificateRegistered {\n    authCertificateRegistered {\n      id\n      status\n      active\n      usage\n      subject\n      declineComment\n    }\n  }\n": typeof types.AuthCertificateRegisteredDocument,
    "\n  subscription CertificateChangedForNotice {\n    certificateStatusChanged {\n      id\n      status\n      active\n      usage\n      subject\n      declineComment\n    }\n  }\n": typeof types.CertificateChangedForNoticeDocument,
    "\n  query RegistrationChecklist {\n    timestampingServices {\n      id\n    }\n    tokens {\n      id\n      type\n      loggedIn\n      keys {\n        id\n        certificates {\n          id\n          usage\n          status\n          active\n          ocspStatus\n        }\n      }\n    }\n  }\n": typeof types.RegistrationChecklistDocument,
    "\n  subscription ChecklistCertificateChanged {\n    certificateStatusChanged {\n      id\n      status\n      active\n      ocspStatus\n    }\n  }\n": typeof types.ChecklistCertificateChangedDocument,
    "\n  query CurrentAnchor {\n    anchor {\n      ...AnchorFields\n    }\n  }\n": typeof types.CurrentAnchorDocument,
    "\n  mutation UploadAnchor($anchor: String!) {\n    uploadAnchor(anchor: $anchor) {\n      ...AnchorFields\n    }\n  }\n": typeof types.UploadAnchorDocument,
    "\n  query OwnerName($memberClass: String!, $memberCode: String!) {\n    memberName(memberClass: $memberClass, memberCode: $memberCode)\n  }\n": typeof types.OwnerNameDocument,
    "\n  mutation InitializeSecurityServer($input: InitializeSecurityServerInput!) {\n    initializeSecurityServer(input: $input) {\n      role\n      initialized\n      securityServerId\n    }\n  }\n": typeof types.InitializeSecurityServerDocument,
    "\n  query CheckTimestampingService($url: String!) {\n    checkTimestampingService(url: $url) {\n      url\n      reachable\n      error\n      checkedAt\n    }\n  }\n": typeof types.CheckTimestampingServiceDocument,
    "\n  mutation AddUser($input: AddUserInput!) {\n    addUser(input: $input) {\n      id\n      username\n    }\n  }\n": typeof types.AddUserDocument,
    "\n  mutation ChangePassword($currentPassword: String!, $newPassword: String!) {\n    changePassword(currentPassword: $currentPassword, newPassword: $newPassword)\n  }\n": typeof types.ChangePasswordDocument,
    "\n  mutation CreateApiKey($name: String, $roles: [Role!]!) {\n    createApiKey(name: $name, roles: $roles) {\n      key\n      apiKey {\n        id\n        name\n      }\n    }\n  }\n": typeof types.CreateApiKeyDocument,
    "\n  mutation ResetUserPassword($id: ID!, $password: String!) {\n    resetUserPassword(id: $id, password: $password) {\n      id\n    }\n  }\n": typeof types.ResetUserPasswordDocument,
    "\n  mutation SetUserRoles($id: ID!, $roles: [Role!]!) {\n    setUserRoles(id: $id, roles: $roles) {\n      id\n      roles\n    }\n  }\n": typeof types.SetUserRolesDocument,
    "\n  query Shell {\n    serverInfo {\n      role\n      initialized\n      instanceIdentifier\n      securityServerId\n      version\n    }\n  }\n": typeof types.ShellDocument,
    "\n  query AcmeAccounts {\n    acmeSettings {\n      challengeListenAddress\n      autoActivateSigningCertificates\n    }\n    acmeAccounts {\n      ...AcmeAccountFields\n    }\n  }\n": typeof types.AcmeAccountsDocument,
    "\n  query AcmeCertificationAuthorities {\n    approvedCertificationAuthorities {\n      name\n      authenticationOnly\n      acmeCapable\n      acmeServerDirectoryUrl\n      acmeServerIpAddresses\n    }\n  }\n": typeof types.AcmeCertificationAuthoritiesDocument,
    "\n  mutation DeleteAcmeAccount($id: ID!) {\n    deleteAcmeAccount(id: $id)\n  }\n": typeof types.DeleteAcmeAccountDocument,
    "\n  query AuditEvents($first: Int, $after: String, $where: AuditEventWhereInput) {\n    auditEvents(first: $first, after: $after, where: $where) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        hasPreviousPage\n        startCursor\n        endCursor\n      }\n      edges {\n        node {\n          id\n          createdAt\n          event\n          actor\n          success\n          data\n        }\n      }\n    }\n  }\n": typeof types.AuditEventsDocument,
    "\n  query SecurityServerClients {\n    securityServerClients {\n      memberId\n      subsystemCode\n      name\n      owner\n      status\n    }\n  }\n": typeof types.SecurityServerClientsDocument,
    "\n  query Diagnostics {\n    diagnostics {\n      globalConfiguration {\n        statusClass\n        sourceUrl\n        lastAttemptAt\n        nextUpdateAt\n        status {\n          version\n          expiresAt\n          lastSuccessAt\n          error\n          failingSince\n        }\n      }\n      timestampingServices {\n        name\n        url\n        reachable\n        error\n        checkedAt\n      }\n      ocspResponders {\n        name\n        url\n        reachable\n        error\n        checkedAt\n      }\n      managementService {\n        url\n        reachable\n        error\n        checkedAt\n      }\n      clockOffset {\n        offsetSeconds\n        source\n        resolutionSeconds\n      }\n    }\n    securityServerAddress\n  }\n": typeof types.DiagnosticsDocument,
    "\n  query ConfigurationAnchor {\n    configurationAnchor\n  }\n": typeof types.ConfigurationAnchorDocument,
    "\n  query ConfigurationAnchorInfo {\n    configurationAnchorInfo {\n      ...AnchorFields\n    }\n  }\n": typeof types.ConfigurationAnchorInfoDocument,
    "\n  mutation GenerateGlobalConfiguration {\n    generateGlobalConfiguration {\n      ...ConfStatus\n    }\n  }\n": typeof types.GenerateGlobalConfigurationDocument,
    "\n  mutation RefreshGlobalConfiguration {\n    refreshGlobalConfiguration {\n      ...ConfStatus\n    }\n  }\n": typeof types.RefreshGlobalConfigurationDocument,
    "\n  query SecurityAnchor {\n    anchor {\n      ...AnchorFields\n    }\n  }\n": typeof types.SecurityAnchorDocument,
    "\n  query Tokens {\n    tokens {\n      ...TokenFields\n    }\n  }\n": typeof types.TokensDocument,
    "\n  query KeysAcmeCAs {\n    approvedCertificationAuthorities {\n      name\n      acmeCapable\n    }\n  }\n": typeof types.KeysAcmeCAsDocument,
    "\n  subscription KeysCertificateChanged {\n    certificateStatusChanged {\n      ...CertificateFields\n    }\n  }\n": typeof types.KeysCertificateChangedDocument,
    "\n  subscription KeysTokenChanged {\n    tokenChanged {\n      id\n      loggedIn\n      status\n      possibleActions\n    }\n  }\n": typeof types.KeysTokenChangedDocument,
    "\n  subscription KeysCertificateRenewal {\n    certificateRenewal {\n      kind\n      certificateSha256\n      renewedBySha256\n      message\n      certificate {\n        id\n      }\n      at\n      auditEventId\n    }\n  }\n": typeof types.KeysCertificateRenewalDocument,
    "\n  mutation LogoutToken($tokenId: ID!) {\n    logoutToken(tokenId: $tokenId) {\n      id\n      loggedIn\n      possibleActions\n    }\n  }\n": typeof types.LogoutTokenDocument,
    "\n  mutation ActivateCertificate($certificateId: ID!) {\n    activateCertificate(certificateId: $certificateId) {\n      ...CertificateFields\n    }\n  }\n": typeof types.ActivateCertificateDocument,
    "\n  mutation DeactivateCertificate($certificateId: ID!) {\n    deactivateCertificate(certificateId: $certificateId) {\n      ...CertificateFields\n    }\n  }\n": typeof types.DeactivateCertificateDocument,
    "\n  query LoginServer {\n    serverInfo {\n      role\n      initialized\n      instanceIdentifier\n    }\n  }\n": typeof types.LoginServerDocument,
    "\n  query ManagementRequestDetail($id: ID!) {\n    node(id: $id) {\n      __typename\n      ... on ManagementRequest {\n        id\n        requestId\n        createdAt\n        updatedAt\n        type\n        origin\n        status\n        serverId\n        securityServerOwnerName\n        address\n        comments\n        createdBy\n        pairedWith {\n          id\n          requestId\n          origin\n          status\n        }\n        authCertificate {\n          subject\n          issuer\n          serialNumber\n          notBefore\n          notAfter\n          sha256\n          pem\n        }\n      }\n    }\n  }\n": typeof types.ManagementRequestDetailDocument,
    "\n  subscription RequestDetailChanged {\n    managementRequestChanged {\n      id\n      status\n      comments\n      updatedAt\n    }\n  }\n": typeof types.RequestDetailChangedDocument,
    "\n  query ManagementRequests(\n    $first: Int\n    $after: String\n    $status: ManagementRequestStatus\n    $type: ManagementRequestType\n    $origin: ManagementRequestOrigin\n  ) {\n    managementRequests(\n      first: $first\n      after: $after\n      status: $status\n      type: $type\n      origin: $origin\n    ) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        hasPreviousPage\n        startCursor\n        endCursor\n      }\n      edges {\n        node {\n          id\n          requestId\n          createdAt\n          type\n          origin\n          status\n          serverId\n          securityServerOwnerName\n          address\n        }\n      }\n    }\n  }\n": typeof types.ManagementRequestsDocument,
    "\n  subscription ManagementRequestChanged {\n    managementRequestChanged {\n      id\n      requestId\n      status\n      serverId\n    }\n  }\n": typeof types.ManagementRequestChangedDocument,
    "\n  query MemberClasses {\n    memberClasses {\n      id\n      code\n      description\n      createdAt\n    }\n  }\n": typeof types.MemberClassesDocument,
    "\n  query MemberDetail($id: ID!) {\n    node(id: $id) {\n      __typename\n      ... on Member {\n        id\n        memberId\n        memberCode\n        name\n        createdAt\n        memberClass {\n          id\n          code\n          description\n        }\n        subsystems {\n          id\n          subsystemCode\n          name\n        }\n        ownedServers {\n          id\n          serverCode\n          serverId\n          address\n          createdAt\n          authCertificates {\n            id\n            subject\n            issuer\n            serialNumber\n            notAfter\n            sha256\n          }\n        }\n      }\n    }\n  }\n": typeof types.MemberDetailDocument,
    "\n  query MemberRequests($ownerClass: String!, $ownerCode: String!) {\n    managementRequests(first: 20, where: { serverOwnerClass: $ownerClass, serverOwnerCode: $ownerCode }) {\n      totalCount\n      edges {\n        node {\n          id\n          requestId\n          type\n          origin\n          status\n          serverCode\n          createdAt\n        }\n      }\n    }\n  }\n": typeof types.MemberRequestsDocument,
    "\n  query Members($first: Int, $after: String, $search: String) {\n    members(first: $first, after: $after, search: $search) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        hasPreviousPage\n        startCursor\n        endCursor\n      }\n      edges {\n        node {\n          id\n          memberId\n          memberCode\n          name\n          memberClass {\n            id\n            code\n          }\n          ownedServers {\n            id\n            serverCode\n          }\n        }\n      }\n    }\n  }\n": typeof types.MembersDocument,
    "\n  query Overview {\n    serverInfo {\n      role\n      initialized\n      instanceIdentifier\n      securityServerId\n      version\n    }\n    me {\n      username\n      roles\n    }\n  }\n": typeof types.OverviewDocument,
    "\n  query SecurityServerDetail($id: ID!) {\n    node(id: $id) {\n      __typename\n      ... on SecurityServer {\n        id\n        serverId\n        serverCode\n        address\n        status\n        createdAt\n        owner {\n          id\n          name\n          memberId\n        }\n        authCertificates {\n          id\n          subject\n          issuer\n          serialNumber\n          notBefore\n          notAfter\n          sha256\n        }\n      }\n    }\n  }\n": typeof types.SecurityServerDetailDocument,
    "\n  query SecurityServerRequests($serverId: String!) {\n    managementRequests(first: 50, serverId: $serverId) {\n      totalCount\n      edges {\n        node {\n          id\n          requestId\n          type\n          origin\n          status\n          createdAt\n        }\n      }\n    }\n  }\n": typeof types.SecurityServerRequestsDocument,
    "\n  query SecurityServers(\n    $first: Int\n    $after: String\n    $search: String\n    $status: SecurityServerStatus\n    $where: SecurityServerWhereInput\n  ) {\n    securityServers(first: $first, after: $after, search: $search, status: $status, where: $where) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        hasPreviousPage\n        startCursor\n        endCursor\n      }\n      edges {\n        node {\n          id\n          serverId\n          serverCode\n          address\n          status\n          owner {\n            id\n            name\n            memberId\n          }\n        }\n      }\n    }\n  }\n": typeof types.SecurityServersDocument,
    "\n  query ServerOwnerOptions {\n    members(first: 100) {\n      edges {\n        node {\n          id\n          name\n          memberId\n        }\n      }\n    }\n  }\n": typeof types.ServerOwnerOptionsDocument,
    "\n  query TimestampingServices {\n    timestampingServices {\n      id\n      name\n      url\n    }\n  }\n": typeof types.TimestampingServicesDocument,
    "\n  mutation DeleteTimestampingService($id: ID!) {\n    deleteTimestampingService(id: $id)\n  }\n": typeof types.DeleteTimestampingServiceDocument,
    "\n  query ApprovedCAs {\n    approvedCertificationServices {\n      id\n      name\n      subjectDn\n      issuerDn\n      notBefore\n      notAfter\n      authenticationOnly\n      certificateProfileInfo\n      defaultCsrFormat\n      acmeServerDirectoryUrl\n      acmeServerIpAddress\n      authenticationCertificateProfileId\n      signingCertificateProfileId\n      ocspResponderUrls\n      sha256\n    }\n  }\n": typeof types.ApprovedCAsDocument,
    "\n  query ApprovedTSAs {\n    approvedTimestampingAuthorities {\n      id\n      name\n      url\n      notAfter\n      sha256\n    }\n  }\n": typeof types.ApprovedTsAsDocument,
    "\n  query Users {\n    users {\n      id\n      username\n      roles\n      disabled\n      createdAt\n    }\n  }\n": typeof types.UsersDocument,
    "\n  query ApiKeys {\n    apiKeys {\n      id\n      name\n      roles\n      createdAt\n    }\n  }\n": typeof types.ApiKeysDocument,
    "\n  query Sessions {\n    sessions {\n      id\n      username\n      clientAddress\n      createdAt\n      lastSeenAt\n      expiresAt\n      current\n    }\n  }\n": typeof types.SessionsDocument,
    "\n  mutation DisableUser($id: ID!) {\n    disableUser(id: $id) {\n      id\n      disabled\n    }\n  }\n": typeof types.DisableUserDocument,
    "\n  mutation EnableUser($id: ID!) {\n    enableUser(id: $id) {\n      id\n      disabled\n    }\n  }\n": typeof types.EnableUserDocument,
    "\n  mutation RevokeApiKey($id: ID!) {\n    revokeApiKey(id: $id) {\n      id\n      revokedAt\n    }\n  }\n": typeof types.RevokeApiKeyDocument,
    "\n  mutation EndSession($id: ID!) {\n    endSession(id: $id)\n  }\n": typeof types.EndSessionDocument,
};
const documents: Documents = {
    "\n  query CurrentUser {\n    me {\n      username\n      roles\n      permissions\n    }\n  }\n": types.CurrentUserDocument,
    "\n  fragment AcmeAccountFields on AcmeAccount {\n    id\n    caName\n    memberId\n    keyUsage\n    eabKeyId\n    eabMacKeySet\n    contactEmail\n    registered\n    accountUrl\n  }\n": types.AcmeAccountFieldsFragmentDoc,
    "\n  mutation SetAcmeAccount($input: SetAcmeAccountInput!) {\n    setAcmeAccount(input: $input) {\n      ...AcmeAccountFields\n    }\n  }\n": types.SetAcmeAccountDocument,
    "\n  mutation AddApprovedCA($input: AddApprovedCertificationServiceInput!) {\n    addApprovedCertificationService(input: $input) {\n      id\n      name\n    }\n  }\n": types.AddApprovedCaDocument,
    "\n  mutation AddMemberClass($code: String!, $description: String!) {\n    addMemberClass(code: $code, description: $description) {\n      id\n      code\n    }\n  }\n": types.AddMemberClassDocument,
    "\n  query MemberClassOptions {\n    memberClasses {\n      id\n      code\n      description\n    }\n  }\n": types.MemberClassOptionsDocument,
    "\n  mutation AddMember($memberClass: String!, $memberCode: String!, $name: String!) {\n    addMember(memberClass: $memberClass, memberCode: $memberCode, name: $name) {\n      id\n      memberId\n      name\n    }\n  }\n": types.AddMemberDocument,
    "\n  mutation AddOwnedSecurityServer($memberId: String!, $serverCode: String!, $authCertificate: String!) {\n    addOwnedSecurityServer(memberId: $memberId, serverCode: $serverCode, authCertificate: $authCertificate) {\n      id\n      requestId\n      serverId\n      status\n    }\n  }\n": types.AddOwnedSecurityServerDocument,
    "\n  mutation AddApprovedTSA($input: AddApprovedTimestampingAuthorityInput!) {\n    addApprovedTimestampingAuthority(input: $input) {\n      id\n      name\n    }\n  }\n": types.AddApprovedTsaDocument,
    "\n  mutation ApproveManagementRequest($id: ID!) {\n    approveManagementRequest(id: $id) {\n      id\n      status\n      updatedAt\n    }\n  }\n": types.ApproveManagementRequestDocument,
    "\n  mutation InitializeCentralServer($input: InitializeCentralServerInput!) {\n    initializeCentralServer(input: $input) {\n      role\n      initialized\n      instanceIdentifier\n    }\n  }\n": types.InitializeCentralServerDocument,
    "\n  mutation DeclineManagementRequest($id: ID!, $comments: String) {\n    declineManagementRequest(id: $id, comments: $comments) {\n      id\n      status\n      comments\n      updatedAt\n    }\n  }\n": types.DeclineManagementRequestDocument,
    "\n  mutation DeleteSecurityServerAuthCertificate($serverId: String!, $authCertificateId: ID!) {\n    deleteSecurityServerAuthCertificate(serverId: $serverId, authCertificateId: $authCertificateId) {\n      id\n      requestId\n      status\n    }\n  }\n": types.DeleteSecurityServerAuthCertificateDocument,
    "\n  mutation UpdateApprovedCA($id: ID!, $input: CertificationServiceSettingsInput!) {\n    updateApprovedCertificationService(id: $id, input: $input) {\n      id\n      name\n      authenticationOnly\n      certificateProfileInfo\n      defaultCsrFormat\n      acmeServerDirectoryUrl\n      acmeServerIpAddress\n      authenticationCertificateProfileId\n      signingCertificateProfileId\n    }\n  }\n": types.UpdateApprovedCaDocument,
    "\n  mutation LoginCentralServerToken($pin: String!) {\n    loginCentralServerToken(pin: $pin) {\n      ...ConfStatus\n    }\n  }\n": types.LoginCentralServerTokenDocument,
    "\n  query WaitingRequestCount {\n    managementRequests(status: WAITING, first: 1) {\n      totalCount\n    }\n  }\n": types.WaitingRequestCountDocument,
    "\n  subscription RequestChangedForCount {\n    managementRequestChanged {\n      id\n      status\n    }\n  }\n": types.RequestChangedForCountDocument,
    "\n  fragment AnchorFields on Anchor {\n    hash\n    generatedAt\n    instanceIdentifier\n  }\n": types.AnchorFieldsFragmentDoc,
    "\n  query CentralServerCluster {\n    centralServerCluster {\n      highAvailability\n      nodeName\n      generator\n      lastVersion\n      lastGeneratedAt\n      lastGeneratedBy\n      allNodesOk\n      nodes {\n        name\n        address\n        state\n        lastHeartbeatAt\n        signingTokenLoggedIn\n        generator\n      }\n    }\n  }\n": types.CentralServerClusterDocument,
    "\n  query ConfVersions {\n    globalConfigurationVersions(first: 10) {\n      version\n      contentId\n      generatedAt\n      expiresAt\n      hash\n      current\n      parts {\n        contentIdentifier\n        fileName\n        hashAlgorithm\n        hash\n        downloadPath\n      }\n    }\n    configurationSigningKeys {\n      keyId\n      sourceType\n      algorithm\n      active\n      createdAt\n      certificate {\n        subject\n        notAfter\n        sha256\n      }\n    }\n  }\n": types.ConfVersionsDocument,
    "\n  fragment ConfStatus on GlobalConfigurationStatus {\n    instanceIdentifier\n    version\n    generatedAt\n    expiresAt\n    lastSuccessAt\n    error\n    failingSince\n  }\n": types.ConfStatusFragmentDoc,
    "\n  query GlobalConfStatus {\n    globalConfigurationStatus {\n      ...ConfStatus\n    }\n  }\n": types.GlobalConfStatusDocument,
    "\n  subscription GlobalConfChanged {\n    globalConfigurationChanged {\n      ...ConfStatus\n    }\n  }\n": types.GlobalConfChangedDocument,
    "\n  mutation GenerateKey($tokenId: ID!, $label: String, $algorithm: KeyAlgorithm) {\n    generateKey(tokenId: $tokenId, label: $label, algorithm: $algorithm) {\n      id\n      name\n    }\n  }\n": types.GenerateKeyDocument,
    "\n  mutation GenerateCsr($input: GenerateCsrInput!) {\n    generateCsr(input: $input) {\n      ...CsrFields\n    }\n  }\n": types.GenerateCsrDocument,
    "\n  query CertificateDetail($id: ID!) {\n    node(id: $id) {\n      __typename\n      ... on Certificate {\n        ...CertificateFields\n        pem\n        renewal {\n          startedAt\n          renewedBy {\n            id\n            sha256\n            status\n          }\n        }\n        details {\n          subject\n          issuer\n          serialNumber\n          version\n          notBefore\n          notAfter\n          signatureAlgorithm\n          publicKeyAlgorithm\n          publicKeySize\n          ecCurve\n          keyUsages\n          extendedKeyUsages\n          subjectAlternativeNames\n          sha1\n          sha256\n          ocspResponderUrls\n          authorityKeyId\n          subjectKeyId\n          extensions {\n            oid\n            name\n            critical\n            value\n          }\n        }\n        ocspResponse {\n          status\n          producedAt\n          thisUpdate\n          nextUpdate\n          revokedAt\n          responder\n        }\n      }\n    }\n  }\n": types.CertificateDetailDocument,
    "\n  mutation UnregisterAuthCertificate($certificateId: ID!) {\n    unregisterAuthCertificate(certificateId: $certificateId) {\n      ...CertificateFields\n    }\n  }\n": types.UnregisterAuthCertificateDocument,
    "\n  mutation MarkAuthCertForDeletion($certificateId: ID!) {\n    markAuthCertForDeletion(certificateId: $certificateId) {\n      ...CertificateFields\n    }\n  }\n": types.MarkAuthCertForDeletionDocument,
    "\n  mutation DeleteCertificate($certificateId: ID!) {\n    deleteCertificate(certificateId: $certificateId)\n  }\n": types.DeleteCertificateDocument,
    "\n  mutation ChangeTokenPin($tokenId: ID!, $oldPin: String!, $newPin: String!) {\n    changeTokenPin(tokenId: $tokenId, oldPin: $oldPin, newPin: $newPin) {\n      id\n      loggedIn\n      status\n      pinFailures\n      pinRetryAfter\n      possibleActions\n    }\n  }\n": types.ChangeTokenPinDocument,
    "\n  mutation DeleteCsr($csrId: ID!) {\n    deleteCsr(csrId: $csrId)\n  }\n": types.DeleteCsrDocument,
    "\n  query CsrCertificationAuthorities {\n    approvedCertificationAuthorities {\n      name\n      authenticationOnly\n      subjectDn\n      acmeCapable\n    }\n  }\n": types.CsrCertificationAuthoritiesDocument,
    "\n  query CsrSubjectFields($caName: String!, $usage: KeyUsage!, $memberId: String) {\n    csrSubjectFields(caName: $caName, usage: $usage, memberId: $memberId) {\n      id\n      label\n      defaultValue\n      readOnly\n      required\n    }\n  }\n": types.CsrSubjectFieldsDocument,
    "\n  mutation GenerateCsrForKey($input: GenerateCsrInput!) {\n    generateCsr(input: $input) {\n      ...CsrFields\n    }\n  }\n": types.GenerateCsrForKeyDocument,
    "\n  mutation ImportCertificate($certificate: String!) {\n    importCertificate(certificate: $certificate) {\n      ...CertificateFields\n    }\n  }\n": types.ImportCertificateDocument,
    "\n  mutation DeleteKey($keyId: ID!, $ignoreWarnings: Boolean) {\n    deleteKey(keyId: $keyId, ignoreWarnings: $ignoreWarnings)\n  }\n": types.DeleteKeyDocument,
    "\n  mutation LoginToken($tokenId: ID!, $pin: String!) {\n    loginToken(tokenId: $tokenId, pin: $pin) {\n      id\n      loggedIn\n      status\n      possibleActions\n    }\n  }\n": types.LoginTokenDocument,
    "\n  query AcmeOrderContext {\n    acmeSettings {\n      challengeListenAddress\n      autoActivateSigningCertificates\n    }\n    approvedCertificationAuthorities {\n      name\n      acmeCapable\n      acmeServerIpAddresses\n    }\n  }\n": types.AcmeOrderContextDocument,
    "\n  query AcmeEabStatus($caName: String!, $keyUsage: KeyUsage!, $memberId: String) {\n    hasAcmeExternalAccountBindingCredentials(caName: $caName, keyUsage: $keyUsage, memberId: $memberId) {\n      acmeEabRequired\n      hasAcmeExternalAccountCredentials\n    }\n  }\n": types.AcmeEabStatusDocument,
    "\n  mutation OrderAcmeCertificate($input: OrderAcmeCertificateInput!) {\n    orderAcmeCertificate(input: $input) {\n      ...CertificateFields\n    }\n  }\n": types.OrderAcmeCertificateDocument,
    "\n  mutation RegisterAuthCertificate($certificateId: ID!, $address: String!) {\n    registerAuthCertificate(certificateId: $certificateId, address: $address) {\n      ...CertificateFields\n    }\n  }\n": types.RegisterAuthCertificateDocument,
    "\n  query ServerAddress {\n    securityServerAddress\n  }\n": types.ServerAddressDocument,
    "\n  fragment CertificateFields on Certificate {\n    id\n    usage\n    status\n    active\n    ocspStatus\n    ocspUpdatedAt\n    ocspError\n    subject\n    issuer\n    serialNumber\n    notBefore\n    notAfter\n    memberId\n    registeredAddress\n    declineComment\n    managementRequestId\n    deletionRequestId\n    unregisteredAt\n    possibleActions\n    sha256\n    renewsSha256\n    renewal {\n      status\n      step\n      nextRenewalAt\n      lastError\n      failures\n      retryAt\n    }\n  }\n": types.CertificateFieldsFragmentDoc,
    "\n  fragment CsrFields on CertificateSigningRequest {\n    id\n    usage\n    memberId\n    caName\n    subject\n    createdAt\n    pem\n    der\n    pemName: fileName(format: PEM)\n    derName: fileName(format: DER)\n    possibleActions\n  }\n": types.CsrFieldsFragmentDoc,
    "\n  fragment KeyFields on Key {\n    id\n    keyId\n    name\n    label\n    usage\n    algorithm\n    possibleActions\n    certificates {\n      ...CertificateFields\n    }\n    csrs {\n      ...CsrFields\n    }\n  }\n": types.KeyFieldsFragmentDoc,
    "\n  fragment TokenFields on Token {\n    id\n    tokenId\n    name\n    type\n    loggedIn\n    available\n    status\n    possibleActions\n    serialNumber\n    label\n    pinFailures\n    pinRetryAfter\n    keys {\n      ...KeyFields\n    }\n  }\n": types.TokenFieldsFragmentDoc,
    "\n  query CsrMemberOptions {\n    securityServerClients {\n      memberId\n      subsystemCode\n      name\n      owner\n    }\n  }\n": types.CsrMemberOptionsDocument,
    "\n  query ApprovedTimestampingServices {\n    approvedTimestampingServices {\n      name\n      url\n    }\n  }\n": types.ApprovedTimestampingServicesDocument,
    "\n  mutation AddTimestampingService($name: String!, $url: String!) {\n    addTimestampingService(name: $name, url: $url) {\n      id\n      name\n      url\n    }\n  }\n": types.AddTimestampingServiceDocument,
    "\n  query CertificateStatusSeed {\n    tokens {\n      id\n      keys {\n        id\n        certificates {\n          id\n          status\n        }\n      }\n    }\n  }\n": types.CertificateStatusSeedDocument,
    "\n  subscription AuthCertificateRegistered {\n    authCertificateRegistered {\n      id\n      status\n      active\n      usage\n      subject\n      declineComment\n    }\n  }\n": types.AuthCertificateRegisteredDocument,
    "\n  subscription CertificateChangedForNotice {\n    certificateStatusChanged {\n      id\n      status\n      active\n      usage\n      subject\n      declineComment\n    }\n  }\n": types.CertificateChangedForNoticeDocument,
    "\n  query RegistrationChecklist {\n    timestampingServices {\n      id\n    }\n    tokens {\n      id\n      type\n      loggedIn\n      keys {\n        id\n        certificates {\n          id\n          usage\n          status\n          active\n          ocspStatus\n        }\n      }\n    }\n  }\n": types.RegistrationChecklistDocument,
    "\n  subscription ChecklistCertificateChanged {\n    certificateStatusChanged {\n      id\n      status\n      active\n      ocspStatus\n    }\n  }\n": types.ChecklistCertificateChangedDocument,
    "\n  query CurrentAnchor {\n    anchor {\n      ...AnchorFields\n    }\n  }\n": types.CurrentAnchorDocument,
    "\n  mutation UploadAnchor($anchor: String!) {\n    uploadAnchor(anchor: $anchor) {\n      ...AnchorFields\n    }\n  }\n": types.UploadAnchorDocument,
    "\n  query OwnerName($memberClass: String!, $memberCode: String!) {\n    memberName(memberClass: $memberClass, memberCode: $memberCode)\n  }\n": types.OwnerNameDocument,
    "\n  mutation InitializeSecurityServer($input: InitializeSecurityServerInput!) {\n    initializeSecurityServer(input: $input) {\n      role\n      initialized\n      securityServerId\n    }\n  }\n": types.InitializeSecurityServerDocument,
    "\n  query CheckTimestampingService($url: String!) {\n    checkTimestampingService(url: $url) {\n      url\n      reachable\n      error\n      checkedAt\n    }\n  }\n": types.CheckTimestampingServiceDocument,
    "\n  mutation AddUser($input: AddUserInput!) {\n    addUser(input: $input) {\n      id\n      username\n    }\n  }\n": types.AddUserDocument,
    "\n  mutation ChangePassword($currentPassword: String!, $newPassword: String!) {\n    changePassword(currentPassword: $currentPassword, newPassword: $newPassword)\n  }\n": types.ChangePasswordDocument,
    "\n  mutation CreateApiKey($name: String, $roles: [Role!]!) {\n    createApiKey(name: $name, roles: $roles) {\n      key\n      apiKey {\n        id\n        name\n      }\n    }\n  }\n": types.CreateApiKeyDocument,
    "\n  mutation ResetUserPassword($id: ID!, $password: String!) {\n    resetUserPassword(id: $id, password: $password) {\n      id\n    }\n  }\n": types.ResetUserPasswordDocument,
    "\n  mutation SetUserRoles($id: ID!, $roles: [Role!]!) {\n    setUserRoles(id: $id, roles: $roles) {\n      id\n      roles\n    }\n  }\n": types.SetUserRolesDocument,
    "\n  query Shell {\n    serverInfo {\n      role\n      initialized\n      instanceIdentifier\n      securityServerId\n      version\n    }\n  }\n": types.ShellDocument,
    "\n  query AcmeAccounts {\n    acmeSettings {\n      challengeListenAddress\n      autoActivateSigningCertificates\n    }\n    acmeAccounts {\n      ...AcmeAccountFields\n    }\n  }\n": types.AcmeAccountsDocument,
    "\n  query AcmeCertificationAuthorities {\n    approvedCertificationAuthorities {\n      name\n      authenticationOnly\n      acmeCapable\n      acmeServerDirectoryUrl\n      acmeServerIpAddresses\n    }\n  }\n": types.AcmeCertificationAuthoritiesDocument,
    "\n  mutation DeleteAcmeAccount($id: ID!) {\n    deleteAcmeAccount(id: $id)\n  }\n": types.DeleteAcmeAccountDocument,
    "\n  query AuditEvents($first: Int, $after: String, $where: AuditEventWhereInput) {\n    auditEvents(first: $first, after: $after, where: $where) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        hasPreviousPage\n        startCursor\n        endCursor\n      }\n      edges {\n        node {\n          id\n          createdAt\n          event\n          actor\n          success\n          data\n        }\n      }\n    }\n  }\n": types.AuditEventsDocument,
    "\n  query SecurityServerClients {\n    securityServerClients {\n      memberId\n      subsystemCode\n      name\n      owner\n      status\n    }\n  }\n": types.SecurityServerClientsDocument,
    "\n  query Diagnostics {\n    diagnostics {\n      globalConfiguration {\n        statusClass\n        sourceUrl\n        lastAttemptAt\n        nextUpdateAt\n        status {\n          version\n          expiresAt\n          lastSuccessAt\n          error\n          failingSince\n        }\n      }\n      timestampingServices {\n        name\n        url\n        reachable\n        error\n        checkedAt\n      }\n      ocspResponders {\n        name\n        url\n        reachable\n        error\n        checkedAt\n      }\n      managementService {\n        url\n        reachable\n        error\n        checkedAt\n      }\n      clockOffset {\n        offsetSeconds\n        source\n        resolutionSeconds\n      }\n    }\n    securityServerAddress\n  }\n": types.DiagnosticsDocument,
    "\n  query ConfigurationAnchor {\n    configurationAnchor\n  }\n": types.ConfigurationAnchorDocument,
    "\n  query ConfigurationAnchorInfo {\n    configurationAnchorInfo {\n      ...AnchorFields\n    }\n  }\n": types.ConfigurationAnchorInfoDocument,
    "\n  mutation GenerateGlobalConfiguration {\n    generateGlobalConfiguration {\n      ...ConfStatus\n    }\n  }\n": types.GenerateGlobalConfigurationDocument,
    "\n  mutation RefreshGlobalConfiguration {\n    refreshGlobalConfiguration {\n      ...ConfStatus\n    }\n  }\n": types.RefreshGlobalConfigurationDocument,
    "\n  query SecurityAnchor {\n    anchor {\n      ...AnchorFields\n    }\n  }\n": types.SecurityAnchorDocument,
    "\n  query Tokens {\n    tokens {\n      ...TokenFields\n    }\n  }\n": types.TokensDocument,
    "\n  query KeysAcmeCAs {\n    approvedCertificationAuthorities {\n      name\n      acmeCapable\n    }\n  }\n": types.KeysAcmeCAsDocument,
    "\n  subscription KeysCertificateChanged {\n    certificateStatusChanged {\n      ...CertificateFields\n    }\n  }\n": types.KeysCertificateChangedDocument,
    "\n  subscription KeysTokenChanged {\n    tokenChanged {\n      id\n      loggedIn\n      status\n      possibleActions\n    }\n  }\n": types.KeysTokenChangedDocument,
    "\n  subscription KeysCertificateRenewal {\n    certificateRenewal {\n      kind\n      certificateSha256\n      renewedBySha256\n      message\n      certificate {\n        id\n      }\n      at\n      auditEventId\n    }\n  }\n": types.KeysCertificateRenewalDocument,
    "\n  mutation LogoutToken($tokenId: ID!) {\n    logoutToken(tokenId: $tokenId) {\n      id\n      loggedIn\n      possibleActions\n    }\n  }\n": types.LogoutTokenDocument,
    "\n  mutation ActivateCertificate($certificateId: ID!) {\n    activateCertificate(certificateId: $certificateId) {\n      ...CertificateFields\n    }\n  }\n": types.ActivateCertificateDocument,
    "\n  mutation DeactivateCertificate($certificateId: ID!) {\n    deactivateCertificate(certificateId: $certificateId) {\n      ...CertificateFields\n    }\n  }\n": types.DeactivateCertificateDocument,
    "\n  query LoginServer {\n    serverInfo {\n      role\n      initialized\n      instanceIdentifier\n    }\n  }\n": types.LoginServerDocument,
    "\n  query ManagementRequestDetail($id: ID!) {\n    node(id: $id) {\n      __typename\n      ... on ManagementRequest {\n        id\n        requestId\n        createdAt\n        updatedAt\n        type\n        origin\n        status\n        serverId\n        securityServerOwnerName\n        address\n        comments\n        createdBy\n        pairedWith {\n          id\n          requestId\n          origin\n          status\n        }\n        authCertificate {\n          subject\n          issuer\n          serialNumber\n          notBefore\n          notAfter\n          sha256\n          pem\n        }\n      }\n    }\n  }\n": types.ManagementRequestDetailDocument,
    "\n  subscription RequestDetailChanged {\n    managementRequestChanged {\n      id\n      status\n      comments\n      updatedAt\n    }\n  }\n": types.RequestDetailChangedDocument,
    "\n  query ManagementRequests(\n    $first: Int\n    $after: String\n    $status: ManagementRequestStatus\n    $type: ManagementRequestType\n    $origin: ManagementRequestOrigin\n  ) {\n    managementRequests(\n      first: $first\n      after: $after\n      status: $status\n      type: $type\n      origin: $origin\n    ) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        hasPreviousPage\n        startCursor\n        endCursor\n      }\n      edges {\n        node {\n          id\n          requestId\n          createdAt\n          type\n          origin\n          status\n          serverId\n          securityServerOwnerName\n          address\n        }\n      }\n    }\n  }\n": types.ManagementRequestsDocument,
    "\n  subscription ManagementRequestChanged {\n    managementRequestChanged {\n      id\n      requestId\n      status\n      serverId\n    }\n  }\n": types.ManagementRequestChangedDocument,
    "\n  query MemberClasses {\n    memberClasses {\n      id\n      code\n      description\n      createdAt\n    }\n  }\n": types.MemberClassesDocument,
    "\n  query MemberDetail($id: ID!) {\n    node(id: $id) {\n      __typename\n      ... on Member {\n        id\n        memberId\n        memberCode\n        name\n        createdAt\n        memberClass {\n          id\n          code\n          description\n        }\n        subsystems {\n          id\n          subsystemCode\n          name\n        }\n        ownedServers {\n          id\n          serverCode\n          serverId\n          address\n          createdAt\n          authCertificates {\n            id\n            subject\n            issuer\n            serialNumber\n            notAfter\n            sha256\n          }\n        }\n      }\n    }\n  }\n": types.MemberDetailDocument,
    "\n  query MemberRequests($ownerClass: String!, $ownerCode: String!) {\n    managementRequests(first: 20, where: { serverOwnerClass: $ownerClass, serverOwnerCode: $ownerCode }) {\n      totalCount\n      edges {\n        node {\n          id\n          requestId\n          type\n          origin\n          status\n          serverCode\n          createdAt\n        }\n      }\n    }\n  }\n": types.MemberRequestsDocument,
    "\n  query Members($first: Int, $after: String, $search: String) {\n    members(first: $first, after: $after, search: $search) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        hasPreviousPage\n        startCursor\n        endCursor\n      }\n      edges {\n        node {\n          id\n          memberId\n          memberCode\n          name\n          memberClass {\n            id\n            code\n          }\n          ownedServers {\n            id\n            serverCode\n          }\n        }\n      }\n    }\n  }\n": types.MembersDocument,
    "\n  query Overview {\n    serverInfo {\n      role\n      initialized\n      instanceIdentifier\n      securityServerId\n      version\n    }\n    me {\n      username\n      roles\n    }\n  }\n": types.OverviewDocument,
    "\n  query SecurityServerDetail($id: ID!) {\n    node(id: $id) {\n      __typename\n      ... on SecurityServer {\n        id\n        serverId\n        serverCode\n        address\n        status\n        createdAt\n        owner {\n          id\n          name\n          memberId\n        }\n        authCertificates {\n          id\n          subject\n          issuer\n          serialNumber\n          notBefore\n          notAfter\n          sha256\n        }\n      }\n    }\n  }\n": types.SecurityServerDetailDocument,
    "\n  query SecurityServerRequests($serverId: String!) {\n    managementRequests(first: 50, serverId: $serverId) {\n      totalCount\n      edges {\n        node {\n          id\n          requestId\n          type\n          origin\n          status\n          createdAt\n        }\n      }\n    }\n  }\n": types.SecurityServerRequestsDocument,
    "\n  query SecurityServers(\n    $first: Int\n    $after: String\n    $search: String\n    $status: SecurityServerStatus\n    $where: SecurityServerWhereInput\n  ) {\n    securityServers(first: $first, after: $after, search: $search, status: $status, where: $where) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        hasPreviousPage\n        startCursor\n        endCursor\n      }\n      edges {\n        node {\n          id\n          serverId\n          serverCode\n          address\n          status\n          owner {\n            id\n            name\n            memberId\n          }\n        }\n      }\n    }\n  }\n": types.SecurityServersDocument,
    "\n  query ServerOwnerOptions {\n    members(first: 100) {\n      edges {\n        node {\n          id\n          name\n          memberId\n        }\n      }\n    }\n  }\n": types.ServerOwnerOptionsDocument,
    "\n  query TimestampingServices {\n    timestampingServices {\n      id\n      name\n      url\n    }\n  }\n": types.TimestampingServicesDocument,
    "\n  mutation DeleteTimestampingService($id: ID!) {\n    deleteTimestampingService(id: $id)\n  }\n": types.DeleteTimestampingServiceDocument,
    "\n  query ApprovedCAs {\n    approvedCertificationServices {\n      id\n      name\n      subjectDn\n      issuerDn\n      notBefore\n      notAfter\n      authenticationOnly\n      certificateProfileInfo\n      defaultCsrFormat\n      acmeServerDirectoryUrl\n      acmeServerIpAddress\n      authenticationCertificateProfileId\n      signingCertificateProfileId\n      ocspResponderUrls\n      sha256\n    }\n  }\n": types.ApprovedCAsDocument,
    "\n  query ApprovedTSAs {\n    approvedTimestampingAuthorities {\n      id\n      name\n      url\n      notAfter\n      sha256\n    }\n  }\n": types.ApprovedTsAsDocument,
    "\n  query Users {\n    users {\n      id\n      username\n      roles\n      disabled\n      createdAt\n    }\n  }\n": types.UsersDocument,
    "\n  query ApiKeys {\n    apiKeys {\n      id\n      name\n      roles\n      createdAt\n    }\n  }\n": types.ApiKeysDocument,
    "\n  query Sessions {\n    sessions {\n      id\n      username\n      clientAddress\n      createdAt\n      lastSeenAt\n      expiresAt\n      current\n    }\n  }\n": types.SessionsDocument,
    "\n  mutation DisableUser($id: ID!) {\n    disableUser(id: $id) {\n      id\n      disabled\n    }\n  }\n": types.DisableUserDocument,
    "\n  mutation EnableUser($id: ID!) {\n    enableUser(id: $id) {\n      id\n      disabled\n    }\n  }\n": types.EnableUserDocument,
    "\n  mutation RevokeApiKey($id: ID!) {\n    revokeApiKey(id: $id) {\n      id\n      revokedAt\n    }\n  }\n": types.RevokeApiKeyDocument,
    "\n  mutation EndSession($id: ID!) {\n    endSession(id: $id)\n  }\n": types.EndSessionDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CurrentUser {\n    me {\n      username\n      roles\n      permissions\n    }\n  }\n"): (typeof documents)["\n  query CurrentUser {\n    me {\n      username\n      roles\n      permissions\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment AcmeAccountFields on AcmeAccount {\n    id\n    caName\n    memberId\n    keyUsage\n    eabKeyId\n    eabMacKeySet\n    contactEmail\n    registered\n    accountUrl\n  }\n"): (typeof documents)["\n  fragment AcmeAccountFields on AcmeAccount {\n    id\n    caName\n    memberId\n    keyUsage\n    eabKeyId\n    eabMacKeySet\n    contactEmail\n    registered\n    accountUrl\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetAcmeAccount($input: SetAcmeAccountInput!) {\n    setAcmeAccount(input: $input) {\n      ...AcmeAccountFields\n    }\n  }\n"): (typeof documents)["\n  mutation SetAcmeAccount($input: SetAcmeAccountInput!) {\n    setAcmeAccount(input: $input) {\n      ...AcmeAccountFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AddApprovedCA($input: AddApprovedCertificationServiceInput!) {\n    addApprovedCertificationService(input: $input) {\n      id\n      name\n    }\n  }\n"): (typeof documents)["\n  mutation AddApprovedCA($input: AddApprovedCertificationServiceInput!) {\n    addApprovedCertificationService(input: $input) {\n      id\n      name\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AddMemberClass($code: String!, $description: String!) {\n    addMemberClass(code: $code, description: $description) {\n      id\n      code\n    }\n  }\n"): (typeof documents)["\n  mutation AddMemberClass($code: String!, $description: String!) {\n    addMemberClass(code: $code, description: $description) {\n      id\n      code\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MemberClassOptions {\n    memberClasses {\n      id\n      code\n      description\n    }\n  }\n"): (typeof documents)["\n  query MemberClassOptions {\n    memberClasses {\n      id\n      code\n      description\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AddMember($memberClass: String!, $memberCode: String!, $name: String!) {\n    addMember(memberClass: $memberClass, memberCode: $memberCode, name: $name) {\n      id\n      memberId\n      name\n    }\n  }\n"): (typeof documents)["\n  mutation AddMember($memberClass: String!, $memberCode: String!, $name: String!) {\n    addMember(memberClass: $memberClass, memberCode: $memberCode, name: $name) {\n      id\n      memberId\n      name\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AddOwnedSecurityServer($memberId: String!, $serverCode: String!, $authCertificate: String!) {\n    addOwnedSecurityServer(memberId: $memberId, serverCode: $serverCode, authCertificate: $authCertificate) {\n      id\n      requestId\n      serverId\n      status\n    }\n  }\n"): (typeof documents)["\n  mutation AddOwnedSecurityServer($memberId: String!, $serverCode: String!, $authCertificate: String!) {\n    addOwnedSecurityServer(memberId: $memberId, serverCode: $serverCode, authCertificate: $authCertificate) {\n      id\n      requestId\n      serverId\n      status\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AddApprovedTSA($input: AddApprovedTimestampingAuthorityInput!) {\n    addApprovedTimestampingAuthority(input: $input) {\n      id\n      name\n    }\n  }\n"): (typeof documents)["\n  mutation AddApprovedTSA($input: AddApprovedTimestampingAuthorityInput!) {\n    addApprovedTimestampingAuthority(input: $input) {\n      id\n      name\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ApproveManagementRequest($id: ID!) {\n    approveManagementRequest(id: $id) {\n      id\n      status\n      updatedAt\n    }\n  }\n"): (typeof documents)["\n  mutation ApproveManagementRequest($id: ID!) {\n    approveManagementRequest(id: $id) {\n      id\n      status\n      updatedAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation InitializeCentralServer($input: InitializeCentralServerInput!) {\n    initializeCentralServer(input: $input) {\n      role\n      initialized\n      instanceIdentifier\n    }\n  }\n"): (typeof documents)["\n  mutation InitializeCentralServer($input: InitializeCentralServerInput!) {\n    initializeCentralServer(input: $input) {\n      role\n      initialized\n      instanceIdentifier\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeclineManagementRequest($id: ID!, $comments: String) {\n    declineManagementRequest(id: $id, comments: $comments) {\n      id\n      status\n      comments\n      updatedAt\n    }\n  }\n"): (typeof documents)["\n  mutation DeclineManagementRequest($id: ID!, $comments: String) {\n    declineManagementRequest(id: $id, comments: $comments) {\n      id\n      status\n      comments\n      updatedAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteSecurityServerAuthCertificate($serverId: String!, $authCertificateId: ID!) {\n    deleteSecurityServerAuthCertificate(serverId: $serverId, authCertificateId: $authCertificateId) {\n      id\n      requestId\n      status\n    }\n  }\n"): (typeof documents)["\n  mutation DeleteSecurityServerAuthCertificate($serverId: String!, $authCertificateId: ID!) {\n    deleteSecurityServerAuthCertificate(serverId: $serverId, authCertificateId: $authCertificateId) {\n      id\n      requestId\n      status\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateApprovedCA($id: ID!, $input: CertificationServiceSettingsInput!) {\n    updateApprovedCertificationService(id: $id, input: $input) {\n      id\n      name\n      authenticationOnly\n      certificateProfileInfo\n      defaultCsrFormat\n      acmeServerDirectoryUrl\n      acmeServerIpAddress\n      authenticationCertificateProfileId\n      signingCertificateProfileId\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateApprovedCA($id: ID!, $input: CertificationServiceSettingsInput!) {\n    updateApprovedCertificationService(id: $id, input: $input) {\n      id\n      name\n      authenticationOnly\n      certificateProfileInfo\n      defaultCsrFormat\n      acmeServerDirectoryUrl\n      acmeServerIpAddress\n      authenticationCertificateProfileId\n      signingCertificateProfileId\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation LoginCentralServerToken($pin: String!) {\n    loginCentralServerToken(pin: $pin) {\n      ...ConfStatus\n    }\n  }\n"): (typeof documents)["\n  mutation LoginCentralServerToken($pin: String!) {\n    loginCentralServerToken(pin: $pin) {\n      ...ConfStatus\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query WaitingRequestCount {\n    managementRequests(status: WAITING, first: 1) {\n      totalCount\n    }\n  }\n"): (typeof documents)["\n  query WaitingRequestCount {\n    managementRequests(status: WAITING, first: 1) {\n      totalCount\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription RequestChangedForCount {\n    managementRequestChanged {\n      id\n      status\n    }\n  }\n"): (typeof documents)["\n  subscription RequestChangedForCount {\n    managementRequestChanged {\n      id\n      status\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment AnchorFields on Anchor {\n    hash\n    generatedAt\n    instanceIdentifier\n  }\n"): (typeof documents)["\n  fragment AnchorFields on Anchor {\n    hash\n    generatedAt\n    instanceIdentifier\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CentralServerCluster {\n    centralServerCluster {\n      highAvailability\n      nodeName\n      generator\n      lastVersion\n      lastGeneratedAt\n      lastGeneratedBy\n      allNodesOk\n      nodes {\n        name\n        address\n        state\n        lastHeartbeatAt\n        signingTokenLoggedIn\n        generator\n      }\n    }\n  }\n"): (typeof documents)["\n  query CentralServerCluster {\n    centralServerCluster {\n      highAvailability\n      nodeName\n      generator\n      lastVersion\n      lastGeneratedAt\n      lastGeneratedBy\n      allNodesOk\n      nodes {\n        name\n        address\n        state\n        lastHeartbeatAt\n        signingTokenLoggedIn\n        generator\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConfVersions {\n    globalConfigurationVersions(first: 10) {\n      version\n      contentId\n      generatedAt\n      expiresAt\n      hash\n      current\n      parts {\n        contentIdentifier\n        fileName\n        hashAlgorithm\n        hash\n        downloadPath\n      }\n    }\n    configurationSigningKeys {\n      keyId\n      sourceType\n      algorithm\n      active\n      createdAt\n      certificate {\n        subject\n        notAfter\n        sha256\n      }\n    }\n  }\n"): (typeof documents)["\n  query ConfVersions {\n    globalConfigurationVersions(first: 10) {\n      version\n      contentId\n      generatedAt\n      expiresAt\n      hash\n      current\n      parts {\n        contentIdentifier\n        fileName\n        hashAlgorithm\n        hash\n        downloadPath\n      }\n    }\n    configurationSigningKeys {\n      keyId\n      sourceType\n      algorithm\n      active\n      createdAt\n      certificate {\n        subject\n        notAfter\n        sha256\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ConfStatus on GlobalConfigurationStatus {\n    instanceIdentifier\n    version\n    generatedAt\n    expiresAt\n    lastSuccessAt\n    error\n    failingSince\n  }\n"): (typeof documents)["\n  fragment ConfStatus on GlobalConfigurationStatus {\n    instanceIdentifier\n    version\n    generatedAt\n    expiresAt\n    lastSuccessAt\n    error\n    failingSince\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query GlobalConfStatus {\n    globalConfigurationStatus {\n      ...ConfStatus\n    }\n  }\n"): (typeof documents)["\n  query GlobalConfStatus {\n    globalConfigurationStatus {\n      ...ConfStatus\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription GlobalConfChanged {\n    globalConfigurationChanged {\n      ...ConfStatus\n    }\n  }\n"): (typeof documents)["\n  subscription GlobalConfChanged {\n    globalConfigurationChanged {\n      ...ConfStatus\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation GenerateKey($tokenId: ID!, $label: String, $algorithm: KeyAlgorithm) {\n    generateKey(tokenId: $tokenId, label: $label, algorithm: $algorithm) {\n      id\n      name\n    }\n  }\n"): (typeof documents)["\n  mutation GenerateKey($tokenId: ID!, $label: String, $algorithm: KeyAlgorithm) {\n    generateKey(tokenId: $tokenId, label: $label, algorithm: $algorithm) {\n      id\n      name\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation GenerateCsr($input: GenerateCsrInput!) {\n    generateCsr(input: $input) {\n      ...CsrFields\n    }\n  }\n"): (typeof documents)["\n  mutation GenerateCsr($input: GenerateCsrInput!) {\n    generateCsr(input: $input) {\n      ...CsrFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CertificateDetail($id: ID!) {\n    node(id: $id) {\n      __typename\n      ... on Certificate {\n        ...CertificateFields\n        pem\n        renewal {\n          startedAt\n          renewedBy {\n            id\n            sha256\n            status\n          }\n        }\n        details {\n          subject\n          issuer\n          serialNumber\n          version\n          notBefore\n          notAfter\n          signatureAlgorithm\n          publicKeyAlgorithm\n          publicKeySize\n          ecCurve\n          keyUsages\n          extendedKeyUsages\n          subjectAlternativeNames\n          sha1\n          sha256\n          ocspResponderUrls\n          authorityKeyId\n          subjectKeyId\n          extensions {\n            oid\n            name\n            critical\n            value\n          }\n        }\n        ocspResponse {\n          status\n          producedAt\n          thisUpdate\n          nextUpdate\n          revokedAt\n          responder\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query CertificateDetail($id: ID!) {\n    node(id: $id) {\n      __typename\n      ... on Certificate {\n        ...CertificateFields\n        pem\n        renewal {\n          startedAt\n          renewedBy {\n            id\n            sha256\n            status\n          }\n        }\n        details {\n          subject\n          issuer\n          serialNumber\n          version\n          notBefore\n          notAfter\n          signatureAlgorithm\n          publicKeyAlgorithm\n          publicKeySize\n          ecCurve\n          keyUsages\n          extendedKeyUsages\n          subjectAlternativeNames\n          sha1\n          sha256\n          ocspResponderUrls\n          authorityKeyId\n          subjectKeyId\n          extensions {\n            oid\n            name\n            critical\n            value\n          }\n        }\n        ocspResponse {\n          status\n          producedAt\n          thisUpdate\n          nextUpdate\n          revokedAt\n          responder\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UnregisterAuthCertificate($certificateId: ID!) {\n    unregisterAuthCertificate(certificateId: $certificateId) {\n      ...CertificateFields\n    }\n  }\n"): (typeof documents)["\n  mutation UnregisterAuthCertificate($certificateId: ID!) {\n    unregisterAuthCertificate(certificateId: $certificateId) {\n      ...CertificateFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation MarkAuthCertForDeletion($certificateId: ID!) {\n    markAuthCertForDeletion(certificateId: $certificateId) {\n      ...CertificateFields\n    }\n  }\n"): (typeof documents)["\n  mutation MarkAuthCertForDeletion($certificateId: ID!) {\n    markAuthCertForDeletion(certificateId: $certificateId) {\n      ...CertificateFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteCertificate($certificateId: ID!) {\n    deleteCertificate(certificateId: $certificateId)\n  }\n"): (typeof documents)["\n  mutation DeleteCertificate($certificateId: ID!) {\n    deleteCertificate(certificateId: $certificateId)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ChangeTokenPin($tokenId: ID!, $oldPin: String!, $newPin: String!) {\n    changeTokenPin(tokenId: $tokenId, oldPin: $oldPin, newPin: $newPin) {\n      id\n      loggedIn\n      status\n      pinFailures\n      pinRetryAfter\n      possibleActions\n    }\n  }\n"): (typeof documents)["\n  mutation ChangeTokenPin($tokenId: ID!, $oldPin: String!, $newPin: String!) {\n    changeTokenPin(tokenId: $tokenId, oldPin: $oldPin, newPin: $newPin) {\n      id\n      loggedIn\n      status\n      pinFailures\n      pinRetryAfter\n      possibleActions\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteCsr($csrId: ID!) {\n    deleteCsr(csrId: $csrId)\n  }\n"): (typeof documents)["\n  mutation DeleteCsr($csrId: ID!) {\n    deleteCsr(csrId: $csrId)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CsrCertificationAuthorities {\n    approvedCertificationAuthorities {\n      name\n      authenticationOnly\n      subjectDn\n      acmeCapable\n    }\n  }\n"): (typeof documents)["\n  query CsrCertificationAuthorities {\n    approvedCertificationAuthorities {\n      name\n      authenticationOnly\n      subjectDn\n      acmeCapable\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CsrSubjectFields($caName: String!, $usage: KeyUsage!, $memberId: String) {\n    csrSubjectFields(caName: $caName, usage: $usage, memberId: $memberId) {\n      id\n      label\n      defaultValue\n      readOnly\n      required\n    }\n  }\n"): (typeof documents)["\n  query CsrSubjectFields($caName: String!, $usage: KeyUsage!, $memberId: String) {\n    csrSubjectFields(caName: $caName, usage: $usage, memberId: $memberId) {\n      id\n      label\n      defaultValue\n      readOnly\n      required\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation GenerateCsrForKey($input: GenerateCsrInput!) {\n    generateCsr(input: $input) {\n      ...CsrFields\n    }\n  }\n"): (typeof documents)["\n  mutation GenerateCsrForKey($input: GenerateCsrInput!) {\n    generateCsr(input: $input) {\n      ...CsrFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ImportCertificate($certificate: String!) {\n    importCertificate(certificate: $certificate) {\n      ...CertificateFields\n    }\n  }\n"): (typeof documents)["\n  mutation ImportCertificate($certificate: String!) {\n    importCertificate(certificate: $certificate) {\n      ...CertificateFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteKey($keyId: ID!, $ignoreWarnings: Boolean) {\n    deleteKey(keyId: $keyId, ignoreWarnings: $ignoreWarnings)\n  }\n"): (typeof documents)["\n  mutation DeleteKey($keyId: ID!, $ignoreWarnings: Boolean) {\n    deleteKey(keyId: $keyId, ignoreWarnings: $ignoreWarnings)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation LoginToken($tokenId: ID!, $pin: String!) {\n    loginToken(tokenId: $tokenId, pin: $pin) {\n      id\n      loggedIn\n      status\n      possibleActions\n    }\n  }\n"): (typeof documents)["\n  mutation LoginToken($tokenId: ID!, $pin: String!) {\n    loginToken(tokenId: $tokenId, pin: $pin) {\n      id\n      loggedIn\n      status\n      possibleActions\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AcmeOrderContext {\n    acmeSettings {\n      challengeListenAddress\n      autoActivateSigningCertificates\n    }\n    approvedCertificationAuthorities {\n      name\n      acmeCapable\n      acmeServerIpAddresses\n    }\n  }\n"): (typeof documents)["\n  query AcmeOrderContext {\n    acmeSettings {\n      challengeListenAddress\n      autoActivateSigningCertificates\n    }\n    approvedCertificationAuthorities {\n      name\n      acmeCapable\n      acmeServerIpAddresses\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AcmeEabStatus($caName: String!, $keyUsage: KeyUsage!, $memberId: String) {\n    hasAcmeExternalAccountBindingCredentials(caName: $caName, keyUsage: $keyUsage, memberId: $memberId) {\n      acmeEabRequired\n      hasAcmeExternalAccountCredentials\n    }\n  }\n"): (typeof documents)["\n  query AcmeEabStatus($caName: String!, $keyUsage: KeyUsage!, $memberId: String) {\n    hasAcmeExternalAccountBindingCredentials(caName: $caName, keyUsage: $keyUsage, memberId: $memberId) {\n      acmeEabRequired\n      hasAcmeExternalAccountCredentials\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation OrderAcmeCertificate($input: OrderAcmeCertificateInput!) {\n    orderAcmeCertificate(input: $input) {\n      ...CertificateFields\n    }\n  }\n"): (typeof documents)["\n  mutation OrderAcmeCertificate($input: OrderAcmeCertificateInput!) {\n    orderAcmeCertificate(input: $input) {\n      ...CertificateFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RegisterAuthCertificate($certificateId: ID!, $address: String!) {\n    registerAuthCertificate(certificateId: $certificateId, address: $address) {\n      ...CertificateFields\n    }\n  }\n"): (typeof documents)["\n  mutation RegisterAuthCertificate($certificateId: ID!, $address: String!) {\n    registerAuthCertificate(certificateId: $certificateId, address: $address) {\n      ...CertificateFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ServerAddress {\n    securityServerAddress\n  }\n"): (typeof documents)["\n  query ServerAddress {\n    securityServerAddress\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment CertificateFields on Certificate {\n    id\n    usage\n    status\n    active\n    ocspStatus\n    ocspUpdatedAt\n    ocspError\n    subject\n    issuer\n    serialNumber\n    notBefore\n    notAfter\n    memberId\n    registeredAddress\n    declineComment\n    managementRequestId\n    deletionRequestId\n    unregisteredAt\n    possibleActions\n    sha256\n    renewsSha256\n    renewal {\n      status\n      step\n      nextRenewalAt\n      lastError\n      failures\n      retryAt\n    }\n  }\n"): (typeof documents)["\n  fragment CertificateFields on Certificate {\n    id\n    usage\n    status\n    active\n    ocspStatus\n    ocspUpdatedAt\n    ocspError\n    subject\n    issuer\n    serialNumber\n    notBefore\n    notAfter\n    memberId\n    registeredAddress\n    declineComment\n    managementRequestId\n    deletionRequestId\n    unregisteredAt\n    possibleActions\n    sha256\n    renewsSha256\n    renewal {\n      status\n      step\n      nextRenewalAt\n      lastError\n      failures\n      retryAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment CsrFields on CertificateSigningRequest {\n    id\n    usage\n    memberId\n    caName\n    subject\n    createdAt\n    pem\n    der\n    pemName: fileName(format: PEM)\n    derName: fileName(format: DER)\n    possibleActions\n  }\n"): (typeof documents)["\n  fragment CsrFields on CertificateSigningRequest {\n    id\n    usage\n    memberId\n    caName\n    subject\n    createdAt\n    pem\n    der\n    pemName: fileName(format: PEM)\n    derName: fileName(format: DER)\n    possibleActions\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment KeyFields on Key {\n    id\n    keyId\n    name\n    label\n    usage\n    algorithm\n    possibleActions\n    certificates {\n      ...CertificateFields\n    }\n    csrs {\n      ...CsrFields\n    }\n  }\n"): (typeof documents)["\n  fragment KeyFields on Key {\n    id\n    keyId\n    name\n    label\n    usage\n    algorithm\n    possibleActions\n    certificates {\n      ...CertificateFields\n    }\n    csrs {\n      ...CsrFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment TokenFields on Token {\n    id\n    tokenId\n    name\n    type\n    loggedIn\n    available\n    status\n    possibleActions\n    serialNumber\n    label\n    pinFailures\n    pinRetryAfter\n    keys {\n      ...KeyFields\n    }\n  }\n"): (typeof documents)["\n  fragment TokenFields on Token {\n    id\n    tokenId\n    name\n    type\n    loggedIn\n    available\n    status\n    possibleActions\n    serialNumber\n    label\n    pinFailures\n    pinRetryAfter\n    keys {\n      ...KeyFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CsrMemberOptions {\n    securityServerClients {\n      memberId\n      subsystemCode\n      name\n      owner\n    }\n  }\n"): (typeof documents)["\n  query CsrMemberOptions {\n    securityServerClients {\n      memberId\n      subsystemCode\n      name\n      owner\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ApprovedTimestampingServices {\n    approvedTimestampingServices {\n      name\n      url\n    }\n  }\n"): (typeof documents)["\n  query ApprovedTimestampingServices {\n    approvedTimestampingServices {\n      name\n      url\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AddTimestampingService($name: String!, $url: String!) {\n    addTimestampingService(name: $name, url: $url) {\n      id\n      name\n      url\n    }\n  }\n"): (typeof documents)["\n  mutation AddTimestampingService($name: String!, $url: String!) {\n    addTimestampingService(name: $name, url: $url) {\n      id\n      name\n      url\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CertificateStatusSeed {\n    tokens {\n      id\n      keys {\n        id\n        certificates {\n          id\n          status\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query CertificateStatusSeed {\n    tokens {\n      id\n      keys {\n        id\n        certificates {\n          id\n          status\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription AuthCertificateRegistered {\n    authCertificateRegistered {\n      id\n      status\n      active\n      usage\n      subject\n      declineComment\n    }\n  }\n"): (typeof documents)["\n  subscription AuthCertificateRegistered {\n    authCertificateRegistered {\n      id\n      status\n      active\n      usage\n      subject\n      declineComment\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription CertificateChangedForNotice {\n    certificateStatusChanged {\n      id\n      status\n      active\n      usage\n      subject\n      declineComment\n    }\n  }\n"): (typeof documents)["\n  subscription CertificateChangedForNotice {\n    certificateStatusChanged {\n      id\n      status\n      active\n      usage\n      subject\n      declineComment\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RegistrationChecklist {\n    timestampingServices {\n      id\n    }\n    tokens {\n      id\n      type\n      loggedIn\n      keys {\n        id\n        certificates {\n          id\n          usage\n          status\n          active\n          ocspStatus\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query RegistrationChecklist {\n    timestampingServices {\n      id\n    }\n    tokens {\n      id\n      type\n      loggedIn\n      keys {\n        id\n        certificates {\n          id\n          usage\n          status\n          active\n          ocspStatus\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription ChecklistCertificateChanged {\n    certificateStatusChanged {\n      id\n      status\n      active\n      ocspStatus\n    }\n  }\n"): (typeof documents)["\n  subscription ChecklistCertificateChanged {\n    certificateStatusChanged {\n      id\n      status\n      active\n      ocspStatus\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CurrentAnchor {\n    anchor {\n      ...AnchorFields\n    }\n  }\n"): (typeof documents)["\n  query CurrentAnchor {\n    anchor {\n      ...AnchorFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UploadAnchor($anchor: String!) {\n    uploadAnchor(anchor: $anchor) {\n      ...AnchorFields\n    }\n  }\n"): (typeof documents)["\n  mutation UploadAnchor($anchor: String!) {\n    uploadAnchor(anchor: $anchor) {\n      ...AnchorFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query OwnerName($memberClass: String!, $memberCode: String!) {\n    memberName(memberClass: $memberClass, memberCode: $memberCode)\n  }\n"): (typeof documents)["\n  query OwnerName($memberClass: String!, $memberCode: String!) {\n    memberName(memberClass: $memberClass, memberCode: $memberCode)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation InitializeSecurityServer($input: InitializeSecurityServerInput!) {\n    initializeSecurityServer(input: $input) {\n      role\n      initialized\n      securityServerId\n    }\n  }\n"): (typeof documents)["\n  mutation InitializeSecurityServer($input: InitializeSecurityServerInput!) {\n    initializeSecurityServer(input: $input) {\n      role\n      initialized\n      securityServerId\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CheckTimestampingService($url: String!) {\n    checkTimestampingService(url: $url) {\n      url\n      reachable\n      error\n      checkedAt\n    }\n  }\n"): (typeof documents)["\n  query CheckTimestampingService($url: String!) {\n    checkTimestampingService(url: $url) {\n      url\n      reachable\n      error\n      checkedAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AddUser($input: AddUserInput!) {\n    addUser(input: $input) {\n      id\n      username\n    }\n  }\n"): (typeof documents)["\n  mutation AddUser($input: AddUserInput!) {\n    addUser(input: $input) {\n      id\n      username\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ChangePassword($currentPassword: String!, $newPassword: String!) {\n    changePassword(currentPassword: $currentPassword, newPassword: $newPassword)\n  }\n"): (typeof documents)["\n  mutation ChangePassword($currentPassword: String!, $newPassword: String!) {\n    changePassword(currentPassword: $currentPassword, newPassword: $newPassword)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateApiKey($name: String, $roles: [Role!]!) {\n    createApiKey(name: $name, roles: $roles) {\n      key\n      apiKey {\n        id\n        name\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation CreateApiKey($name: String, $roles: [Role!]!) {\n    createApiKey(name: $name, roles: $roles) {\n      key\n      apiKey {\n        id\n        name\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ResetUserPassword($id: ID!, $password: String!) {\n    resetUserPassword(id: $id, password: $password) {\n      id\n    }\n  }\n"): (typeof documents)["\n  mutation ResetUserPassword($id: ID!, $password: String!) {\n    resetUserPassword(id: $id, password: $password) {\n      id\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetUserRoles($id: ID!, $roles: [Role!]!) {\n    setUserRoles(id: $id, roles: $roles) {\n      id\n      roles\n    }\n  }\n"): (typeof documents)["\n  mutation SetUserRoles($id: ID!, $roles: [Role!]!) {\n    setUserRoles(id: $id, roles: $roles) {\n      id\n      roles\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Shell {\n    serverInfo {\n      role\n      initialized\n      instanceIdentifier\n      securityServerId\n      version\n    }\n  }\n"): (typeof documents)["\n  query Shell {\n    serverInfo {\n      role\n      initialized\n      instanceIdentifier\n      securityServerId\n      version\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AcmeAccounts {\n    acmeSettings {\n      challengeListenAddress\n      autoActivateSigningCertificates\n    }\n    acmeAccounts {\n      ...AcmeAccountFields\n    }\n  }\n"): (typeof documents)["\n  query AcmeAccounts {\n    acmeSettings {\n      challengeListenAddress\n      autoActivateSigningCertificates\n    }\n    acmeAccounts {\n      ...AcmeAccountFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AcmeCertificationAuthorities {\n    approvedCertificationAuthorities {\n      name\n      authenticationOnly\n      acmeCapable\n      acmeServerDirectoryUrl\n      acmeServerIpAddresses\n    }\n  }\n"): (typeof documents)["\n  query AcmeCertificationAuthorities {\n    approvedCertificationAuthorities {\n      name\n      authenticationOnly\n      acmeCapable\n      acmeServerDirectoryUrl\n      acmeServerIpAddresses\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteAcmeAccount($id: ID!) {\n    deleteAcmeAccount(id: $id)\n  }\n"): (typeof documents)["\n  mutation DeleteAcmeAccount($id: ID!) {\n    deleteAcmeAccount(id: $id)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AuditEvents($first: Int, $after: String, $where: AuditEventWhereInput) {\n    auditEvents(first: $first, after: $after, where: $where) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        hasPreviousPage\n        startCursor\n        endCursor\n      }\n      edges {\n        node {\n          id\n          createdAt\n          event\n          actor\n          success\n          data\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query AuditEvents($first: Int, $after: String, $where: AuditEventWhereInput) {\n    auditEvents(first: $first, after: $after, where: $where) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        hasPreviousPage\n        startCursor\n        endCursor\n      }\n      edges {\n        node {\n          id\n          createdAt\n          event\n          actor\n          success\n          data\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SecurityServerClients {\n    securityServerClients {\n      memberId\n      subsystemCode\n      name\n      owner\n      status\n    }\n  }\n"): (typeof documents)["\n  query SecurityServerClients {\n    securityServerClients {\n      memberId\n      subsystemCode\n      name\n      owner\n      status\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Diagnostics {\n    diagnostics {\n      globalConfiguration {\n        statusClass\n        sourceUrl\n        lastAttemptAt\n        nextUpdateAt\n        status {\n          version\n          expiresAt\n          lastSuccessAt\n          error\n          failingSince\n        }\n      }\n      timestampingServices {\n        name\n        url\n        reachable\n        error\n        checkedAt\n      }\n      ocspResponders {\n        name\n        url\n        reachable\n        error\n        checkedAt\n      }\n      managementService {\n        url\n        reachable\n        error\n        checkedAt\n      }\n      clockOffset {\n        offsetSeconds\n        source\n        resolutionSeconds\n      }\n    }\n    securityServerAddress\n  }\n"): (typeof documents)["\n  query Diagnostics {\n    diagnostics {\n      globalConfiguration {\n        statusClass\n        sourceUrl\n        lastAttemptAt\n        nextUpdateAt\n        status {\n          version\n          expiresAt\n          lastSuccessAt\n          error\n          failingSince\n        }\n      }\n      timestampingServices {\n        name\n        url\n        reachable\n        error\n        checkedAt\n      }\n      ocspResponders {\n        name\n        url\n        reachable\n        error\n        checkedAt\n      }\n      managementService {\n        url\n        reachable\n        error\n        checkedAt\n      }\n      clockOffset {\n        offsetSeconds\n        source\n        resolutionSeconds\n      }\n    }\n    securityServerAddress\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConfigurationAnchor {\n    configurationAnchor\n  }\n"): (typeof documents)["\n  query ConfigurationAnchor {\n    configurationAnchor\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConfigurationAnchorInfo {\n    configurationAnchorInfo {\n      ...AnchorFields\n    }\n  }\n"): (typeof documents)["\n  query ConfigurationAnchorInfo {\n    configurationAnchorInfo {\n      ...AnchorFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation GenerateGlobalConfiguration {\n    generateGlobalConfiguration {\n      ...ConfStatus\n    }\n  }\n"): (typeof documents)["\n  mutation GenerateGlobalConfiguration {\n    generateGlobalConfiguration {\n      ...ConfStatus\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RefreshGlobalConfiguration {\n    refreshGlobalConfiguration {\n      ...ConfStatus\n    }\n  }\n"): (typeof documents)["\n  mutation RefreshGlobalConfiguration {\n    refreshGlobalConfiguration {\n      ...ConfStatus\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SecurityAnchor {\n    anchor {\n      ...AnchorFields\n    }\n  }\n"): (typeof documents)["\n  query SecurityAnchor {\n    anchor {\n      ...AnchorFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Tokens {\n    tokens {\n      ...TokenFields\n    }\n  }\n"): (typeof documents)["\n  query Tokens {\n    tokens {\n      ...TokenFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query KeysAcmeCAs {\n    approvedCertificationAuthorities {\n      name\n      acmeCapable\n    }\n  }\n"): (typeof documents)["\n  query KeysAcmeCAs {\n    approvedCertificationAuthorities {\n      name\n      acmeCapable\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription KeysCertificateChanged {\n    certificateStatusChanged {\n      ...CertificateFields\n    }\n  }\n"): (typeof documents)["\n  subscription KeysCertificateChanged {\n    certificateStatusChanged {\n      ...CertificateFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription KeysTokenChanged {\n    tokenChanged {\n      id\n      loggedIn\n      status\n      possibleActions\n    }\n  }\n"): (typeof documents)["\n  subscription KeysTokenChanged {\n    tokenChanged {\n      id\n      loggedIn\n      status\n      possibleActions\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription KeysCertificateRenewal {\n    certificateRenewal {\n      kind\n      certificateSha256\n      renewedBySha256\n      message\n      certificate {\n        id\n      }\n      at\n      auditEventId\n    }\n  }\n"): (typeof documents)["\n  subscription KeysCertificateRenewal {\n    certificateRenewal {\n      kind\n      certificateSha256\n      renewedBySha256\n      message\n      certificate {\n        id\n      }\n      at\n      auditEventId\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation LogoutToken($tokenId: ID!) {\n    logoutToken(tokenId: $tokenId) {\n      id\n      loggedIn\n      possibleActions\n    }\n  }\n"): (typeof documents)["\n  mutation LogoutToken($tokenId: ID!) {\n    logoutToken(tokenId: $tokenId) {\n      id\n      loggedIn\n      possibleActions\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ActivateCertificate($certificateId: ID!) {\n    activateCertificate(certificateId: $certificateId) {\n      ...CertificateFields\n    }\n  }\n"): (typeof documents)["\n  mutation ActivateCertificate($certificateId: ID!) {\n    activateCertificate(certificateId: $certificateId) {\n      ...CertificateFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeactivateCertificate($certificateId: ID!) {\n    deactivateCertificate(certificateId: $certificateId) {\n      ...CertificateFields\n    }\n  }\n"): (typeof documents)["\n  mutation DeactivateCertificate($certificateId: ID!) {\n    deactivateCertificate(certificateId: $certificateId) {\n      ...CertificateFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query LoginServer {\n    serverInfo {\n      role\n      initialized\n      instanceIdentifier\n    }\n  }\n"): (typeof documents)["\n  query LoginServer {\n    serverInfo {\n      role\n      initialized\n      instanceIdentifier\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ManagementRequestDetail($id: ID!) {\n    node(id: $id) {\n      __typename\n      ... on ManagementRequest {\n        id\n        requestId\n        createdAt\n        updatedAt\n        type\n        origin\n        status\n        serverId\n        securityServerOwnerName\n        address\n        comments\n        createdBy\n        pairedWith {\n          id\n          requestId\n          origin\n          status\n        }\n        authCertificate {\n          subject\n          issuer\n          serialNumber\n          notBefore\n          notAfter\n          sha256\n          pem\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query ManagementRequestDetail($id: ID!) {\n    node(id: $id) {\n      __typename\n      ... on ManagementRequest {\n        id\n        requestId\n        createdAt\n        updatedAt\n        type\n        origin\n        status\n        serverId\n        securityServerOwnerName\n        address\n        comments\n        createdBy\n        pairedWith {\n          id\n          requestId\n          origin\n          status\n        }\n        authCertificate {\n          subject\n          issuer\n          serialNumber\n          notBefore\n          notAfter\n          sha256\n          pem\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription RequestDetailChanged {\n    managementRequestChanged {\n      id\n      status\n      comments\n      updatedAt\n    }\n  }\n"): (typeof documents)["\n  subscription RequestDetailChanged {\n    managementRequestChanged {\n      id\n      status\n      comments\n      updatedAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ManagementRequests(\n    $first: Int\n    $after: String\n    $status: ManagementRequestStatus\n    $type: ManagementRequestType\n    $origin: ManagementRequestOrigin\n  ) {\n    managementRequests(\n      first: $first\n      after: $after\n      status: $status\n      type: $type\n      origin: $origin\n    ) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        hasPreviousPage\n        startCursor\n        endCursor\n      }\n      edges {\n        node {\n          id\n          requestId\n          createdAt\n          type\n          origin\n          status\n          serverId\n          securityServerOwnerName\n          address\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query ManagementRequests(\n    $first: Int\n    $after: String\n    $status: ManagementRequestStatus\n    $type: ManagementRequestType\n    $origin: ManagementRequestOrigin\n  ) {\n    managementRequests(\n      first: $first\n      after: $after\n      status: $status\n      type: $type\n      origin: $origin\n    ) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        hasPreviousPage\n        startCursor\n        endCursor\n      }\n      edges {\n        node {\n          id\n          requestId\n          createdAt\n          type\n          origin\n          status\n          serverId\n          securityServerOwnerName\n          address\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription ManagementRequestChanged {\n    managementRequestChanged {\n      id\n      requestId\n      status\n      serverId\n    }\n  }\n"): (typeof documents)["\n  subscription ManagementRequestChanged {\n    managementRequestChanged {\n      id\n      requestId\n      status\n      serverId\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MemberClasses {\n    memberClasses {\n      id\n      code\n      description\n      createdAt\n    }\n  }\n"): (typeof documents)["\n  query MemberClasses {\n    memberClasses {\n      id\n      code\n      description\n      createdAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MemberDetail($id: ID!) {\n    node(id: $id) {\n      __typename\n      ... on Member {\n        id\n        memberId\n        memberCode\n        name\n        createdAt\n        memberClass {\n          id\n          code\n          description\n        }\n        subsystems {\n          id\n          subsystemCode\n          name\n        }\n        ownedServers {\n          id\n          serverCode\n          serverId\n          address\n          createdAt\n          authCertificates {\n            id\n            subject\n            issuer\n            serialNumber\n            notAfter\n            sha256\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query MemberDetail($id: ID!) {\n    node(id: $id) {\n      __typename\n      ... on Member {\n        id\n        memberId\n        memberCode\n        name\n        createdAt\n        memberClass {\n          id\n          code\n          description\n        }\n        subsystems {\n          id\n          subsystemCode\n          name\n        }\n        ownedServers {\n          id\n          serverCode\n          serverId\n          address\n          createdAt\n          authCertificates {\n            id\n            subject\n            issuer\n            serialNumber\n            notAfter\n            sha256\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MemberRequests($ownerClass: String!, $ownerCode: String!) {\n    managementRequests(first: 20, where: { serverOwnerClass: $ownerClass, serverOwnerCode: $ownerCode }) {\n      totalCount\n      edges {\n        node {\n          id\n          requestId\n          type\n          origin\n          status\n          serverCode\n          createdAt\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query MemberRequests($ownerClass: String!, $ownerCode: String!) {\n    managementRequests(first: 20, where: { serverOwnerClass: $ownerClass, serverOwnerCode: $ownerCode }) {\n      totalCount\n      edges {\n        node {\n          id\n          requestId\n          type\n          origin\n          status\n          serverCode\n          createdAt\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Members($first: Int, $after: String, $search: String) {\n    members(first: $first, after: $after, search: $search) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        hasPreviousPage\n        startCursor\n        endCursor\n      }\n      edges {\n        node {\n          id\n          memberId\n          memberCode\n          name\n          memberClass {\n            id\n            code\n          }\n          ownedServers {\n            id\n            serverCode\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query Members($first: Int, $after: String, $search: String) {\n    members(first: $first, after: $after, search: $search) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        hasPreviousPage\n        startCursor\n        endCursor\n      }\n      edges {\n        node {\n          id\n          memberId\n          memberCode\n          name\n          memberClass {\n            id\n            code\n          }\n          ownedServers {\n            id\n            serverCode\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Overview {\n    serverInfo {\n      role\n      initialized\n      instanceIdentifier\n      securityServerId\n      version\n    }\n    me {\n      username\n      roles\n    }\n  }\n"): (typeof documents)["\n  query Overview {\n    serverInfo {\n      role\n      initialized\n      instanceIdentifier\n      securityServerId\n      version\n    }\n    me {\n      username\n      roles\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SecurityServerDetail($id: ID!) {\n    node(id: $id) {\n      __typename\n      ... on SecurityServer {\n        id\n        serverId\n        serverCode\n        address\n        status\n        createdAt\n        owner {\n          id\n          name\n          memberId\n        }\n        authCertificates {\n          id\n          subject\n          issuer\n          serialNumber\n          notBefore\n          notAfter\n          sha256\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query SecurityServerDetail($id: ID!) {\n    node(id: $id) {\n      __typename\n      ... on SecurityServer {\n        id\n        serverId\n        serverCode\n        address\n        status\n        createdAt\n        owner {\n          id\n          name\n          memberId\n        }\n        authCertificates {\n          id\n          subject\n          issuer\n          serialNumber\n          notBefore\n          notAfter\n          sha256\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SecurityServerRequests($serverId: String!) {\n    managementRequests(first: 50, serverId: $serverId) {\n      totalCount\n      edges {\n        node {\n          id\n          requestId\n          type\n          origin\n          status\n          createdAt\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query SecurityServerRequests($serverId: String!) {\n    managementRequests(first: 50, serverId: $serverId) {\n      totalCount\n      edges {\n        node {\n          id\n          requestId\n          type\n          origin\n          status\n          createdAt\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SecurityServers(\n    $first: Int\n    $after: String\n    $search: String\n    $status: SecurityServerStatus\n    $where: SecurityServerWhereInput\n  ) {\n    securityServers(first: $first, after: $after, search: $search, status: $status, where: $where) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        hasPreviousPage\n        startCursor\n        endCursor\n      }\n      edges {\n        node {\n          id\n          serverId\n          serverCode\n          address\n          status\n          owner {\n            id\n            name\n            memberId\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query SecurityServers(\n    $first: Int\n    $after: String\n    $search: String\n    $status: SecurityServerStatus\n    $where: SecurityServerWhereInput\n  ) {\n    securityServers(first: $first, after: $after, search: $search, status: $status, where: $where) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        hasPreviousPage\n        startCursor\n        endCursor\n      }\n      edges {\n        node {\n          id\n          serverId\n          serverCode\n          address\n          status\n          owner {\n            id\n            name\n            memberId\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ServerOwnerOptions {\n    members(first: 100) {\n      edges {\n        node {\n          id\n          name\n          memberId\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query ServerOwnerOptions {\n    members(first: 100) {\n      edges {\n        node {\n          id\n          name\n          memberId\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query TimestampingServices {\n    timestampingServices {\n      id\n      name\n      url\n    }\n  }\n"): (typeof documents)["\n  query TimestampingServices {\n    timestampingServices {\n      id\n      name\n      url\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteTimestampingService($id: ID!) {\n    deleteTimestampingService(id: $id)\n  }\n"): (typeof documents)["\n  mutation DeleteTimestampingService($id: ID!) {\n    deleteTimestampingService(id: $id)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ApprovedCAs {\n    approvedCertificationServices {\n      id\n      name\n      subjectDn\n      issuerDn\n      notBefore\n      notAfter\n      authenticationOnly\n      certificateProfileInfo\n      defaultCsrFormat\n      acmeServerDirectoryUrl\n      acmeServerIpAddress\n      authenticationCertificateProfileId\n      signingCertificateProfileId\n      ocspResponderUrls\n      sha256\n    }\n  }\n"): (typeof documents)["\n  query ApprovedCAs {\n    approvedCertificationServices {\n      id\n      name\n      subjectDn\n      issuerDn\n      notBefore\n      notAfter\n      authenticationOnly\n      certificateProfileInfo\n      defaultCsrFormat\n      acmeServerDirectoryUrl\n      acmeServerIpAddress\n      authenticationCertificateProfileId\n      signingCertificateProfileId\n      ocspResponderUrls\n      sha256\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ApprovedTSAs {\n    approvedTimestampingAuthorities {\n      id\n      name\n      url\n      notAfter\n      sha256\n    }\n  }\n"): (typeof documents)["\n  query ApprovedTSAs {\n    approvedTimestampingAuthorities {\n      id\n      name\n      url\n      notAfter\n      sha256\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Users {\n    users {\n      id\n      username\n      roles\n      disabled\n      createdAt\n    }\n  }\n"): (typeof documents)["\n  query Users {\n    users {\n      id\n      username\n      roles\n      disabled\n      createdAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ApiKeys {\n    apiKeys {\n      id\n      name\n      roles\n      createdAt\n    }\n  }\n"): (typeof documents)["\n  query ApiKeys {\n    apiKeys {\n      id\n      name\n      roles\n      createdAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Sessions {\n    sessions {\n      id\n      username\n      clientAddress\n      createdAt\n      lastSeenAt\n      expiresAt\n      current\n    }\n  }\n"): (typeof documents)["\n  query Sessions {\n    sessions {\n      id\n      username\n      clientAddress\n      createdAt\n      lastSeenAt\n      expiresAt\n      current\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DisableUser($id: ID!) {\n    disableUser(id: $id) {\n      id\n      disabled\n    }\n  }\n"): (typeof documents)["\n  mutation DisableUser($id: ID!) {\n    disableUser(id: $id) {\n      id\n      disabled\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation EnableUser($id: ID!) {\n    enableUser(id: $id) {\n      id\n      disabled\n    }\n  }\n"): (typeof documents)["\n  mutation EnableUser($id: ID!) {\n    enableUser(id: $id) {\n      id\n      disabled\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RevokeApiKey($id: ID!) {\n    revokeApiKey(id: $id) {\n      id\n      revokedAt\n    }\n  }\n"): (typeof documents)["\n  mutation RevokeApiKey($id: ID!) {\n    revokeApiKey(id: $id) {\n      id\n      revokedAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation EndSession($id: ID!) {\n    endSession(id: $id)\n  }\n"): (typeof documents)["\n  mutation EndSession($id: ID!) {\n    endSession(id: $id)\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;