/**
 * The API's routes by path, so a request for a path that exists with another method is a 405
 * with `Allow`, not a 404. Fastify only knows "no route"; this remembers which paths there are.
 */
export function createRouteTable() {
  const routes = new Map<string, { pattern: RegExp; methods: Set<string> }>();
  return {
    add(method: string | string[], url: string) {
      let entry = routes.get(url);
      if (!entry) {
        const pattern = new RegExp(`^${url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:[A-Za-z_]\w*/g, '[^/]+')}/?$`);
        entry = { pattern, methods: new Set() };
        routes.set(url, entry);
      }
      for (const one of [method].flat()) entry.methods.add(one);
    },
    /** The methods a path allows, or null when no route has that path. */
    allowed(path: string): string[] | null {
      const methods = [...routes.values()].filter(({ pattern }) => pattern.test(path)).flatMap((entry) => [...entry.methods]);
      return methods.length === 0 ? null : [...new Set(methods)].sort();
    },
  };
}
