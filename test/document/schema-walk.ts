import { resultSchema } from "./validate.js";

type Node = Record<string, unknown>;

const schema = resultSchema as Node;
const defs = schema.$defs as Record<string, Node>;

/**
 * Every described field of the schema by a dotted path: top-level fields by
 * name (`tiers`, `plan.seed`), shared definitions by their name
 * (`distribution.p95`, `tier.memoryMb`), array items with `[]`.
 */
export function describedPaths(): string[] {
  const paths: string[] = [];
  const walk = (node: Node, path: string) => {
    if (typeof node.description === "string" && path !== "") paths.push(path);
    const properties = node.properties as Record<string, Node> | undefined;
    for (const [key, child] of Object.entries(properties ?? {})) {
      walk(child, path === "" ? key : `${path}.${key}`);
    }
    if (typeof node.items === "object" && node.items !== null)
      walk(node.items as Node, `${path}[]`);
  };
  walk(schema, "");
  for (const [name, def] of Object.entries(defs)) walk(def, name);
  return paths;
}

function resolve(node: Node, value: unknown): Node {
  if (typeof node.$ref === "string")
    return resolve(defs[node.$ref.replace("#/$defs/", "")]!, value);
  const oneOf = node.oneOf as Node[] | undefined;
  if (oneOf !== undefined && value !== null) {
    return resolve(oneOf.find((option) => option.type !== "null")!, value);
  }
  return node;
}

/**
 * Where the keys of an object in `value` are not in the schema's property
 * order: one line per object, empty when every object follows it.
 */
export function keyOrderProblems(value: unknown, node: Node = schema, path = ""): string[] {
  const resolved = resolve(node, value);
  if (Array.isArray(value)) {
    const items = resolved.items;
    if (typeof items !== "object" || items === null) return [];
    return value.flatMap((item, i) => keyOrderProblems(item, items as Node, `${path}/${i}`));
  }
  if (value === null || typeof value !== "object") return [];
  const properties = resolved.properties as Record<string, Node> | undefined;
  if (properties === undefined) return [];
  const keys = Object.keys(value);
  const expected = Object.keys(properties).filter((key) => keys.includes(key));
  const problems =
    keys.join() === expected.join()
      ? []
      : [`${path || "(document)"}: ${keys.join(", ")} instead of ${expected.join(", ")}`];
  for (const key of keys) {
    const child = properties[key];
    if (child !== undefined) {
      problems.push(...keyOrderProblems((value as Node)[key], child, `${path}/${key}`));
    }
  }
  return problems;
}
