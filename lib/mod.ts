/**
 * hf-workbook: a typed Deno workbook for the Hugging Face Inference API.
 *
 * One async function per task, named as `@huggingface/inference` names them,
 * each taking `(input, options?)`; `query` for the article's raw call;
 * `createClient` for a client with defaults; and the mode in force (replay,
 * live, record, cache). Display values are in `@hf-workbook/workbook/display`,
 * the batch runner in `@hf-workbook/workbook/batch`, the transport in
 * `@hf-workbook/workbook/transport`, the command line in `@hf-workbook/workbook/cli`.
 *
 * The call shape differs from the official client's: it takes one object
 * with the input, the model and the parameters together, the workbook takes
 * the input first and the rest as options. To translate a call, move `inputs`
 * out of the object: `summarization({ inputs, model, parameters }, options)`
 * becomes `summarization(inputs, { model, parameters, ...options })` (chat:
 * `chatCompletion({ model, messages, max_tokens })` becomes
 * `chatCompletion(messages, { model, parameters: { max_tokens } })`). The
 * official `retry_on_error` is `retry` here; the answers have the official
 * types.
 *
 * @example The article's summarization, answered from recordings/
 * ```ts
 * import assert from "node:assert/strict";
 * import { summarization } from "@hf-workbook/workbook";
 *
 * const paragraph =
 *   "在接獲美國政府用戶通報下，微軟發現中國駭客組織利用所獲得的一個微軟帳號（MSA）消費者簽章金鑰來偽造身分認證權杖，以存取使用Outlook Web Access in Exchange Online（OWA）及Outlook.com的用戶，估計影響歐美地區的25個政府組織與相關個人";
 * const { summary_text } = await summarization(paragraph, { mode: "replay" });
 * assert.match(summary_text, /微軟/);
 * ```
 *
 * @module
 */

