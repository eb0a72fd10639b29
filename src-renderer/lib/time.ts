// Times on screen are the store's local time (the country profile's time zone), written the
// way the interface language writes them.
export function formatDateTime(ms: number, language: string, timeZone: string | undefined): string {
  return new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'medium', timeZone }).format(ms);
}

export function formatTime(ms: number, language: string, timeZone: string | undefined): string {
  return new Intl.DateTimeFormat(language, { timeStyle: 'medium', timeZone }).format(ms);
}
