// Lint setup of the Angular projects (the softphone app and its libs): Angular's rules, the workspace's
// base rules (module boundaries, NgRx), and the `sb` selector prefix. Each project's eslint.config.mjs
// re-exports this, so the ten of them cannot drift apart.
import nx from '@nx/eslint-plugin';
import baseConfig from './eslint.config.mjs';

export default [
  ...nx.configs['flat/angular'],
  ...nx.configs['flat/angular-template'],
  ...baseConfig,
  {
    files: ['**/*.ts'],
    rules: {
      '@angular-eslint/directive-selector': ['error', { type: 'attribute', prefix: 'sb', style: 'camelCase' }],
      '@angular-eslint/component-selector': ['error', { type: 'element', prefix: 'sb', style: 'kebab-case' }],
    },
  },
];
