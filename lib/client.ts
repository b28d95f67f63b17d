/**
 * A client with defaults, as users of `@huggingface/inference`'s
 * `InferenceClient` expect: {@linkcode createClient} returns every task
 * function of the workbook, each taking the client's token, provider or
 * endpoint, mode, recordings folder, retries, billing and `fetch` unless the
 * call names its own. The free functions stay: the client only fills in
 * options.
 *
 * @module
 */

import { modelProviders } from "./hub.ts";
import { query } from "./query.ts";
import { INFERENCE_PROVIDERS, type InferenceProviderName } from "./tasks/_run.ts";
import { audioClassification } from "./tasks/audio_classification.ts";
import { audioToAudio } from "./tasks/audio_to_audio.ts";
import { automaticSpeechRecognition } from "./tasks/automatic_speech_recognition.ts";
import { chatCompletion, chatCompletionStream } from "./tasks/chat_completion.ts";
import { documentQuestionAnswering } from "./tasks/document_question_answering.ts";
import { featureExtraction } from "./tasks/feature_extraction.ts";
import { fillMask } from "./tasks/fill_mask.ts";
import { imageClassification } from "./tasks/image_classification.ts";
import { imageSegmentation } from "./tasks/image_segmentation.ts";
import { imageTextToImage } from "./tasks/image_text_to_image.ts";
import { imageTextToVideo } from "./tasks/image_text_to_video.ts";
import { imageToImage } from "./tasks/image_to_image.ts";
import { imageToText } from "./tasks/image_to_text.ts";
import { imageToVideo } from "./tasks/image_to_video.ts";
import { objectDetection } from "./tasks/object_detection.ts";
import { questionAnswering } from "./tasks/question_answering.ts";
import { sentenceSimilarity } from "./tasks/sentence_similarity.ts";
import { summarization } from "./tasks/summarization.ts";
import { tableQuestionAnswering } from "./tasks/table_question_answering.ts";
import { tabularClassification } from "./tasks/tabular_classification.ts";
import { tabularRegression } from "./tasks/tabular_regression.ts";
import { textClassification } from "./tasks/text_classification.ts";
import { textGeneration, textGenerationStream } from "./tasks/text_generation.ts";
import { textToAudio } from "./tasks/text_to_audio.ts";
import { textToImage } from "./tasks/text_to_image.ts";
import { textToSpeech } from "./tasks/text_to_speech.ts";
import { textToVideo } from "./tasks/text_to_video.ts";
import { tokenClassification } from "./tasks/token_classification.ts";
import { translation } from "./tasks/translation.ts";
import { visualQuestionAnswering } from "./tasks/visual_question_answering.ts";
import { zeroShotClassification } from "./tasks/zero_shot_classification.ts";
import { zeroShotImageClassification } from "./tasks/zero_shot_image_classification.ts";
import { type Mode, MODES } from "./transport/mode.ts";
import type { RetryOptions } from "./transport/retry.ts";

/**
 * The defaults of a {@linkcode createClient} client. A call's own options win
 * over them, one by one (`retry` field by field); a call that names its own
 * `provider` or `endpointUrl` takes neither default: where a call goes is one
 * choice.
 */
export interface ClientOptions {
  /** The access token. When not given: HF_TOKEN from the environment, else from .env. */
  accessToken?: string;
  /**
   * The Inference Provider, or `"auto"`.
   * When not given: each task's own: "hf-inference", or "auto" for the tasks providers serve.
   */
  provider?: InferenceProviderName;
  /** Send every call to a dedicated Inference Endpoint (or any server speaking the same payloads). */
  endpointUrl?: string;
  /** The transport mode. When not given: HF_MODE, else live with a token and replay without. */
  mode?: Mode;
  /**
   * The recordings folder that replay reads and record and cache write (a
   * path, relative to the working folder, or a `file:` URL).
   * When not given: HF_RECORDINGS_DIR, else this repository's recordings/ when the library runs from a checkout of it, else `recordings` in the working folder.
   */
  recordingsDir?: string | URL;
  /** Retries and timeouts of live calls. */
  retry?: RetryOptions;
  /** Bill every call to an organisation (`X-HF-Bill-To`). */
  billTo?: string;
  /** Replace the network edge only: modes, retries, timeouts and recordings still wrap it. */
  fetch?: typeof fetch;
}

