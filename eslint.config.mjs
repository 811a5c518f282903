import path from 'node:path';
import { fileURLToPath } from 'node:url';
import nx from '@nx/eslint-plugin';
import ngrx from '@ngrx/eslint-plugin/v9';

const workspaceRoot = path.dirname(fileURLToPath(import.meta.url));

// Module boundaries: see STYLE.md §2.3. A ban on one tag applies even when another tag allows,
// so vendor-SDK bans sit on app/feature/ui/data-access and never on adapter.
const depConstraints = [
  { sourceTag: 'scope:softphone', onlyDependOnLibsWithTags: ['scope:softphone', 'scope:shared'],
    bannedExternalImports: ['@nestjs/*', 'twilio', 'pg', 'werift', 'ws', '@electric-sql/pglite', 'drizzle-orm'] },
  { sourceTag: 'scope:api', onlyDependOnLibsWithTags: ['scope:api', 'scope:shared'],
    bannedExternalImports: ['@angular/*', '@ngrx/*', '@twilio/voice-sdk', 'werift'] },
  { sourceTag: 'scope:sandbox', onlyDependOnLibsWithTags: ['scope:sandbox', 'scope:shared'],
    bannedExternalImports: ['@angular/*', '@ngrx/*', '@nestjs/*'] },
  { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'],
    bannedExternalImports: ['@angular/*', '@ngrx/*', '@nestjs/*', 'rxjs', 'twilio', '@twilio/voice-sdk', 'werift', 'pg'] },
  { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:feature', 'type:ui', 'type:data-access', 'type:adapter', 'type:model', 'type:util'],
    bannedExternalImports: ['@twilio/voice-sdk'] },
  { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:model', 'type:util'] },
  { sourceTag: 'type:feature', onlyDependOnLibsWithTags: ['type:ui', 'type:data-access', 'type:model', 'type:util'],
    bannedExternalImports: ['@twilio/voice-sdk'] },
  { sourceTag: 'type:ui', onlyDependOnLibsWithTags: ['type:ui', 'type:model', 'type:util'],
    bannedExternalImports: ['@ngrx/*', '@angular/common/http', '@twilio/voice-sdk'] },
  { sourceTag: 'type:data-access', onlyDependOnLibsWithTags: ['type:data-access', 'type:model', 'type:util'],
    bannedExternalImports: ['@twilio/voice-sdk'] },
  { sourceTag: 'type:adapter', onlyDependOnLibsWithTags: ['type:data-access', 'type:model', 'type:util'] },
  { sourceTag: 'type:model', onlyDependOnLibsWithTags: ['type:model', 'type:util'] },
  { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:util'] },
];

// NgRx's own rules (every rule, the type-checked ones included) for the softphone, the only NgRx code.
// Absolute basePath: each project's eslint.config.mjs imports this file, and globs resolve from there.
const softphoneFiles = { basePath: workspaceRoot, files: ['apps/softphone/**/*.ts', 'libs/softphone/**/*.ts'] };
const softphoneNgrx = [
  ...ngrx.configs.allTypeChecked.map((config) => ({ ...config, ...softphoneFiles })),
  // Type information for the type-checked rules (avoid-cyclic-effects, no-multiple-actions-in-effects).
  { ...softphoneFiles, languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: workspaceRoot } } },
  // Strict: the default mode finds only class-based effects; ours are functional, and every
  // withLatestFrom in them reads the store, which concatLatestFrom reads only once an action arrives.
  { ...softphoneFiles, rules: { '@ngrx/prefer-concat-latest-from': ['error', { strict: true }] } },
];

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  ...nx.configs['flat/javascript'],
  { ignores: ['**/dist', '**/out-tsc', '**/.data', '**/coverage', '**/.angular'] },
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.js', '**/*.jsx'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: true,
          // tools/stack: the plain-ESM stack starter shared by npm start, bench/ and the e2e suite (not an Nx project).
          allow: ['^.*/eslint(\\.base)?\\.config\\.[cm]?[jt]s$', '^(\\.\\./)+tools/stack/[a-z-]+\\.mjs$'],
          depConstraints,
        },
      ],
    },
  },
  ...softphoneNgrx,
];
