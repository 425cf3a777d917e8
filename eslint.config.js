import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'data/', 'data-demo/', 'db/migrations/', 'views/assets/', 'screenshots/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[object.name='process'][property.name='env']",
          message: 'Read configuration through server/config.ts only.',
        },
      ],
    },
  },
  {
    // Layers (docs/ARCHITECTURE.md): above the domain, vocabularies come from server/domain/enums.ts.
    files: ['server/forms/**', 'server/routes/**', 'server/plugins/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/db/schema.js', '**/db/schema/*'], message: 'Take vocabularies from server/domain/enums.ts.' }] },
      ],
    },
  },
  {
    // The domain calls the database, never the reverse.
    files: ['db/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/server/*', '**/server/**'], message: 'db/ must not import the server; put the code in server/domain/.' }] },
      ],
    },
  },
  {
    files: ['server/config.ts', 'test/**', 'scripts/**', 'vitest.config.ts'],
    rules: { 'no-restricted-syntax': 'off' },
  },
);
