/** Namespaced claim that carries the Auth0 connection name (set by the post-login Action or the local provider). */
export const CONNECTION_CLAIM = 'https://gatehouse.app/connection';