/**
 * Every task function of the workbook (the 34 tasks of `@huggingface/inference`'s
 * `InferenceClient`), plus `query` and `modelProviders`, with a client's
 * defaults. Each has exactly the type of the free function of the same name.
 */
export interface WorkbookClient {
  /** {@linkcode audioClassification} with the client's defaults. */
  readonly audioClassification: typeof audioClassification;
  /** {@linkcode audioToAudio} with the client's defaults. */
  readonly audioToAudio: typeof audioToAudio;
  /** {@linkcode automaticSpeechRecognition} with the client's defaults. */
  readonly automaticSpeechRecognition: typeof automaticSpeechRecognition;
  /** {@linkcode chatCompletion} with the client's defaults. */
  readonly chatCompletion: typeof chatCompletion;
  /** {@linkcode chatCompletionStream} with the client's defaults. */
  readonly chatCompletionStream: typeof chatCompletionStream;
  /** {@linkcode documentQuestionAnswering} with the client's defaults. */
  readonly documentQuestionAnswering: typeof documentQuestionAnswering;
  /** {@linkcode featureExtraction} with the client's defaults. */
  readonly featureExtraction: typeof featureExtraction;
  /** {@linkcode fillMask} with the client's defaults. */
  readonly fillMask: typeof fillMask;
  /** {@linkcode imageClassification} with the client's defaults. */
  readonly imageClassification: typeof imageClassification;
  /** {@linkcode imageSegmentation} with the client's defaults. */
  readonly imageSegmentation: typeof imageSegmentation;
  /** {@linkcode imageTextToImage} with the client's defaults. */
  readonly imageTextToImage: typeof imageTextToImage;
  /** {@linkcode imageTextToVideo} with the client's defaults. */
  readonly imageTextToVideo: typeof imageTextToVideo;
  /** {@linkcode imageToImage} with the client's defaults. */
  readonly imageToImage: typeof imageToImage;
  /** {@linkcode imageToText} with the client's defaults. */
  readonly imageToText: typeof imageToText;
  /** {@linkcode imageToVideo} with the client's defaults. */
  readonly imageToVideo: typeof imageToVideo;
  /** {@linkcode objectDetection} with the client's defaults. */
  readonly objectDetection: typeof objectDetection;
  /** {@linkcode questionAnswering} with the client's defaults. */
  readonly questionAnswering: typeof questionAnswering;
  /** {@linkcode sentenceSimilarity} with the client's defaults. */
  readonly sentenceSimilarity: typeof sentenceSimilarity;
  /** {@linkcode summarization} with the client's defaults. */
  readonly summarization: typeof summarization;
  /** {@linkcode tableQuestionAnswering} with the client's defaults. */
  readonly tableQuestionAnswering: typeof tableQuestionAnswering;
  /** {@linkcode tabularClassification} with the client's defaults. */
  readonly tabularClassification: typeof tabularClassification;
  /** {@linkcode tabularRegression} with the client's defaults. */
  readonly tabularRegression: typeof tabularRegression;
  /** {@linkcode textClassification} with the client's defaults. */
  readonly textClassification: typeof textClassification;
  /** {@linkcode textGeneration} with the client's defaults. */
  readonly textGeneration: typeof textGeneration;
  /** {@linkcode textGenerationStream} with the client's defaults. */
  readonly textGenerationStream: typeof textGenerationStream;
  /** {@linkcode textToAudio} with the client's defaults. */
  readonly textToAudio: typeof textToAudio;
  /** {@linkcode textToImage} with the client's defaults. */
  readonly textToImage: typeof textToImage;
  /** {@linkcode textToSpeech} with the client's defaults. */
  readonly textToSpeech: typeof textToSpeech;
  /** {@linkcode textToVideo} with the client's defaults. */
  readonly textToVideo: typeof textToVideo;
  /** {@linkcode tokenClassification} with the client's defaults. */
  readonly tokenClassification: typeof tokenClassification;
  /** {@linkcode translation} with the client's defaults. */
  readonly translation: typeof translation;
  /** {@linkcode visualQuestionAnswering} with the client's defaults. */
  readonly visualQuestionAnswering: typeof visualQuestionAnswering;
  /** {@linkcode zeroShotClassification} with the client's defaults. */
  readonly zeroShotClassification: typeof zeroShotClassification;
  /** {@linkcode zeroShotImageClassification} with the client's defaults. */
  readonly zeroShotImageClassification: typeof zeroShotImageClassification;
  /** {@linkcode query} (the article's raw call) with the client's token, endpoint, mode, recordings, retries and `fetch`. */
  readonly query: typeof query;
  /** {@linkcode modelProviders} (the Hub's look-up) with the client's token, mode, recordings, retries and `fetch`. */
  readonly modelProviders: typeof modelProviders;
}

