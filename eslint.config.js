import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'build/', 'node_modules/', 'data/', 'coverage/', 'bench/results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setImmediate: 'readonly',
        URL: 'readonly',
        AbortController: 'readonly',
        AbortSignal: 'readonly',
        fetch: 'readonly',
        TextDecoder: 'readonly',
        performance: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // The environment is read in config/ only (loadRelayConfig, loadEnvironment): every other part is
    // given what it needs, so a CLI flag or a test changes a value without writing process.env.
    files: ['src/**/*.ts'],
    ignores: ['src/config/**'],
    rules: {
      'no-restricted-properties': [
        'error',
        {
          object: 'process',
          property: 'env',
          message:
            'read the environment in src/config/ and pass the value (see docs/architecture.md, "Config read once")',
        },
      ],
    },
  },
  {
    // The OBS overlay runs in a browser, not in Node.
    files: ['examples/overlay/**/*.js'],
    languageOptions: {
      globals: {
        document: 'readonly',
        location: 'readonly',
        EventSource: 'readonly',
        URLSearchParams: 'readonly',
      },
    },
  },
  {
    // The web dashboard runs in a browser, not in Node.
    files: ['dashboard/**/*.js'],
    languageOptions: {
      globals: {
        document: 'readonly',
        window: 'readonly',
        location: 'readonly',
        history: 'readonly',
        navigator: 'readonly',
        EventSource: 'readonly',
        URLSearchParams: 'readonly',
        Node: 'readonly',
        confirm: 'readonly',
      },
    },
  },
  {
    // What a store can do is declared by the store (`sharedByReplicas`), and where it is read from
    // STORE_URL in store/store-url.ts alone: no other room tells stores apart by their URL's scheme.
    files: ['src/**/*.ts'],
    ignores: ['src/store/**', 'src/config/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector:
            'Literal[value=/^(sqlite|postgres|postgresql):/], Literal[regex.pattern=/postgres|sqlite:/]',
          message:
            'Ask the store (sharedByReplicas) or store/store-url.ts (parseStoreUrl), not the URL scheme.',
        },
      ],
    },
  },
);
