// Path templates compiled once into one matcher: `{name}` is one segment, a trailing `*` the rest.
export type RouteMatcher = (path: string) => string | undefined;

export function routeMatcher(templates: readonly string[]): RouteMatcher {
  if (templates.length === 0) return () => undefined;
  const compiled = templates.map((t) => ({ template: t, re: new RegExp(`^${toPattern(t)}$`) }));
  return (path) => compiled.find((c) => c.re.test(path))?.template;
}

function toPattern(template: string): string {
  return template
    .split(/(\{[^}/]*\}|\*$)/)
    .map((part) => {
      if (part === '*') return '.*';
      if (part.startsWith('{') && part.endsWith('}')) return '[^/]+';
      return part.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
    })
    .join('');
}
