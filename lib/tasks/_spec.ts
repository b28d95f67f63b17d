/**
 * A task's contract, read from the official spec: the JSON Schema of its
 * input that `@huggingface/tasks` ships (copied into `_specs/hf/` by
 * `deno task specs`), plus the workbook's own narrower rules declared next to
 * it. From one declaration come the runtime check of a helper's parameters
 * (misspelt names refused with the nearest valid one, types and ranges
 * checked by `@cfworker/json-schema`), the command line's `--param` names,
 * types and `--help` text, and the output shape check.
 *
 * This module is light on purpose (the command line imports it to list
 * parameters): the validator is imported and compiled only when a check runs.
 *
 * @module
 */

// The package's ES module build: its main entry is CommonJS, which would load Node's module loader (tens of ms).
import { closest, distance } from "npm:fastest-levenshtein@^1.0.16/esm/mod.js";
import common from "./_specs/hf/common-definitions.json" with { type: "json" };
import { got, isRecord } from "./_check.ts";

export { isRecord };

/** A JSON Schema (as the spec files write them). */
export type JsonSchema = { readonly [key: string]: unknown };

/**
 * A type without its open index signatures, deeply: the package's generated
 * types end every interface with `[property: string]: unknown`, which lets a
 * misspelt name through; with them stripped it is a compile error.
 *
 * @example A misspelt name does not compile
 * ```ts
 * import type { SummarizationParameters } from "@huggingface/tasks";
 * import type { Known } from "@hf-workbook/workbook";
 *
 * const ok: Known<SummarizationParameters> = { truncation: "only_first" };
 * const misspelt: Known<SummarizationParameters> = {
 *   // @ts-expect-error "truncate" is not a summarization parameter
 *   truncate: "only_first",
 * };
 * void ok, misspelt;
 * ```
 */
export type Known<T> = T extends readonly (infer U)[] ? Known<U>[]
  : T extends Blob | Uint8Array | ((...args: never[]) => unknown) ? T
  : T extends object
    ? { [K in keyof T as string extends K ? never : number extends K ? never : K]: Known<T[K]> }
  : T;

/** What a task file declares: which spec, where its parameters are, and the workbook's own rules. */
export interface ContractDeclaration {
  /** The task's id in `@huggingface/tasks` (`summarization`, `chat-completion`). */
  task: string;
  /** The spec's `input.json` (import it from `./hf/<task>/input.json`). */
  input: JsonSchema;
  /** The spec's `output.json`, for the output shape check. */
  output?: JsonSchema;
  /** The model used when the caller names none. */
  defaultModel: string;
  /**
   * Where the parameters are: under `parameters` (most tasks), or at the top
   * level of the body next to the input (`"root"`: chat completion, feature
   * extraction). @default {"parameters"}
   */
  parametersAt?: "parameters" | "root";
  /** With `parametersAt: "root"`: the top-level names that are the input, not parameters. @default {["inputs"]} */
  inputNames?: readonly string[];
  /**
   * The workbook's own rules, by dotted parameter name: each schema is laid
   * over the spec's schema of that parameter (its keys win; a key set to
   * `null` lifts the spec's keyword), e.g.
   * `{ candidate_labels: { minItems: 1, maxItems: 10 } }`; the name `"."` lays
   * a rule over the parameters object itself (cross checks, `dependencies`). A rule may carry
   * `"x-must"`: what the value must be, for the error message.
   */
  rules?: Readonly<Record<string, JsonSchema>>;
}

/** One parameter as the command line reads it. */
export type ParamType = "string" | "number" | "integer" | "boolean" | "list" | "json";

/** One parameter of a spec: dotted name, type, description, choices, default. */
export interface SpecParameter {
  /** The name, dotted for a nested one (`generate_parameters.max_new_tokens`). */
  name: string;
  /** How the command line reads its value: `list` is comma-separated (or a JSON array), `json` any JSON. */
  type: ParamType;
  /** The spec's description (whitespace collapsed), or the workbook's when the spec has none. */
  description: string;
  /** The values it may take. */
  choices?: readonly string[];
  /** The spec's default, as the spec writes it. */
  default?: string;
}

/** A task's contract, built once from its {@linkcode ContractDeclaration}. */
export interface TaskContract extends ContractDeclaration {
  /** The parameters' schema: the spec's, dereferenced, with the workbook's rules laid over it. */
  readonly schema: JsonSchema;
  /** Every parameter, nested ones expanded to dotted names, in the spec's order. */
  readonly parameters: readonly SpecParameter[];
  /** The input spec as the validator reads it (OpenAPI `nullable` rewritten). */
  readonly root: JsonSchema;
  /** The output spec as the validator reads it. */
  readonly outputSchema?: JsonSchema;
}

