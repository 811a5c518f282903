export function sandboxMedia(): string {
  return 'sandbox-media';
}
