import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';

/** Dependency direction (STYLE §1): resources -> codegen -> generated; src never imports codegen. */
const zones = [
  { target: './resources', from: ['./src', './codegen', './drizzle', './openapi', './test', './features', './bench'], message: 'resources/ imports nothing else from this repo' },
  { target: './src', from: ['./codegen'], message: 'src/ may read resources/ and generated artifacts, never codegen/' },
  { target: './codegen', from: ['./src'], message: 'codegen/ must not depend on the runtime' },
  { target: './src/otlp', from: ['./src/jsonapi'], message: 'the OTLP pipeline does not speak JSON:API' },
  { target: './src/orchestrator', from: ['./src/jsonapi'], message: 'the orchestrator does not speak JSON:API' },
];

export default tseslint.config(
  { ignores: ['node_modules/**', '.data/**', 'test/.generated/**', 'coverage/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { 'import-x': importX },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'error',
      'import-x/no-cycle': 'error',
      'import-x/no-restricted-paths': ['error', { zones }],
      'no-restricted-syntax': [
        'error',
        { selector: 'TSEnumDeclaration', message: 'Use `as const` objects and unions instead of enums.' },
        { selector: 'ExportDefaultDeclaration', message: 'Named exports only.' },
      ],
    },
  },
  {
    // Config files are loaded by tools that require a default export.
    files: ['*.config.ts', 'eslint.config.js', 'cucumber.js'],
    rules: { 'no-restricted-syntax': 'off' },
  },
);
