import urql from '@urql/vue'
import { createApp, shallowRef } from 'vue'
import App from './App.vue'
import { loadCurrentUser } from './auth/currentUser'
import { createSession, sessionKey } from './auth/session'
import { createGraphQLClient, type GraphQLClientHandle } from './graphql/client'
import { createNotifications, notificationsKey } from './notifications/notifications'
import { createAppVuetify } from './plugins/vuetify'
import { createAppRouter } from './router'
// After Vuetify's styles, so the app's own rules win at equal specificity.
import './styles/app.css'

function newGraphQLClient(): GraphQLClientHandle {
  return createGraphQLClient({ onUnauthenticated: () => session.expire() })
}

const notifications = createNotifications()
let graphql = newGraphQLClient()
const client = shallowRef(graphql.client)

const session = createSession({
  loadUser: () => loadCurrentUser(client.value),
  // A fresh client per session: nothing cached for one user is shown to the next.
  onEnd: () => {
    notifications.clear()
    graphql.dispose()
    graphql = newGraphQLClient()
    client.value = graphql.client
  },
})

createApp(App)
  .provide(sessionKey, session)
  .provide(notificationsKey, notifications)
  .use(urql, client)
  .use(createAppVuetify())
  .use(createAppRouter(session))
  .mount('#app')
