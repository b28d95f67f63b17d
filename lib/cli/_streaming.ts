/**
 * Which tasks stream their answer: a module of its own, so that a task call
 * reads it without loading the program (commander).
 *
 * @module
 */

/** Tasks whose answer can be streamed as it is generated (`--stream`). */
export const STREAMING_TASKS: readonly string[] = ["chat-completion", "text-generation"];
