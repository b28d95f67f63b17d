/**
 * The runtime check of a task's parameters and output against its contract
 * ({@linkcode TaskContract}, `_spec.ts`), with `@cfworker/json-schema` (no
 * code generation, so no `eval`; each schema compiled on its first use).
 * Task files import this module; the command line's registry imports only
 * `_spec.ts`, so listing parameters never loads the validator.
 *
 * @module
 */

import { Validator } from "npm:@cfworker/json-schema@^4.1.6";
import { got, isRecord } from "./_check.ts";
import {
  checkNames,
  choicesIn,
  COMMON,
  deref,
  type JsonSchema,
  nonNull,
  type TaskContract,
  where,
  withExtra,
} from "./_spec.ts";

type Validate = (
  value: unknown,
) => { valid: boolean; errors: { instanceLocation: string; keyword: string }[] };
const validators = new WeakMap<JsonSchema, Validate>();

/** The validator of a schema, compiled on first use. */
function validatorOf(schema: JsonSchema, root: JsonSchema): Validate {
  let found = validators.get(schema);
  if (found === undefined) {
    const document = { ...schema, $id: `${String(root.$id ?? "/spec")}#checked`, $defs: root.$defs ?? {} };
    const validator = new Validator(document as never, "7", true);
    validator.addSchema(COMMON as never, String(COMMON.$id));
    found = (value: unknown) => validator.validate(value);
    validators.set(schema, found);
  }
  return found;
}

/**
 * Check a helper's parameters against its task's spec, before any request:
 * a plain object, only names the spec knows (the nearest one suggested), and
 * each value of the type and range the spec and the workbook's rules say.
 *
 * @example A misspelt name, and a value out of range
 * ```ts
 * import assert from "node:assert/strict";
 * import { defineContract } from "./_spec.ts";
 * import { checkParameters } from "./_spec_check.ts";
 * import input from "./_specs/hf/zero-shot-classification/input.json" with { type: "json" };
 *
 * const spec = defineContract({
 *   task: "zero-shot-classification",
 *   input,
 *   defaultModel: "m/x",
 *   rules: { candidate_labels: { maxItems: 10, "x-must": "list 1 to 10 labels" } },
 * });
 * checkParameters(spec, { candidate_labels: ["a", "b"], multi_label: true }, "classify text");
 * assert.throws(() => checkParameters(spec, { candidate_labels: ["a"], multilabel: true }, "classify text"), /did you mean "multi_label"\?/);
 * assert.throws(
 *   () => checkParameters(spec, { candidate_labels: [..."abcdefghijk"] }, "classify text"),
 *   /"parameters.candidate_labels" must list 1 to 10 labels, got an array of 11/,
 * );
 * ```
 *
 * @throws {TypeError} When `parameters` is not an object, names what the spec does not know, or a value has the wrong type.
 * @throws {RangeError} When a value is out of range or not one of the spec's choices.
 */
export function checkParameters(spec: TaskContract, parameters: unknown, verb: string): void {
  if (parameters === undefined) parameters = {};
  if (!isRecord(parameters)) {
    throw new TypeError(`Cannot ${verb}: "parameters" must be an object, got ${got(parameters)}`);
  }
  checkNames(spec, parameters, verb);
  const { root } = spec;
  const result = validatorOf(spec.schema, root)(parameters);
  if (result.valid) return;
  throw invalid(spec, root, parameters, result.errors, verb);
}

type Failure = { instanceLocation: string; keyword: string; error?: string };

/** The error of the deepest failing value, said from the schema of that place. */
function invalid(
  spec: TaskContract,
  root: JsonSchema,
  parameters: Record<string, unknown>,
  errors: readonly Failure[],
  verb: string,
): Error {
  const cross = errors.some((e) =>
    e.instanceLocation === "#" && ["if", "then", "dependencies"].includes(e.keyword)
  );
  if (cross && typeof spec.schema["x-must"] === "string") {
    return new TypeError(`Cannot ${verb}: "parameters" must ${spec.schema["x-must"]}`);
  }
  return explain({ spec, root, verb }, spec.schema, parameters, [], errors);
}

/** What {@linkcode explain} keeps between its calls. */
interface Context {
  spec: TaskContract;
  root: JsonSchema;
  verb: string;
}

