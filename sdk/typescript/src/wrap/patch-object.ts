type Method = (...args: unknown[]) => unknown;

export interface Patches {
  /** Sub-objects to wrap in turn (e.g. `chat` → `completions`), by property name. */
  children?: Record<string, (value: object) => object>;
  /** Methods to trace: each gets the original method, the real object and the call's arguments. */
  methods?: Record<string, (original: Method, target: object, args: unknown[]) => unknown>;
}

/**
 * A Proxy over a provider SDK object that reads every property with `Reflect.get` and replaces only the
 * named children and methods. Other methods are bound to the real object, because SDK classes keep
 * `#private` state that a Proxy receiver cannot reach. Wrapped values are cached, so `client.chat` stays
 * the same object from one read to the next.
 */
export function patchObject<T extends object>(target: T, patches: Patches): T {
  const cache = new Map<PropertyKey, { source: unknown; wrapped: unknown }>();
  return new Proxy(target, {
    get(object, property) {
      // The real object as receiver: getters touching #private fields would throw with the Proxy as `this`.
      const value = Reflect.get(object, property);
      if (typeof property !== "string") return value;
      const cached = cache.get(property);
      if (cached && cached.source === value) return cached.wrapped;
      const wrapped = wrapValue(object, property, value, patches);
      if (wrapped !== value) cache.set(property, { source: value, wrapped });
      return wrapped;
    },
  });
}

function wrapValue(object: object, property: string, value: unknown, patches: Patches): unknown {
  const child = patches.children?.[property];
  if (child && typeof value === "object" && value !== null) return child(value);
  const method = patches.methods?.[property];
  if (typeof value !== "function") return value;
  if (method) {
    const original = value as Method;
    return function (this: unknown, ...args: unknown[]) {
      return method(original, object, args);
    };
  }
  return value.bind(object);
}
