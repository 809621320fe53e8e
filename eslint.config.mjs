// @ts-check
import { createRequire } from 'node:module';
import eslint from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

// The console's lint plugins are admin-ui's own devDependencies: resolve them from its folder.
const adminUiRequire = createRequire(new URL('./admin-ui/package.json', import.meta.url));
const globals = adminUiRequire('globals');
const reactHooks = adminUiRequire('eslint-plugin-react-hooks');

/** Text from users (names, topics, messages, reasons) is rendered as React text nodes, never as HTML. */
const noHtmlInjection = [
  {
    selector: "JSXAttribute[name.name='dangerouslySetInnerHTML']",
    message: 'Render user text as React text nodes, never as HTML.',
  },
  {
    selector: "Property[key.name='dangerouslySetInnerHTML']",
    message: 'Render user text as React text nodes, never as HTML.',
  },
  {
    selector: 'AssignmentExpression > MemberExpression.left[property.name=/^(innerHTML|outerHTML)$/]',
    message: 'Do not assign HTML: render user text as React text nodes.',
  },
  {
    selector: 'CallExpression[callee.property.name=/^(insertAdjacentHTML|write|writeln)$/]',
    message: 'Do not write HTML into the document.',
  },
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'eslint.config.mjs', 'admin-ui/dist/**'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  prettier,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      curly: 'error',
      eqeqeq: ['error', 'always'],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/explicit-function-return-type': ['error', { allowExpressions: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Read configuration through AppConfig (src/config/).' },
      ],
    },
  },
  {
    files: ['**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      globals: { process: 'readonly', globalThis: 'readonly' },
    },
    rules: { ...tseslint.configs.disableTypeChecked.rules, '@typescript-eslint/explicit-function-return-type': 'off' },
  },
  {
    // The benchmark harness (bench/): plain Node.js scripts that spawn servers with their environment.
    files: ['bench/**/*.mjs'],
    languageOptions: { globals: globals.node },
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    files: ['src/config/**/*.ts', 'test/**/*.ts', 'test/**/*.mjs'],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    files: ['test/**/*.ts', '**/*.spec.ts'],
    rules: {
      '@typescript-eslint/explicit-function-return-type': 'off',
      '@typescript-eslint/unbound-method': 'off',
      // Tests read JSON bodies and event payloads as the untyped data a client gets.
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    // The admin console (admin-ui/): browser code, type-checked against admin-ui/tsconfig.json.
    files: ['admin-ui/**/*.{ts,tsx}'],
    ...reactHooks.configs.flat.recommended,
    languageOptions: {
      globals: globals.browser,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      ...reactHooks.configs.flat.recommended.rules,
      'no-restricted-syntax': ['error', ...noHtmlInjection],
      'no-restricted-properties': [
        'error',
        { object: 'window', property: 'localStorage', message: 'The admin token lives in sessionStorage only.' },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'localStorage', message: 'The admin token lives in sessionStorage only.' },
      ],
      'no-eval': 'error',
      'no-new-func': 'error',
    },
  },
);