/** The error of `value` (at `prefix`) failing `schema`, descending into the branch a union picks. */
function explain(
  context: Context,
  schema: JsonSchema,
  value: unknown,
  prefix: string[],
  errors: readonly Failure[],
) {
  const { root } = context;
  const leaf = [
    "type",
    "required",
    "enum",
    "const",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
  ];
  const depth = (e: Failure) => e.instanceLocation.split("/").length;
  const deepest = [...errors].sort((a, b) =>
    depth(b) - depth(a) || Number(leaf.includes(b.keyword)) - Number(leaf.includes(a.keyword))
  )[0]!;
  const path = deepest.instanceLocation.replace(/^#\/?/, "").split("/").filter((k) => k !== "").map(
    decodeURIComponent,
  );
  let here: unknown = value;
  let node: JsonSchema | undefined = schema;
  for (const [i, key] of [...path, ""].entries()) {
    const inner: JsonSchema | undefined = node === undefined
      ? undefined
      : deref(nonNull(deref(node, root)), root);
    if (inner !== undefined && unionOf(inner) !== undefined) {
      return union(context, inner, here, [...prefix, ...path.slice(0, i)]);
    }
    if (i === path.length) break;
    here = (here as Record<string, unknown> | undefined)?.[key];
    const next: unknown = /^\d+$/.test(key)
      ? inner?.items
      : (inner?.properties as Record<string, JsonSchema>)?.[key];
    node = next === undefined ? undefined : deref(next as JsonSchema, root);
  }
  return said(context, node, here, [...prefix, ...path], deepest);
}

/** The branches of a union schema (`oneOf` / `anyOf`), unless it only lists values. */
function unionOf(schema: JsonSchema): JsonSchema[] | undefined {
  const branches = (schema.oneOf ?? schema.anyOf) as JsonSchema[] | undefined;
  return Array.isArray(branches) && choicesIn(schema) === undefined ? branches : undefined;
}

/** A value that fits no branch of a union: the branch its `type` names, or what the branches take. */
function union(context: Context, schema: JsonSchema, value: unknown, path: string[]): Error {
  const { spec, root, verb } = context;
  const branches = unionOf(schema)!.map((b) => deref(b, root));
  const tagOf = (b: JsonSchema) =>
    choicesIn(deref(((b.properties ?? {}) as Record<string, JsonSchema>).type ?? {}, root));
  const tagged = branches.filter((b) => tagOf(b)?.length === 1);
  if (
    isRecord(value) && tagged.length > 0 &&
    tagged.length === branches.filter((b) => b.type === "object").length
  ) {
    const picked = tagged.find((b) => tagOf(b)![0] === value.type);
    if (picked !== undefined) {
      const result = validatorOf(picked, root)(value);
      if (!result.valid) return explain(context, picked, value, path, result.errors);
    }
    const tags = tagged.map((b) => String(tagOf(b)![0])).join(", ");
    const shown = value.type === undefined ? "nothing" : JSON.stringify(value.type);
    return new (value.type === undefined ? TypeError : RangeError)(
      `Cannot ${verb}: "${where(spec, [...path, "type"])}" must be one of ${tags}, got ${shown}`,
    );
  }
  const values = branches.flatMap((b) => choicesIn(b) ?? []).map(String);
  const kinds = branches.filter((b) => choicesIn(b) === undefined).map((b) =>
    mustBe(b, root, "type")?.replace(/^be /, "")
  );
  const forms = [...(values.length > 0 ? [`one of ${values.join(", ")}`] : []), ...kinds.filter((k) => k)]
    .join(" or ");
  const kind = value === null ? "null" : Array.isArray(value) ? "array" : typeof value;
  const typed = branches.some((b) => b.type === kind || (b.type === "integer" && kind === "number"));
  return new (typed ? RangeError : TypeError)(
    `Cannot ${verb}: "${where(spec, path)}" must be ${forms}, got ${
      typeof value === "string" ? JSON.stringify(value) : got(value)
    }`,
  );
}

/** The message of one failing value, from its schema and the keyword it fails. */
function said(
  context: Context,
  node: JsonSchema | undefined,
  value: unknown,
  path: string[],
  failure: Failure,
) {
  const { spec, root, verb } = context;
  if (failure.keyword === "required" && node !== undefined && isRecord(value)) {
    const inner = deref(nonNull(node), root);
    const properties = (inner.properties ?? {}) as Record<string, JsonSchema>;
    const missing = ((inner.required ?? []) as string[]).find((k) => !(k in value));
    if (missing !== undefined) {
      const child = properties[missing] === undefined ? {} : deref(properties[missing], root);
      const must = mustBe(child, root, "type") ?? "be given";
      return new TypeError(`Cannot ${verb}: "${where(spec, [...path, missing])}" must ${must}, got nothing`);
    }
  }
  const fraction = failure.keyword === "type" && typeof value === "number" && !Number.isInteger(value);
  const must = node === undefined ? undefined : mustBe(node, root, fraction ? "multipleOf" : failure.keyword);
  const blank = ["pattern", "minLength"].includes(failure.keyword) && typeof value === "string" &&
    value.trim() === "";
  const range = fraction || !(blank || ["type", "required"].includes(failure.keyword));
  const shown = typeof value === "string" && failure.keyword !== "type" ? JSON.stringify(value) : got(value);
  const message = `Cannot ${verb}: "${where(spec, path)}" must ${
    must ?? `match the ${spec.task} spec (${failure.error})`
  }, got ${shown}`;
  return range ? new RangeError(message) : new TypeError(message);
}

