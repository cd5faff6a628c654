// Lint: eslint's recommended rules plus typescript-eslint's, over the TypeScript sources.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  // asm/ is AssemblyScript (decorators on functions, wasm builtins): asc checks it, not ESLint.
  { ignores: ['dist/', 'node_modules/', 'reports/', 'asm/', 'test-artifacts/', 'bundle/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['bin/**/*.js', 'scripts/**/*.mjs'],
    languageOptions: { globals: { console: 'readonly', process: 'readonly', URL: 'readonly', performance: 'readonly' } },
  },
);
