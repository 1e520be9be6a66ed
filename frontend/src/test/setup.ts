// jsdom has no ResizeObserver; Vuetify's overlays (menus, dialogs) create one.
class ResizeObserverStub {
  observe(): void {}
  unobserve(): void {}
  disconnect(): void {}
}

globalThis.ResizeObserver ??= ResizeObserverStub
