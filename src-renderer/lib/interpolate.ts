// "{name}" placeholders in translated strings; a placeholder with no value stays visible so a
// missing argument shows up on screen and in tests instead of silently vanishing.
// Counted words use "{n, plural, one {# try} other {# tries}}": the form comes from
// Intl.PluralRules of the interface language ("=0 {...}" picks an exact number first), "#" is the number.
export type Vars = Record<string, string | number>;

const PLURAL = /\{(\w+), plural,((?:\s*=?\w+\s*\{[^{}]*\})+)\s*\}/g;
const OPTION = /(=?\w+)\s*\{([^{}]*)\}/g;
const SIMPLE = /\{(\w+)\}/g;

const rules = new Map<string, Intl.PluralRules>();

function pluralRules(locale: string): Intl.PluralRules {
  let r = rules.get(locale);
  if (!r) {
    r = new Intl.PluralRules(locale);
    rules.set(locale, r);
  }
  return r;
}

function plural(whole: string, value: string | number | undefined, options: string, locale: string): string {
  const n = typeof value === 'number' ? value : Number(value);
  if (value === undefined || !Number.isFinite(n)) return whole;
  const forms = new Map([...options.matchAll(OPTION)].map((m) => [m[1] ?? '', m[2] ?? '']));
  const form = forms.get(`=${n}`) ?? forms.get(pluralRules(locale).select(n)) ?? forms.get('other') ?? whole;
  return form.replace(/#/g, String(value));
}

export function interpolate(template: string, vars?: Vars, locale = 'en'): string {
  if (!vars) return template;
  return template
    .replace(PLURAL, (whole, name: string, options: string) => plural(whole, vars[name], options, locale))
    .replace(SIMPLE, (whole, name: string) => {
      const value = vars[name];
      return value === undefined ? whole : String(value);
    });
}

/** Names of the placeholders a template uses, for the catalog consistency test. */
export function placeholders(template: string): string[] {
  const counted = [...template.matchAll(PLURAL)].map((m) => m[1] ?? '');
  const simple = [...template.replace(PLURAL, '').matchAll(SIMPLE)].map((m) => m[1] ?? '');
  return [...new Set([...counted, ...simple])].sort();
}