/** The spec's common definitions, as the validator reads them. */
export const COMMON: JsonSchema = normalize(common as JsonSchema);
const COMMON_ID = String(common.$id);

/**
 * Build a task's contract from its declaration. The schema, the parameters
 * and the normalised specs are derived when first read (a command that runs
 * one task derives only that task's), then kept; a rule that names a
 * parameter the spec does not have throws then.
 *
 * @example The parameters of a task, from its spec
 * ```ts
 * import assert from "node:assert/strict";
 * import { defineContract } from "./_spec.ts";
 * import input from "./_specs/hf/summarization/input.json" with { type: "json" };
 *
 * const spec = defineContract({ task: "summarization", input, defaultModel: "m/x" });
 * assert.deepEqual(spec.parameters.map((p) => p.name), ["clean_up_tokenization_spaces", "truncation", "generate_parameters"]);
 * ```
 *
 * @throws {Error} When a rule names a parameter the spec does not have at that place.
 */
export function defineContract(declaration: ContractDeclaration): TaskContract {
  let derived: { root: JsonSchema; schema: JsonSchema; parameters: readonly SpecParameter[] } | undefined;
  let outputSchema: JsonSchema | undefined;
  const derive = () => derived ??= deriveContract(declaration);
  const contract = { ...declaration } as TaskContract;
  Object.defineProperties(contract, {
    root: { get: () => derive().root, enumerable: true },
    schema: { get: () => derive().schema, enumerable: true },
    parameters: { get: () => derive().parameters, enumerable: true },
  });
  if (declaration.output !== undefined) {
    const output = declaration.output;
    Object.defineProperty(contract, "outputSchema", {
      get: () => outputSchema ??= normalize(output),
      enumerable: true,
    });
  }
  return contract;
}

/** The derived parts of a contract: the normalised input spec, the parameters' schema and list. */
function deriveContract(declaration: ContractDeclaration) {
  const root = normalize(declaration.input);
  let schema = parametersSchema(root, declaration);
  for (const [name, rule] of Object.entries(declaration.rules ?? {})) {
    schema = name === "."
      ? without({ ...schema, ...normalize(rule) })
      : layRule(schema, root, name.split("."), normalize(rule), name);
  }
  return { root, schema, parameters: listParameters(schema, root, []) };
}

/** The parameters' schema of the spec, dereferenced one level. */
function parametersSchema(root: JsonSchema, declaration: ContractDeclaration): JsonSchema {
  const properties = (root.properties ?? {}) as Record<string, JsonSchema>;
  if ((declaration.parametersAt ?? "parameters") === "parameters") {
    return properties.parameters ? deref(properties.parameters, root) : { type: "object", properties: {} };
  }
  const inputs = declaration.inputNames ?? ["inputs"];
  return {
    type: "object",
    properties: Object.fromEntries(Object.entries(properties).filter(([k]) => !inputs.includes(k))),
  };
}

/** The schema with `rule` laid over the parameter at `path`. */
function layRule(
  schema: JsonSchema,
  root: JsonSchema,
  path: string[],
  rule: JsonSchema,
  name: string,
): JsonSchema {
  const [head, ...rest] = path;
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const child = properties[head!];
  if (child === undefined && rest.length > 0) {
    throw new Error(`Cannot lay the rule of "${name}": the spec has no parameter "${head}"`);
  }
  const here = child === undefined ? {} : deref(child, root);
  const next = rest.length === 0
    ? without({ ...here, ...deref(rule, root) })
    : layRule(here, root, rest, rule, name);
  return { ...schema, properties: { ...properties, [head!]: next } };
}

/** A schema without the keywords a rule set to `null` (a rule that lifts a keyword of the spec). */
function without(schema: Record<string, unknown>): JsonSchema {
  return Object.fromEntries(Object.entries(schema).filter(([, v]) => v !== null));
}

/** Resolve a `$ref` (in the spec itself or in the common definitions) and a one-branch `allOf`.
 *
 * @throws {Error} When a reference does not resolve in the spec or its common definitions.
 */
export function deref(schema: JsonSchema, root: JsonSchema): JsonSchema {
  let node = schema;
  for (let depth = 0; depth < 16; depth++) {
    const { $ref, allOf, ...rest } = node as JsonSchema & { $ref?: string; allOf?: JsonSchema[] };
    if (typeof $ref === "string") {
      node = { ...resolveRef($ref, root), ...rest };
    } else if (Array.isArray(allOf) && allOf.length === 1) {
      node = { ...allOf[0], ...rest };
    } else {
      return node;
    }
  }
  return node;
}