/** What a value must be, from its schema: `be a whole number`, `be one of a, b`, `list 1 to 10 labels`. */
function mustBe(node: JsonSchema, root: JsonSchema, keyword: string): string | undefined {
  if (typeof node["x-must"] === "string") return node["x-must"];
  const nullable = nonNull(node) !== node;
  const inner = deref(nonNull(node), root);
  const or = nullable ? " (or null)" : "";
  const choices = choicesIn(inner);
  if (choices !== undefined) return `be one of ${choices.map(String).join(", ")}${or}`;
  if (keyword === "pattern" && typeof inner.pattern === "string") return `match /${inner.pattern}/`;
  const names: Record<string, string> = {
    integer: "a whole number",
    number: "a number",
    boolean: "true or false",
    string: "a string",
    array: "a list",
    object: "an object",
  };
  const types = (Array.isArray(inner.type) ? inner.type : [inner.type]).filter((t) => t !== "null");
  const what = types.map((t) => names[String(t)] ?? String(t)).join(" or ");
  if (what === "") return undefined;
  if (keyword === "type") return `be ${what}${or}`;
  const exclusive = inner.exclusiveMinimum !== undefined &&
    (inner.minimum === undefined || Number(inner.minimum) <= Number(inner.exclusiveMinimum));
  const low = exclusive ? undefined : inner.minimum ?? inner.minItems;
  const high = inner.maximum ?? inner.maxItems;
  const bounds = low !== undefined && high !== undefined ? `from ${low} to ${high}` : [
    low !== undefined ? `of at least ${low}` : "",
    exclusive ? `of more than ${inner.exclusiveMinimum}` : "",
    high !== undefined ? `of at most ${high}` : "",
    inner.exclusiveMaximum !== undefined ? `of less than ${inner.exclusiveMaximum}` : "",
  ].filter((b) => b !== "").join(" and ");
  const items = inner.minItems !== undefined || inner.maxItems !== undefined ? " items" : "";
  return `be ${what}${bounds !== "" ? ` ${bounds}${items}` : ""}${or}`;
}

/**
 * Whether a value has the shape of the task's `output.json` (for answers the
 * library does not check itself, such as a fallback normalisation).
 *
 * @throws {Error} When the declaration has no `output` schema.
 */
export function matchesOutput(spec: TaskContract, value: unknown): boolean {
  const output = spec.outputSchema;
  if (output === undefined) {
    throw new Error(`Cannot check the output of ${spec.task}: no output.json declared`);
  }
  return validatorOf(output, output)(value).valid;
}

/** The parameter options of a helper: the checked `parameters`, and what is sent beyond the spec. */
export interface ParameterOptions {
  /** The task's parameters, checked against its spec. */
  parameters?: unknown;
  /** Sent as given, over `parameters`, unchecked: what a provider accepts beyond the spec. */
  extraParameters?: Record<string, unknown>;
}

/**
 * Check `options.parameters` against the contract and return what to send:
 * the parameters with `options.extraParameters` laid over them (`undefined`
 * when there are neither).
 *
 * @example Checked parameters, and one beyond the spec on purpose
 * ```ts
 * import assert from "node:assert/strict";
 * import { parametersToSend } from "./_spec_check.ts";
 * import { SUMMARIZATION_CONTRACT } from "./_specs/summarization.ts";
 *
 * assert.deepEqual(
 *   parametersToSend(SUMMARIZATION_CONTRACT, { parameters: { truncation: "only_first" }, extraParameters: { max_length: 100 } }, "summarize"),
 *   { truncation: "only_first", max_length: 100 },
 * );
 * assert.throws(() => parametersToSend(SUMMARIZATION_CONTRACT, { parameters: { max_length: 100 } }, "summarize"), TypeError);
 * ```
 *
 * @throws {TypeError} When a parameter is unknown or of the wrong type (see {@linkcode checkParameters}).
 * @throws {RangeError} When a parameter is out of range.
 */
export function parametersToSend(
  contract: TaskContract,
  options: ParameterOptions,
  verb: string,
): Record<string, unknown> | undefined {
  if (options.parameters !== undefined || Array.isArray(contract.schema.required)) {
    checkParameters(contract, options.parameters, verb);
  }
  return withExtra(options.parameters as Record<string, unknown> | undefined, options.extraParameters);
}
