import type { Client } from '@urql/core'
import { graphql } from '@/gql'
import { isUnauthenticated } from '@/graphql/client'
import type { SessionUser } from './session'

const CurrentUserQuery = graphql(`
  query CurrentUser {
    me {
      username
      roles
      permissions
    }
  }
`)

/**
 * Asks the server who is signed in (never from cache). Returns null when
 * nobody is; throws the CombinedError of any other failure.
 */
export async function loadCurrentUser(client: Client): Promise<SessionUser | null> {
  const result = await client.query(CurrentUserQuery, {}, { requestPolicy: 'network-only' }).toPromise()
  if (result.error) {
    if (isUnauthenticated(result.error)) return null
    throw result.error
  }
  return result.data?.me ?? null
}