function resolveRef(ref: string, root: JsonSchema): JsonSchema {
  const [file, pointer = ""] = ref.split("#");
  const document = file === "" ? root : file === COMMON_ID ? COMMON : undefined;
  let node: unknown = document;
  for (const key of pointer.split("/").filter((k) => k !== "")) {
    node = (node as Record<string, unknown> | undefined)?.[key];
  }
  if (node === undefined || node === null || typeof node !== "object") {
    throw new Error(`Cannot resolve the spec reference ${ref}`);
  }
  return node as JsonSchema;
}

/**
 * The spec's OpenAPI `nullable: true` as JSON Schema (`type: [t, "null"]`, or
 * `anyOf` with null), everywhere in a schema: what the validator reads.
 */
function normalize(schema: JsonSchema): JsonSchema {
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk);
    if (node === null || typeof node !== "object") return node;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node)) out[k] = walk(v);
    if (out.nullable !== true) return out;
    delete out.nullable;
    if (typeof out.type === "string" && !Array.isArray(out.enum)) return { ...out, type: [out.type, "null"] };
    const { description, ...rest } = out;
    return { ...(description === undefined ? {} : { description }), anyOf: [{ type: "null" }, rest] };
  };
  return walk(schema) as JsonSchema;
}

/** The parameters under `schema`, known objects expanded to dotted names. */
function listParameters(schema: JsonSchema, root: JsonSchema, prefix: string[]): SpecParameter[] {
  const out: SpecParameter[] = [];
  for (const [key, raw] of Object.entries((schema.properties ?? {}) as Record<string, JsonSchema>)) {
    const node = deref(raw, root);
    const children = knownProperties(node, root);
    if (children !== undefined && Object.keys(children).length > 0 && node["x-expand"] !== false) {
      out.push(...listParameters(node, root, [...prefix, key]));
      continue;
    }
    out.push(describe([...prefix, key].join("."), node, root));
  }
  return out;
}

/** The named properties of an object schema, or `undefined` when it is free-form (no `properties`). */
function knownProperties(node: JsonSchema, root: JsonSchema): Record<string, JsonSchema> | undefined {
  const object = deref(nonNull(node), root);
  if (object.properties === undefined || object.additionalProperties === true) return undefined;
  return object.properties as Record<string, JsonSchema>;
}

/** The non-null branch of a nullable schema. */
export function nonNull(node: JsonSchema): JsonSchema {
  const anyOf = node.anyOf as JsonSchema[] | undefined;
  if (Array.isArray(anyOf) && anyOf.length === 2 && anyOf[0]?.type === "null") return anyOf[1]!;
  return node;
}

function describe(name: string, node: JsonSchema, root: JsonSchema): SpecParameter {
  const inner = deref(nonNull(node), root);
  const types = (Array.isArray(inner.type) ? inner.type : [inner.type]).filter((t) => t !== "null");
  const items = inner.items === undefined ? {} : deref(inner.items as JsonSchema, root);
  const choices = choicesIn(inner)?.map(String);
  let type: ParamType = "json";
  if (types.length === 1 && ["string", "number", "integer", "boolean"].includes(String(types[0]))) {
    type = types[0] as ParamType;
  } else if (types.length === 1 && types[0] === "array" && items.type === "string" && !items.enum) {
    type = "list";
  }
  if (choices !== undefined && choices.some((c) => c !== "true" && c !== "false") && type === "json") {
    type = "json";
  }
  const text = String(node.description ?? inner.description ?? "").replace(/\s+/g, " ").trim();
  const fallback = node.default ?? inner.default;
  return {
    name,
    type,
    description: text,
    ...(choices !== undefined ? { choices } : {}),
    ...(fallback !== undefined && fallback !== "null" ? { default: String(fallback) } : {}),
  };
}

/** The values a schema allows, when it lists them: its `enum`, or a `oneOf` of `const`s (null left out). */
export function choicesIn(schema: JsonSchema): unknown[] | undefined {
  if (Array.isArray(schema.enum)) return schema.enum.filter((v) => v !== null);
  const branches = schema.oneOf ?? schema.anyOf;
  if (Array.isArray(branches) && branches.length > 0 && branches.every((b) => isRecord(b) && "const" in b)) {
    return branches.map((b) => (b as JsonSchema).const).filter((v) => v !== null);
  }
  return undefined;
}

