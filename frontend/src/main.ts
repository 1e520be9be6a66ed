import urql from '@urql/vue'
import { createApp, shallowRef } from 'vue'
import App from './App.vue'
import { loadCurrentUser } from './auth/currentUser'
import { createSession, sessionKey } from './auth/session'
import { createGraphQLClient, type GraphQLClientHandle } from './graphql/client'
import { createAppVuetify } from './plugins/vuetify'
import { createAppRouter } from './router'

function newGraphQLClient(): GraphQLClientHandle {
  return createGraphQLClient({ onUnauthenticated: () => session.expire() })
}

let graphql = newGraphQLClient()
const client = shallowRef(graphql.client)

const session = createSession({
  loadUser: () => loadCurrentUser(client.value),
  // A fresh client per session: nothing cached for one user is shown to the next.
  onEnd: () => {
    graphql.dispose()
    graphql = newGraphQLClient()
    client.value = graphql.client
  },
})

createApp(App)
  .provide(sessionKey, session)
  .use(urql, client)
  .use(createAppVuetify())
  .use(createAppRouter(session))
  .mount('#app')