/** The defaults `query` takes: it names no provider and bills nobody. */
type QueryDefaults = Omit<ClientOptions, "provider" | "billTo">;
/** The defaults `modelProviders` takes: the Hub look-up has no provider, endpoint or billing. */
type HubDefaults = Omit<ClientOptions, "provider" | "billTo" | "endpointUrl">;

/**
 * A client whose task functions take `options` as their defaults. The free
 * functions stay; a client only fills in what a call leaves out.
 *
 * Caches: the recordings index is shared by every call that reads the same
 * folder (a client with its own `recordingsDir` has its own); the Hub's
 * provider mapping of a model is cached by `@huggingface/inference` for the
 * whole process, which does not export that cache (so no client can own one).
 *
 * @example A client that replays from a recordings folder of its own
 * ```ts
 * import assert from "node:assert/strict";
 * import { createClient } from "@hf-workbook/workbook";
 *
 * const hf = createClient({ mode: "replay", recordingsDir: new URL("../recordings/", import.meta.url) });
 * const paragraph =
 *   "在接獲美國政府用戶通報下，微軟發現中國駭客組織利用所獲得的一個微軟帳號（MSA）消費者簽章金鑰來偽造身分認證權杖，以存取使用Outlook Web Access in Exchange Online（OWA）及Outlook.com的用戶，估計影響歐美地區的25個政府組織與相關個人";
 * const { summary_text } = await hf.summarization(paragraph);
 * assert.match(summary_text, /微軟/);
 * ```
 *
 * @example Defaults reach every call; a call's own options win
 * ```ts
 * import assert from "node:assert/strict";
 * import { createClient } from "@hf-workbook/workbook";
 *
 * const seen: Headers[] = [];
 * const hf = createClient({
 *   mode: "live",
 *   accessToken: "hf_client",
 *   billTo: "my-org",
 *   fetch: (input, init) => {
 *     const request = new Request(input, init);
 *     seen.push(request.headers);
 *     return Promise.resolve(Response.json([{ translation_text: "Hello" }]));
 *   },
 * });
 * await hf.translation("你好", { model: "m/x", endpointUrl: "https://my-endpoint.example/" });
 * assert.equal(seen[0]?.get("X-HF-Bill-To"), "my-org");
 * await hf.translation("你好", { model: "m/x", endpointUrl: "https://my-endpoint.example/", accessToken: "hf_call" });
 * assert.equal(seen[1]?.get("Authorization"), "Bearer hf_call");
 * ```
 *
 * @param options The defaults of every call.
 * @returns Every task function, plus `query` and `modelProviders`, with those defaults.
 *
 * @throws {RangeError} When `mode` or `provider` is not one the workbook knows.
 * @throws {TypeError} When both `provider` and `endpointUrl` are given.
 */
