/** Caches what `build` makes for each key (statements built once per set of columns, cards once per language). */
export function memo<T>(build: (key: string) => T): (key: string) => T {
  const cache = new Map<string, T>();
  return (key) => {
    let found = cache.get(key);
    if (found === undefined) cache.set(key, (found = build(key)));
    return found;
  };
}
