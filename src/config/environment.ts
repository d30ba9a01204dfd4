/**
 * The process environment, read once: the variables of `envFile` (`--env-file`, else `./.env` when
 * present) loaded under those already set (Node's loadEnvFile keeps them, so the real environment
 * wins), then a copy handed on. The CLI's entry calls this; every command works from the copy, and
 * nothing outside config/ reads process.env.
 */
export function loadEnvironment(envFile: string | undefined): NodeJS.ProcessEnv {
  // Loaded into process.env rather than only into the copy: libraries (twurple's
  // TWURPLE_MOCK_API_PORT) and child processes see the same values.
  if (envFile) process.loadEnvFile(envFile);
  return { ...process.env };
}

/**
 * `env` with the given variables replacing its own: command-line flags (`serve --port`) stand in
 * for their variables this way, so everything that reads the environment, the config file's
 * `${PORT}` included, sees the flag's value, and process.env is never written.
 */
export function withOverrides(
  env: NodeJS.ProcessEnv,
  overrides: Record<string, string | undefined>,
): NodeJS.ProcessEnv {
  const defined = Object.entries(overrides).filter(([, value]) => value !== undefined);
  return { ...env, ...Object.fromEntries(defined) };
}
