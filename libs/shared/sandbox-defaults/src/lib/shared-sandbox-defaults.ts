export function sharedSandboxDefaults(): string {
  return 'shared-sandbox-defaults';
}
