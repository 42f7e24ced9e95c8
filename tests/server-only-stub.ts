// Intentionally empty: stands in for the `server-only` package under Vitest.
export {};
