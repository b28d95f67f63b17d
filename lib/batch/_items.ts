/**
 * The input side of a batch: one JSONL line into one item, or the reason it
 * is not one; the id of an item without one.
 *
 * @module
 */

import { sha256Hex, stableStringify } from "../transport/recordings.ts";
import type { NumberedLine } from "./_jsonl.ts";

/** An input line that cannot be an item. */
export interface BadLine {
  /** Its line number, from 1. */
  line: number;
  /** Why. */
  message: string;
}

/** An item on its way through the batch. */
export interface Pending {
  /** Its id (given, or a digest). */
  id: string;
  /** Its input line. */
  line: number;
  /** The task's input. */
  inputs: unknown;
  /** Its own parameters. */
  parameters?: Record<string, unknown>;
  /** Requests sent for it so far (what the output's `attempts` says). */
  attempts: number;
  /** Of those, the ones that failed in a way worth retrying (5xx, network): bounded by `maxAttempts`. */
  failures: number;
  /** Of those, the 503s and 424s: bounded by `maxUnavailableAttempts`. */
  unavailable: number;
  /** Of those, the ones answered 429: unbounded, a 429 never fails an item. */
  rateLimited: number;
}

/** Parse one input line into an item, or say why it is not one. */
export async function parseItem({ line, text }: NumberedLine): Promise<Pending | BadLine> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { line, message: `not JSON (${(error as Error).message})` };
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    return { line, message: 'an item must be a JSON object like {"inputs": ...}' };
  }
  const item = value as Record<string, unknown>;
  const problem = problemOf(item);
  if (problem !== undefined) return { line, message: problem };
  const parameters = item.parameters as Record<string, unknown> | undefined;
  const id = item.id !== undefined ? String(item.id) : await itemDigest(item.inputs, parameters);
  return {
    id,
    line,
    inputs: item.inputs,
    ...(parameters ? { parameters } : {}),
    attempts: 0,
    failures: 0,
    unavailable: 0,
    rateLimited: 0,
  };
}

function problemOf(item: Record<string, unknown>): string | undefined {
  if (!("inputs" in item) || item.inputs === undefined || item.inputs === null) {
    return 'the item has no "inputs"';
  }
  if (item.id !== undefined && typeof item.id !== "string" && typeof item.id !== "number") {
    return `"id" must be a string or a number, got ${typeof item.id}`;
  }
  if (typeof item.id === "string" && item.id.trim() === "") return '"id" is blank';
  const parameters = item.parameters;
  if (
    parameters !== undefined &&
    (parameters === null || typeof parameters !== "object" || Array.isArray(parameters))
  ) {
    return '"parameters" must be an object';
  }
  return undefined;
}

/**
 * The id of an item without one: a digest of its `inputs` and `parameters`
 * (key order does not matter), so the same item gets the same id on every run.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { itemDigest } from "@hf-workbook/workbook/batch";
 *
 * assert.equal(await itemDigest("text", { a: 1, b: 2 }), await itemDigest("text", { b: 2, a: 1 }));
 * assert.match(await itemDigest("text"), /^sha256-[0-9a-f]{16}$/);
 * ```
 */
export async function itemDigest(inputs: unknown, parameters?: unknown): Promise<string> {
  const canonical = stableStringify(parameters === undefined ? { inputs } : { inputs, parameters });
  return `sha256-${(await sha256Hex(new TextEncoder().encode(canonical))).slice(0, 16)}`;
}
