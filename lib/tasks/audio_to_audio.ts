/**
 * Audio to audio: one recording in, one or more out, e.g. speech separated
 * from the noise behind it (speechbrain's SepFormer on HF Inference answers
 * with one base64 recording per source) or enhanced (fal-ai answers with a
 * link, downloaded through the workbook's transport).
 *
 * @module
 */

import { HfOutputError } from "../errors.ts";
import { withProvenance } from "../provenance.ts";
import { type ProviderAnswer, type ProviderTaskOptions, runProviderTask } from "../providers/flow.ts";
import { blobOf, generatedMedia } from "./_generated_media.ts";
import {
  describeStart,
  fromBase64,
  type MediaBytes,
  type MediaInput,
  readMedia,
  sniffMedia,
} from "./_media.ts";
import { parametersToSend } from "./_spec_check.ts";
import { AUDIO_TO_AUDIO_CONTRACT as CONTRACT } from "./_specs/audio_to_audio.ts";

export type { MediaInput };

/** The default model: SepFormer trained on WHAM!, which separates speech from noise (HF Inference). */
export const AUDIO_TO_AUDIO_MODEL: string = CONTRACT.defaultModel;

/** Options of {@linkcode audioToAudio}: the provider defaults to `"auto"`; the task takes no parameters. */
export type AudioToAudioOptions = ProviderTaskOptions<Record<string, never>>;

/** One recording of the answer: its label (`label_0`, `label_1`, ... for separated sources) and its bytes. */
export interface AudioToAudioOutput extends MediaBytes {
  /** The model's label for it. */
  label: string;
}

/**
 * Turn a recording into one or more recordings. The input is read and
 * checked before any request (a known audio format by its magic bytes, at
 * most 10 MB); every recording of the answer is decoded and checked.
 *
 * @example Replayed from recordings/ (an authored example of SepFormer's answer shape, not a model's output)
 * ```ts
 * import assert from "node:assert/strict";
 * import { audioToAudio } from "@hf-workbook/workbook";
 *
 * const sources = await audioToAudio(new URL("../../notebooks/assets/apple_en.wav", import.meta.url), { mode: "replay" });
 * assert.deepEqual(sources.map((s) => [s.label, s.mediaType]), [["label_0", "audio/wav"], ["label_1", "audio/wav"]]);
 * ```
 *
 * @param inputs The recording: a file path, bytes or a `Blob`.
 * @param options The model, the provider and transport options.
 * @returns The recordings of the answer, in order.
 */
export async function audioToAudio(
  inputs: MediaInput,
  options: AudioToAudioOptions = {},
): Promise<AudioToAudioOutput[]> {
  const verb = "transform audio";
  const parameters = parametersToSend(CONTRACT, options, verb); // the spec has none: only extraParameters
  const media = await readMedia(inputs, verb, { kind: "audio" });
  const answer = await runProviderTask({
    task: "audio-to-audio",
    verb,
    defaultModel: AUDIO_TO_AUDIO_MODEL,
    args: { inputs: blobOf(media), ...(parameters ? { parameters } : {}) },
  }, options);
  const model = options.model ?? options.endpointUrl ?? AUDIO_TO_AUDIO_MODEL;
  const outputs = answer.media ? [downloaded(answer, verb, model)] : decoded(answer, verb, model);
  if (answer.provenance) { for (const output of outputs) withProvenance(output, answer.provenance); }
  return answer.provenance ? withProvenance(outputs, answer.provenance) : outputs;
}

/** fal-ai's answer: one recording behind a link, labelled with its `text` when it has one. */
function downloaded(answer: ProviderAnswer, verb: string, model: string): AudioToAudioOutput {
  const media = generatedMedia(answer, "audio", verb, model);
  const text = (answer.result as { text?: unknown } | undefined)?.text;
  return { label: typeof text === "string" && text !== "" ? text : "audio", ...media };
}

/** HF Inference's answer: `[{label, blob: <base64>, "content-type"}]`. */
function decoded(answer: ProviderAnswer, verb: string, model: string): AudioToAudioOutput[] {
  const list = answer.result;
  const body = JSON.stringify(list) ?? "";
  if (!Array.isArray(list) || list.length === 0) {
    throw new HfOutputError(`Cannot ${verb}: the answer of ${model} is not a list of recordings`, body);
  }
  return list.map((item, i) => {
    const { label, blob } = (item ?? {}) as { label?: unknown; blob?: unknown };
    if (typeof blob !== "string") {
      throw new HfOutputError(
        `Cannot ${verb}: recording ${i} of ${model}'s answer has no base64 "blob"`,
        body,
      );
    }
    const bytes = fromBase64(blob);
    const format = sniffMedia(bytes);
    if (format?.kind !== "audio") {
      throw new HfOutputError(
        `Cannot ${verb}: recording ${i} of ${model}'s answer is not audio: got ${describeStart(bytes)}`,
        body,
      );
    }
    return { label: typeof label === "string" ? label : `label_${i}`, bytes, mediaType: format.mediaType };
  });
}
