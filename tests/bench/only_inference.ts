/**
 * The start-up baseline of the benchmark: a script that only imports the
 * official client, as a program using `@huggingface/inference` directly starts.
 *
 * @module
 */

import "@huggingface/inference";
