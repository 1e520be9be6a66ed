import { graphql } from '@/gql'

// Fields of the keys-and-certificates tree, shared by the view, its
// subscription and the dialogs' results.
graphql(`
  fragment CertificateFields on Certificate {
    id
    usage
    status
    active
    ocspStatus
    ocspUpdatedAt
    ocspError
    subject
    issuer
    serialNumber
    notBefore
    notAfter
    memberId
    registeredAddress
    declineComment
    managementRequestId
    deletionRequestId
    unregisteredAt
    possibleActions
    sha256
    renewsSha256
    renewal {
      status
      step
      nextRenewalAt
      lastError
      failures
      retryAt
    }
  }
`)

graphql(`
  fragment CsrFields on CertificateSigningRequest {
    id
    usage
    memberId
    caName
    subject
    createdAt
    pem
    der
    pemName: fileName(format: PEM)
    derName: fileName(format: DER)
    possibleActions
  }
`)

graphql(`
  fragment KeyFields on Key {
    id
    keyId
    name
    label
    usage
    algorithm
    possibleActions
    certificates {
      ...CertificateFields
    }
    csrs {
      ...CsrFields
    }
  }
`)

graphql(`
  fragment TokenFields on Token {
    id
    tokenId
    name
    type
    loggedIn
    available
    status
    possibleActions
    serialNumber
    label
    pinFailures
    pinRetryAfter
    keys {
      ...KeyFields
    }
  }
`)
