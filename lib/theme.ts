/**
 * The colour scheme a person chose: follow the system, or always light or dark. Kept in a cookie so the server renders
 * the right class on <html> and the first paint is right without an inline script (the CSP allows none without its
 * nonce). Shared by the root layout (server) and the toggle (browser).
 */
export const THEMES = ['system', 'light', 'dark'] as const;
export type Theme = (typeof THEMES)[number];
export const THEME_COOKIE = 'gatehouse-theme';

export function parseTheme(value: string | undefined | null): Theme {
  return (THEMES as readonly string[]).includes(value ?? '') ? (value as Theme) : 'system';
}

/** The class on <html> for a theme: none for "system", where the prefers-color-scheme media query decides. */
export function themeClass(theme: Theme): string | undefined {
  return theme === 'system' ? undefined : theme;
}
