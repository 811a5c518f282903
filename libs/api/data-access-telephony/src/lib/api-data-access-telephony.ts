export function apiDataAccessTelephony(): string {
  return 'api-data-access-telephony';
}