export function createClient(options: ClientOptions = {}): WorkbookClient {
  checkClientOptions(options);
  const defaults: ClientOptions = { ...options };
  const { provider: _provider, billTo: _billTo, ...queryDefaults } = defaults;
  const { endpointUrl: _endpointUrl, ...hubDefaults } = queryDefaults;
  return Object.freeze({
    audioClassification: bind(audioClassification, defaults),
    audioToAudio: bind(audioToAudio, defaults),
    automaticSpeechRecognition: bind(automaticSpeechRecognition, defaults),
    chatCompletion: bind(chatCompletion, defaults),
    chatCompletionStream: bind(chatCompletionStream, defaults),
    documentQuestionAnswering: bind(documentQuestionAnswering, defaults),
    featureExtraction: bind(featureExtraction, defaults),
    fillMask: bind(fillMask, defaults),
    imageClassification: bind(imageClassification, defaults),
    imageSegmentation: bind(imageSegmentation, defaults),
    imageTextToImage: bind(imageTextToImage, defaults),
    imageTextToVideo: bind(imageTextToVideo, defaults),
    imageToImage: bind(imageToImage, defaults),
    imageToText: bind(imageToText, defaults),
    imageToVideo: bind(imageToVideo, defaults),
    objectDetection: bind(objectDetection, defaults),
    questionAnswering: bind(questionAnswering, defaults),
    sentenceSimilarity: bind(sentenceSimilarity, defaults),
    summarization: bind(summarization, defaults),
    tableQuestionAnswering: bind(tableQuestionAnswering, defaults),
    tabularClassification: bind(tabularClassification, defaults),
    tabularRegression: bind(tabularRegression, defaults),
    textClassification: bind(textClassification, defaults),
    textGeneration: bind(textGeneration, defaults),
    textGenerationStream: bind(textGenerationStream, defaults),
    textToAudio: bind(textToAudio, defaults),
    textToImage: bind(textToImage, defaults),
    textToSpeech: bind(textToSpeech, defaults),
    textToVideo: bind(textToVideo, defaults),
    tokenClassification: bind(tokenClassification, defaults),
    translation: bind(translation, defaults),
    visualQuestionAnswering: bind(visualQuestionAnswering, defaults),
    zeroShotClassification: bind(zeroShotClassification, defaults),
    zeroShotImageClassification: bind(zeroShotImageClassification, defaults),
    query: bind(query, queryDefaults as QueryDefaults),
    modelProviders: bind(modelProviders, hubDefaults as HubDefaults),
  });
}

/** The options object a task function takes (its last overload's). */
type OptionsOf<F> = F extends (input: never, options: infer O) => unknown ? NonNullable<O> : never;

/** `D` when a function `F` takes every option `D` holds, with the same types; else `never`. */
type Accepted<F, D> = keyof D extends keyof OptionsOf<F> ? D extends Partial<OptionsOf<F>> ? D : never
  : never;

/**
 * `fn` with `defaults` under the options of every call. `fn` must take every
 * option `defaults` holds (checked at compile time), and keeps its own type,
 * overloads and generics included.
 */
function bind<F extends (input: never, options: never) => unknown, D extends object>(
  fn: F,
  defaults: D & Accepted<F, D>,
): F {
  const call = fn as unknown as (input: unknown, options: object) => unknown;
  const bound = (input: unknown, options?: object) => call(input, withDefaults(defaults, options));
  return bound as unknown as F;
}

/** The options of one call: the call's own (those it leaves `undefined` excepted) over the defaults. */
function withDefaults(defaults: ClientOptions, options: object | undefined): object {
  const own: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options ?? {})) if (value !== undefined) own[key] = value;
  const { provider, endpointUrl, retry, ...rest } = defaults;
  const where = "provider" in own || "endpointUrl" in own ? {} : {
    ...(provider === undefined ? {} : { provider }),
    ...(endpointUrl === undefined ? {} : { endpointUrl }),
  };
  const retries = retry === undefined && own.retry === undefined
    ? {}
    : { retry: { ...retry, ...(own.retry as RetryOptions | undefined) } };
  return { ...rest, ...where, ...own, ...retries };
}

function checkClientOptions(options: ClientOptions): void {
  const verb = "create a client";
  if (options.mode !== undefined && !MODES.includes(options.mode)) {
    throw new RangeError(`Cannot ${verb}: "mode" must be one of ${MODES.join(", ")}, got "${options.mode}"`);
  }
  if (options.provider !== undefined && !INFERENCE_PROVIDERS.includes(options.provider)) {
    throw new RangeError(
      `Cannot ${verb}: "provider" must be an Inference Provider or "auto", got "${options.provider}"`,
    );
  }
  if (options.provider !== undefined && options.endpointUrl !== undefined) {
    throw new TypeError(
      `Cannot ${verb}: "provider" and "endpointUrl" cannot both be given, got provider "${options.provider}"`,
    );
  }
}
