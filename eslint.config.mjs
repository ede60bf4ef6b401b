// typescript-eslint's strict type-checked rules, with Prettier deciding layout.
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'coverage/**',
      '.syncline/**',
      '.tmp/**',
      'test/artifacts/**',
      // Written by `npm run api-types` from the OpenAPI document.
      'console/src/api-types.ts',
    ],
  },
  eslint.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      // Nest modules are classes with decorators only.
      '@typescript-eslint/no-extraneous-class': ['error', { allowWithDecorator: true }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      // DTOs are classes used as plain data; spreading them is how they become views.
      '@typescript-eslint/no-misused-spread': 'off',
      // Nest's option types are classes used as plain shapes.
      '@typescript-eslint/no-unsafe-class-instance-assignment': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      sourceType: 'commonjs',
      globals: {
        require: 'readonly',
        module: 'writable',
        process: 'readonly',
        __dirname: 'readonly',
        console: 'readonly',
      },
    },
    rules: {
      ...tseslint.configs.disableTypeChecked.rules,
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
  { files: ['**/*.mjs'], languageOptions: { sourceType: 'module' } },
  {
    // Production code stays readable in one sitting: files of at most 400 lines, functions of
    // at most 100. Tests, the conformance suites and the vendors' emulators (route tables) aside.
    files: ['src/**/*.ts', 'connectors/**/*.ts', 'api-client/**/*.ts', 'console/src/**/*.{ts,tsx}'],
    ignores: [
      '**/*.spec.ts',
      '**/*.e2e-spec.ts',
      '**/*.test-kit.ts',
      'connectors/*/emulator/**',
      'connectors/sdk/testing/**',
    ],
    rules: {
      'max-lines': ['error', { max: 400 }],
      'max-lines-per-function': ['error', { max: 100 }],
    },
  },
  prettier,
);
