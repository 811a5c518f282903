export function sandboxModel(): string {
  return 'sandbox-model';
}
