export function apiDataAccessDb(): string {
  return 'api-data-access-db';
}
