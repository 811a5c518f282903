export function sandboxDataAccessCalls(): string {
  return 'sandbox-data-access-calls';
}
