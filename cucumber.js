// Gherkin specifications run by `npm test` (after vitest). Undefined or pending steps fail the run (strict).
export default {
  paths: ['features/**/*.feature'],
  import: ['features/support/**/*.ts', 'features/step_definitions/**/*.ts'],
  format: ['progress-bar', 'summary'],
  strict: true,
  forceExit: true,
};
