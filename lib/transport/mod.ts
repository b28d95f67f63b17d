/**
 * The transport: the single road every HTTP request takes, by mode (replay,
 * live, record, cache), with bounded retries, timeouts, recordings and error
 * mapping.
 *
 * @module
 */

export {
  createTransport,
  type Exchange,
  forgetRecordingStores,
  recordingStore,
  type TransportOptions,
} from "./fetch.ts";
export {
  describeMode,
  type Mode,
  type ModeInfo,
  MODES,
  resolveMode,
  type ResolveModeOptions,
} from "./mode.ts";
export {
  type CanonicalBody,
  canonicalBody,
  type Interaction,
  keyOfInteraction,
  type Origin,
  type RecordedRequest,
  type RecordedResponse,
  type RecordingFile,
  RecordingStore,
  type ReplayedResponse,
  requestKey,
  type RequestShape,
  stableStringify,
} from "./recordings.ts";
export {
  abortableSleep,
  backoffDelay,
  type ResolvedRetry,
  resolveRetry,
  type RetryInfo,
  type RetryOptions,
  serverAskedDelay,
} from "./retry.ts";