export {
  summarization,
  SUMMARIZATION_MODEL,
  type SummarizationOptions,
  type SummarizationOutput,
  type SummarizationParameters,
  type SummarizationSpecParameters,
} from "./tasks/summarization.ts";
export type {
  GenerationSpecParameters,
  TextToTextGenerationParameters,
  TruncationStrategy,
} from "./tasks/_generation_parameters.ts";
export type { Known } from "./tasks/_spec.ts";
// tasks: one export line (or block) per task file below, kept in alphabetical order
export {
  AUDIO_CLASSIFICATION_MODEL,
  audioClassification,
  type AudioClassificationOptions,
  type AudioClassificationOutput,
  type AudioClassificationOutputElement,
  type AudioClassificationParameters,
  type AudioClassificationSpecParameters,
} from "./tasks/audio_classification.ts";
export {
  AUTOMATIC_SPEECH_RECOGNITION_MODEL,
  automaticSpeechRecognition,
  type AutomaticSpeechRecognitionOptions,
  type AutomaticSpeechRecognitionOutput,
  type AutomaticSpeechRecognitionOutputChunk,
  type AutomaticSpeechRecognitionParameters,
  type AutomaticSpeechRecognitionSpecParameters,
  type GenerationParameters,
} from "./tasks/automatic_speech_recognition.ts";
export {
  CHAT_COMPLETION_MODEL,
  CHAT_ROLES,
  chatCompletion,
  type ChatCompletionOptions,
  type ChatCompletionOutput,
  type ChatCompletionParameters,
  type ChatCompletionSpecInput,
  chatCompletionStream,
  type ChatCompletionStreamOptions,
  type ChatCompletionStreamOutput,
  type ChatCompletionStreamParameters,
  type ChatContentPart,
  type ChatImagePart,
  type ChatMessage,
  type ChatResponseFormat,
  type ChatRole,
  type ChatTextPart,
  type ChatTool,
  type ChatToolCall,
  type ChatToolChoice,
  type CollectedStream,
  collectStream,
  type CollectStreamOptions,
  type StreamChunk,
  type TokenUsage,
} from "./tasks/chat_completion.ts";
export {
  DOCUMENT_QUESTION_ANSWERING_MODEL,
  documentQuestionAnswering,
  type DocumentQuestionAnsweringOptions,
  type DocumentQuestionAnsweringOutput,
  type DocumentQuestionAnsweringOutputElement,
  type DocumentQuestionAnsweringParameters,
  type DocumentQuestionAnsweringSpecParameters,
  type ImageQuestion,
} from "./tasks/document_question_answering.ts";
export {
  cosineSimilarity,
  embeddingShape,
  FEATURE_EXTRACTION_MODEL,
  featureExtraction,
  type FeatureExtractionOptions,
  type FeatureExtractionOutput,
  type FeatureExtractionParameters,
  type FeatureExtractionSpecInput,
  sentenceVectors,
  similarityMatrix,
  TRUNCATION_DIRECTIONS,
  type TruncationDirection,
} from "./tasks/feature_extraction.ts";
export {
  FILL_MASK_MODEL,
  fillMask,
  type FillMaskOptions,
  type FillMaskOutput,
  type FillMaskOutputElement,
  type FillMaskParameters,
  type FillMaskSpecParameters,
  maskTokenOf,
} from "./tasks/fill_mask.ts";
export {
  IMAGE_CLASSIFICATION_MODEL,
  imageClassification,
  type ImageClassificationOptions,
  type ImageClassificationOutput,
  type ImageClassificationOutputElement,
  type ImageClassificationParameters,
  type ImageClassificationSpecParameters,
} from "./tasks/image_classification.ts";
export {
  decodeMask,
  IMAGE_SEGMENTATION_MODEL,
  imageSegmentation,
  type ImageSegmentationOptions,
  type ImageSegmentationOutput,
  type ImageSegmentationOutputElement,
  type ImageSegmentationParameters,
  type ImageSegmentationSpecParameters,
  type ImageSegmentationSubtask,
} from "./tasks/image_segmentation.ts";
export {
  IMAGE_TO_TEXT_MODEL,
  imageToText,
  type ImageToTextOptions,
  type ImageToTextOutput,
  type ImageToTextParameters,
  type ImageToTextResult,
  type ImageToTextSpecParameters,
} from "./tasks/image_to_text.ts";
export {
  type BoundingBox,
  OBJECT_DETECTION_MODEL,
  objectDetection,
  type ObjectDetectionOptions,
  type ObjectDetectionOutput,
  type ObjectDetectionOutputElement,
  type ObjectDetectionParameters,
  type ObjectDetectionSpecParameters,
} from "./tasks/object_detection.ts";
export {
  QUESTION_ANSWERING_MODEL,
  questionAnswering,
  type QuestionAnsweringInputData,
  type QuestionAnsweringOptions,
  type QuestionAnsweringOutput,
  type QuestionAnsweringOutputElement,
  type QuestionAnsweringParameters,
  type QuestionAnsweringSpecParameters,
} from "./tasks/question_answering.ts";
export {
  type RankedSentence,
  rankSentences,
  SENTENCE_SIMILARITY_MODEL,
  sentenceSimilarity,
  type SentenceSimilarityInputs,
  type SentenceSimilarityOptions,
  type SentenceSimilarityOutput,
  type SentenceSimilarityParameters,
} from "./tasks/sentence_similarity.ts";
export {
  type CapturedRequest,
  captureRequest,
  type InferenceSnippets,
  inferenceSnippets,
  type InferenceSnippetsOptions,
  type RenderOptions,
  renderSnippets,
} from "./snippets.ts";
export {
  aggregateCells,
  TABLE_PADDINGS,
  TABLE_QUESTION_ANSWERING_MODEL,
  type TableAnswerView,
  tableAnswerView,
  type TableData,
  type TablePadding,
  tableQuestionAnswering,
  type TableQuestionAnsweringInputData,
  type TableQuestionAnsweringOptions,
  type TableQuestionAnsweringOutputElement,
  type TableQuestionAnsweringParameters,
  type TableQuestionAnsweringSpecParameters,
} from "./tasks/table_question_answering.ts";
export {
  TABULAR_CLASSIFICATION_MODEL,
  tabularClassification,
  type TabularClassificationOptions,
  type TabularClassificationOutput,
  type TabularData,
  type TabularInput,
} from "./tasks/tabular_classification.ts";
export {
  TABULAR_REGRESSION_MODEL,
  tabularRegression,
  type TabularRegressionOptions,
  type TabularRegressionOutput,
} from "./tasks/tabular_regression.ts";
export {
  CLASSIFICATION_OUTPUT_TRANSFORMS,
  type ClassificationOutputTransform,
  TEXT_CLASSIFICATION_MODEL,
  textClassification,
  type TextClassificationOptions,
  type TextClassificationOutput,
  type TextClassificationOutputElement,
  type TextClassificationParameters,
  type TextClassificationSpecOutputElement,
  type TextClassificationSpecParameters,
} from "./tasks/text_classification.ts";
export {
  TEXT_GENERATION_MODEL,
  textGeneration,
  type TextGenerationOptions,
  type TextGenerationOutput,
  type TextGenerationParameters,
  type TextGenerationSpecParameters,
  textGenerationStream,
  type TextGenerationStreamChunk,
  type TextGenerationStreamToken,
} from "./tasks/text_generation.ts";
export {
  type GeneratedImage,
  MAX_UPLOAD_BYTES,
  type MediaBytes,
  type MediaInput,
  TEXT_TO_IMAGE_MODEL,
  textToImage,
  type TextToImageOptions,
  type TextToImageParameters,
  type TextToImageSpecParameters,
} from "./tasks/text_to_image.ts";
export {
  AGGREGATION_STRATEGIES,
  type AggregationStrategy,
  entitySpans,
  TOKEN_CLASSIFICATION_MODEL,
  tokenClassification,
  type TokenClassificationOptions,
  type TokenClassificationOutput,
  type TokenClassificationOutputElement,
  type TokenClassificationParameters,
  type TokenClassificationSpecParameters,
  type TokenEntitySpan,
} from "./tasks/token_classification.ts";
export {
  translation,
  TRANSLATION_MODEL,
  type TranslationOptions,
  type TranslationOutput,
  type TranslationParameters,
  type TranslationSpecInput,
} from "./tasks/translation.ts";
export {
  VISUAL_QUESTION_ANSWERING_MODEL,
  visualQuestionAnswering,
  type VisualQuestionAnsweringOptions,
  type VisualQuestionAnsweringOutput,
  type VisualQuestionAnsweringOutputElement,
  type VisualQuestionAnsweringParameters,
  type VisualQuestionAnsweringSpecParameters,
} from "./tasks/visual_question_answering.ts";
export {
  MAX_CANDIDATE_LABELS,
  ZERO_SHOT_CLASSIFICATION_MODEL,
  zeroShotClassification,
  type ZeroShotClassificationOptions,
  type ZeroShotClassificationOutput,
  type ZeroShotClassificationOutputElement,
  type ZeroShotClassificationParameters,
  type ZeroShotClassificationSpecOutputElement,
  type ZeroShotClassificationSpecParameters,
} from "./tasks/zero_shot_classification.ts";
export {
  ZERO_SHOT_IMAGE_CLASSIFICATION_MODEL,
  zeroShotImageClassification,
  type ZeroShotImageClassificationOptions,
  type ZeroShotImageClassificationOutput,
  type ZeroShotImageClassificationOutputElement,
  type ZeroShotImageClassificationParameters,
  type ZeroShotImageClassificationSpecParameters,
} from "./tasks/zero_shot_image_classification.ts";
export { INFERENCE_PROVIDERS, type InferenceProviderName, type TaskOptions } from "./tasks/_run.ts";
export { query, type QueryOptions, type QueryPayload } from "./query.ts";
export { type ClientOptions, createClient, type WorkbookClient } from "./client.ts";
export {
  carryProvenance,
  type Provenance,
  provenanceLabel,
  provenanceOf,
  provenanceOfExchange,
  provenanceOfOrigin,
  withProvenance,
} from "./provenance.ts";
export {
  type ModelProviders,
  modelProviders,
  type ModelProvidersOptions,
  type ProviderMapping,
} from "./hub.ts";
export {
  checkModelId,
  HUB_URL,
  LEGACY_URL,
  legacyUrl,
  mappingUrl,
  ROUTER_URL,
  routerUrl,
} from "./endpoints.ts";
export {
  HfApiError,
  type HfErrorKind,
  HfNetworkError,
  HfNotServedError,
  HfOutputError,
  HfWorkbookError,
  ReplayMissError,
  type RetryClass,
} from "./errors.ts";
export {
  type DotEnvOptions,
  findToken,
  type FoundToken,
  readDotEnv,
  readSetting,
  redact,
  type TokenSource,
} from "./env.ts";
export {
  describeMode,
  type Mode,
  type ModeInfo,
  MODES,
  resolveMode,
  type ResolveModeOptions,
} from "./transport/mode.ts";
export type { Exchange } from "./transport/fetch.ts";
export type { Origin } from "./transport/recordings.ts";
export type { RetryInfo, RetryOptions } from "./transport/retry.ts";
export {
  type GeneratedVideo,
  TEXT_TO_VIDEO_MODEL,
  textToVideo,
  type TextToVideoOptions,
  type TextToVideoParameters,
  type TextToVideoSpecParameters,
} from "./tasks/text_to_video.ts";
export type { TargetSize } from "./tasks/_generated_media.ts";
export {
  DEFAULT_POLL_DEADLINE_MS,
  type PollEvent,
  type PollOptions,
  type ProviderTaskOptions,
} from "./providers/flow.ts";
export { HfJobFailedError, HfJobTimeoutError } from "./providers/errors.ts";
export {
  type GeneratedAudio,
  TEXT_TO_SPEECH_MODEL,
  textToSpeech,
  type TextToSpeechOptions,
  type TextToSpeechParameters,
  type TextToSpeechSpecParameters,
} from "./tasks/text_to_speech.ts";
export {
  TEXT_TO_AUDIO_MODEL,
  textToAudio,
  type TextToAudioOptions,
  type TextToAudioParameters,
  type TextToAudioSpecParameters,
} from "./tasks/text_to_audio.ts";
export {
  AUDIO_TO_AUDIO_MODEL,
  audioToAudio,
  type AudioToAudioOptions,
  type AudioToAudioOutput,
} from "./tasks/audio_to_audio.ts";
export {
  type GeneratedPicture,
  IMAGE_TO_IMAGE_MODEL,
  imageToImage,
  type ImageToImageOptions,
  type ImageToImageParameters,
  type ImageToImageSpecParameters,
} from "./tasks/image_to_image.ts";
export {
  IMAGE_TO_VIDEO_MODEL,
  imageToVideo,
  type ImageToVideoOptions,
  type ImageToVideoParameters,
  type ImageToVideoSpecParameters,
} from "./tasks/image_to_video.ts";
export {
  IMAGE_TEXT_TO_IMAGE_MODEL,
  imageTextToImage,
  type ImageTextToImageOptions,
  type ImageTextToImageParameters,
  type ImageTextToImageSpecParameters,
} from "./tasks/image_text_to_image.ts";
export {
  IMAGE_TEXT_TO_VIDEO_MODEL,
  imageTextToVideo,
  type ImageTextToVideoOptions,
  type ImageTextToVideoParameters,
  type ImageTextToVideoSpecParameters,
} from "./tasks/image_text_to_video.ts";
export type { ImageAndPrompt } from "./tasks/_generated_media.ts";
