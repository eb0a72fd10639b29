/** Account id as printed and exported for people: all but the last 4 characters hidden. */
export function maskAccount(accountId: string | null | undefined): string | null {
  if (accountId === null || accountId === undefined) return null;
  const visible = accountId.length > 4 ? 4 : Math.floor(accountId.length / 2);
  return '*'.repeat(Math.max(4, accountId.length - visible)) + accountId.slice(accountId.length - visible);
}
