export function sandboxTwimlEngine(): string {
  return 'sandbox-twiml-engine';
}
