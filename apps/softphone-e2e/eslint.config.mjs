import baseConfig from '../../eslint.config.mjs';

/** A test must be able to fail: none is skipped, marked to fix later, or run alone. */
const noSkippedTests = [
  'error',
  {
    selector: "CallExpression[callee.property.name=/^(skip|fixme|only)$/][callee.object.name='test']",
    message: 'No skipped, fixme or focused tests: a test must be able to fail, and every test runs.',
  },
  {
    selector: "CallExpression[callee.property.name=/^(skip|fixme|only)$/][callee.object.property.name='describe']",
    message: 'No skipped, fixme or focused groups: every test runs.',
  },
];

export default [...baseConfig, { files: ['**/*.ts'], rules: { 'no-restricted-syntax': noSkippedTests } }];