/** The known names at one place of a parameters object: for suggestions and the unknown-name check. */
function namesAt(spec: TaskContract, path: readonly string[]): Record<string, JsonSchema> | undefined {
  const { root } = spec;
  let node: JsonSchema | undefined = spec.schema;
  for (const key of path) {
    const properties: Record<string, JsonSchema> | undefined = node === undefined
      ? undefined
      : knownProperties(node, root);
    node = properties?.[key] === undefined ? undefined : deref(nonNull(deref(properties[key]!, root)), root);
  }
  return node === undefined ? undefined : knownProperties(node, root);
}

/** The nearest valid name to `name` among `known`, when it is near enough to be a misspelling. */
export function nearest(name: string, known: readonly string[]): string | undefined {
  const plain = (s: string) => s.toLowerCase().replace(/[_\-\s]/g, "");
  const same = known.find((k) => plain(k) === plain(name)) ??
    known.find((k) => name.length >= 4 && (k.startsWith(name) || name.startsWith(k)));
  if (same !== undefined || known.length === 0) return same;
  const best = closest(name, known as string[]);
  return distance(name, best) <= Math.max(2, Math.floor(Math.max(best.length, name.length) / 3))
    ? best
    : undefined;
}

/** Where a name goes in messages, as a helper takes it: `parameters.top_k`, `parameters.stop[1]`. */
export function where(_spec: TaskContract, path: readonly string[]): string {
  const names = ["parameters", ...path];
  return names.map((n, i) => /^\d+$/.test(n) ? `[${n}]` : i === 0 ? n : `.${n}`).join("");
}

/**
 * Refuse a name the spec does not know, anywhere a parameters object names
 * its keys, with the nearest valid one.
 *
 * @throws {TypeError} On the first unknown name.
 */
export function checkNames(spec: TaskContract, parameters: Record<string, unknown>, verb: string): void {
  const walk = (value: Record<string, unknown>, path: string[]) => {
    const known = namesAt(spec, path);
    if (known === undefined) return;
    for (const [key, child] of Object.entries(value)) {
      if (!(key in known)) throw unknownName(spec, [...path, key], Object.keys(known), verb);
      if (isRecord(child)) walk(child, [...path, key]);
    }
  };
  walk(parameters, []);
}

function unknownName(spec: TaskContract, path: string[], known: string[], verb: string): TypeError {
  const name = path[path.length - 1]!;
  const prefix = path.slice(0, -1).join(".");
  const elsewhere = spec.parameters.find((p) =>
    p.name.endsWith(`.${name}`) && p.name !== `${prefix}.${name}`
  );
  const guess = nearest(name, known) ?? elsewhere?.name;
  const hint = guess !== undefined
    ? `did you mean "${guess}"?`
    : known.length === 0
    ? "it takes none"
    : `known: ${known.join(", ")}`;
  return new TypeError(
    `Cannot ${verb}: "${where(spec, path)}" is not a parameter of ${spec.task}; ${hint} ` +
      `(to send a name beyond the spec on purpose, put it in extraParameters)`,
  );
}

/**
 * The parameters to send: the checked ones with `extra` laid over them
 * (nested objects merged), sent as given. `extra` is the escape hatch for what
 * a provider accepts beyond the spec.
 *
 * @example A legacy parameter on purpose
 * ```ts
 * import assert from "node:assert/strict";
 * import { withExtra } from "./_spec.ts";
 *
 * assert.deepEqual(withExtra({ truncation: "only_first" }, { max_length: 100 }), { truncation: "only_first", max_length: 100 });
 * assert.equal(withExtra(undefined, undefined), undefined);
 * ```
 *
 * @throws {TypeError} When `extra` is not a plain object.
 */
export function withExtra(
  parameters: Record<string, unknown> | undefined,
  extra: Record<string, unknown> | undefined,
): Record<string, unknown> | undefined {
  if (extra === undefined) return parameters;
  if (!isRecord(extra)) {
    throw new TypeError(`Cannot send parameters: "extraParameters" must be an object, got ${got(extra)}`);
  }
  const merge = (a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> => {
    const out = { ...a };
    for (const [k, v] of Object.entries(b)) out[k] = isRecord(v) && isRecord(out[k]) ? merge(out[k], v) : v;
    return out;
  };
  return merge(parameters ?? {}, extra);
}

/**
 * The choices the spec gives a parameter (its `enum`), for exported lists
 * such as `CLASSIFICATION_OUTPUT_TRANSFORMS`.
 *
 * @throws {Error} When the parameter has no choices in the spec.
 */
export function choicesOf<T extends string>(contract: TaskContract, name: string): readonly T[] {
  const found = contract.parameters.find((p) => p.name === name)?.choices;
  if (found === undefined) {
    throw new Error(`Cannot list the choices of ${contract.task}'s "${name}": it has none`);
  }
  return found as readonly T[];
}
