/**
 * The command line's tasks, each without its contract: how the task reads its
 * input, which helper it calls (imported only when the task runs) and how a
 * person reads its answer, with a loader for its contract (the task's official
 * spec: the parameters of `--param` and `--help`, and the default model; never
 * listed here). A plain call (`hf <task> <input>`) loads its own task's
 * contract only; `tasks.ts` is the registry with every contract loaded, which
 * the program, the snippets and the batch runner are built from.
 *
 * Adding a task is adding one entry to {@linkcode ENTRIES}.
 *
 * @module
 */

import type { TaskOptions } from "../tasks/_run.ts";
import { textTable as table } from "./_text_table.ts";
import { ARTICLE_PARAGRAPH } from "./_article.ts";
import type { ParamSpec } from "./params.ts";
import type { TaskContract } from "../tasks/_spec.ts";

/** notebooks/22's wines: the rows huggingface.js's own test sent to vvmnnnkv/wine-quality. */
const WINES = {
  fixed_acidity: [7.4, 7.8, 10.3],
  volatile_acidity: [0.7, 0.88, 0.32],
  citric_acid: [0, 0, 0.45],
  residual_sugar: [1.9, 2.6, 6.4],
  chlorides: [0.076, 0.098, 0.073],
  free_sulfur_dioxide: [11, 25, 5],
  total_sulfur_dioxide: [34, 67, 13],
  density: [0.9978, 0.9968, 0.9976],
  pH: [3.51, 3.2, 3.23],
  sulphates: [0.56, 0.68, 0.82],
  alcohol: [9.4, 9.8, 12.6],
};

/** notebooks/23's fish: the rows huggingface.js's own test sent to scikit-learn/Fish-Weight. */
const FISH = {
  Height: [11.52, 12.48, 12.3778],
  Length1: [23.2, 24, 23.9],
  Length2: [25.4, 26.3, 26.5],
  Length3: [30, 31.2, 31.1],
  Species: ["Bream", "Bream", "Bream"],
  Width: [4.02, 4.3056, 4.6961],
};

/** How a task's input is read from the command line. */
export type InputKind =
  /** Text: an argument, a file (`--file`), or stdin (`-`). */
  | "text"
  /** JSON: an argument, a file or stdin, parsed. */
  | "json"
  /** Bytes: a file path as the argument, or stdin (`-`). */
  | "binary";

/** What a task answers. */
export type OutputKind = "json" | "image";

/** One task of the command line. */
export interface TaskEntry {
  /** The sub-command, as the Hub names the task (`token-classification`). */
  readonly name: string;
  /** The task of the model's provider mapping (chat models: `conversational`). */
  readonly hubTask: string;
  /** The `@huggingface/inference` method (and the workbook's function) name. */
  readonly method: string;
  /** One line for `--help`. */
  readonly description: string;
  /** How the input is read. */
  readonly input: {
    readonly kind: InputKind;
    /** What the input is, for `--help`. */
    readonly help: string;
  };
  /**
   * A call to try, shown by `--help`: the words after `deno task hf <task>`. Each is a call the notebooks make
   * and recordings/ holds, so it replays without a token.
   */
  readonly example: readonly string[];
  /** The task's contract: its official spec, the workbook's rules, its default model. */
  readonly contract: TaskContract;
  /** The parameters `--param` accepts: the contract's (names, types, descriptions, defaults from the spec). */
  readonly parameters: readonly ParamSpec[];
  /** The model used when `--model` names none: the contract's. */
  readonly defaultModel: string;
  /** What the task answers. @default {"json"} */
  readonly output?: OutputKind;
  /** Call the workbook's helper. */
  run(input: unknown, options: TaskOptions<Record<string, unknown>>): Promise<unknown>;
  /** The answer as a person reads it (a text or a table). */
  print(output: unknown, input: unknown): string;
}

/** One task of the command line before its contract is loaded: a {@linkcode TaskEntry} with a loader in its place. */
export interface TaskEntryLoader extends Omit<TaskEntry, "contract" | "parameters" | "defaultModel"> {
  /** Load the task's contract (its module, and the JSON Schemas of its spec). */
  contract(): Promise<TaskContract>;
}

/** An entry with its types, before it joins the registry. */
interface TypedEntry<I, O> extends Omit<TaskEntryLoader, "run" | "print"> {
  run(input: I, options: TaskOptions<never>): Promise<O>;
  print(output: O, input: I): string;
}

function defineTask<I, O>(entry: TypedEntry<I, O>): TaskEntryLoader {
  return entry as unknown as TaskEntryLoader;
}

/**
 * The entry with its contract loaded: its parameters and default model come
 * from the contract, read when asked (a command derives only its own task's
 * parameters).
 */
export async function withContract(entry: TaskEntryLoader): Promise<TaskEntry> {
  const contract = await entry.contract();
  return Object.defineProperties({ ...entry, contract }, {
    parameters: { get: () => contract.parameters, enumerable: true },
    defaultModel: { get: () => contract.defaultModel, enumerable: true },
  }) as unknown as TaskEntry;
}

/** Rows of objects as a plain-text table. */
function rows(records: readonly object[]): string {
  return String(table(records));
}

/** A score as people read it. */
function score(value: unknown): string {
  return typeof value === "number" ? value.toFixed(4) : String(value);
}

/** A classification answer (`[{label, score}]`) as a table. */
function labelled(output: readonly { label: string; score: number }[]): string {
  return rows(output.map((o) => ({ label: o.label, score: score(o.score) })));
}

/** A chat input: a text is one user message; a JSON array is the conversation. */
function toMessages(input: unknown): unknown {
  if (typeof input !== "string") return input;
  const text = input.trim();
  if (text.startsWith("[")) {
    try {
      return JSON.parse(text);
    } catch {
      // not JSON: a text that starts with "["
    }
  }
  return [{ role: "user", content: input }];
}

// The examples' inputs: the calls the notebooks make (their "Try next"), recorded in recordings/.

/** The project's own picture (tests/assets.ts), relative to the project's root. */
const PICTURE = "notebooks/assets/apple_on_window.png";

/** The multilingual sentence-embedding model of notebooks 08 and 09. */
const MULTILINGUAL_MINILM = "sentence-transformers/paraphrase-multilingual-MiniLM-L12-v2";

/** The series' Ep.6 context (notebook 03). */
const EP6_CONTEXT = [
  "Google是一家全球知名的科技公司，成立於1998年，總部位於美國加利福尼亞州的山景城。Google以其在搜尋引擎技術方面的卓越表現而聞名，早期推出的Google搜尋引擎迅速成為全球最受歡迎和廣泛使用的搜尋引擎之一。",
  "除了搜尋引擎外，Google還開發和提供了許多其他互聯網產品和服務。其中包括谷歌地圖、谷歌郵箱（Gmail）、谷歌翻譯、谷歌雲端硬碟（Google Drive）等。此外，Google還擁有Android操作系統，該操作系統目前是全球最受歡迎的移動操作系統之一。",
  "Google也涉足硬體領域，推出了自己的智慧型手機系列Pixel，以及Pixelbook筆記型電腦、Google Home智慧音箱等產品。此外，Google還在人工智慧（AI）和機器學習領域投入了大量資源，並推出了許多與AI相關的產品和服務，如Google Assistant智慧助理和Google Lens圖像識別技術。",
  "除了互聯網產品和服務，Google還在廣告業務方面表現出色。其廣告平台Google Ads為廣告客戶提供了廣告投放和行銷解決方案，並通過廣告收入成為Google的主要盈利來源之一。",
  "Google在全球範圍內擁有廣泛的影響力和使用者基礎。其創始人之一拉里·佩奇（Larry Page）和謝爾蓋·布林（Sergey Brin）一直是科技行業的知名人物，Google也是全球最具價值的品牌之一。公司在全球各地設有辦事處和數據中心，員工遍布世界各地。",
  "Google一直秉持著使訊息普遍可用和受人們歡迎的使命，致力於提供高質量的產品和服務，並不斷推動科技的創新和發展。",
].join("\n\n");

/** The table of notebook 04. */
const CITIES = {
  "City": ["Taipei", "New Taipei", "Taoyuan", "Taichung", "Tainan", "Kaohsiung"],
  "Population (thousands)": ["2495", "4004", "2303", "2850", "1859", "2735"],
  "Area (km²)": ["271.80", "2052.57", "1220.95", "2214.90", "2191.65", "2951.85"],
};

/** The chat of notebook 10: the article's Ep.8 paragraph as the system prompt, and the question. */
const EP8_MESSAGES = [
  {
    role: "system",
    content:
      "你是這篇文章的助教：只根據下面的文章內容，用繁體中文簡短回答。\n\n文章（【Hugging Face】Ep.8「真有這麼佛心？」）：\n我們可以看到雖然免費使用，但卻有速率上的限制，但對於一般的小應用來說已經足夠使用，不過基本上推理的部分是由CPU運算，因此效能可能不是我們所滿意的結果，如果需要更強大的功能請參考「Inference Endpoints」，後面的篇章我們再來針對這個部分進行詳解。",
  },
  { role: "user", content: "Hugging Face 的 Inference API 免費版有什麼限制？" },
];

/** The size of a base64 text once decoded, in bytes (`"?"` when it is not base64), without decoding it. */
function decodedSize(base64: string): number | string {
  const text = base64.trim();
  if (text.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return "?";
  return (text.length / 4) * 3 - (text.endsWith("==") ? 2 : text.endsWith("=") ? 1 : 0);
}

/** Every task of the command line, in the order `--help` lists them, each without its contract. */
export const ENTRIES: readonly TaskEntryLoader[] = [
  defineTask<string, { summary_text: string }>({
    name: "summarization",
    hubTask: "summarization",
    method: "summarization",
    description: "summarize a text (the article's example)",
    input: { kind: "text", help: "the text to summarize" },
    example: [ARTICLE_PARAGRAPH],
    contract: () => import("../tasks/_specs/summarization.ts").then((m) => m.SUMMARIZATION_CONTRACT),
    run: async (input, options) => (await import("../tasks/summarization.ts")).summarization(input, options),
    print: (output) => output.summary_text,
  }),
  defineTask<string, { translation_text: string }>({
    name: "translation",
    hubTask: "translation",
    method: "translation",
    description: "translate a text (default: Chinese to English)",
    input: { kind: "text", help: "the text to translate" },
    example: ["這是一個很困難的問題"],
    contract: () => import("../tasks/_specs/translation.ts").then((m) => m.TRANSLATION_CONTRACT),
    run: async (input, options) => (await import("../tasks/translation.ts")).translation(input, options),
    print: (output) => output.translation_text,
  }),
  defineTask<
    string,
    { entity_group?: string; entity?: string; word: string; score: number; start?: number; end?: number }[]
  >({
    name: "token-classification",
    hubTask: "token-classification",
    method: "tokenClassification",
    description: "find named entities (people, places, organisations) in a text",
    input: { kind: "text", help: "the text" },
    example: ["台灣是一個非常美麗的地區", "--param", "aggregation_strategy=none"],
    contract: () =>
      import("../tasks/_specs/token_classification.ts").then((m) => m.TOKEN_CLASSIFICATION_CONTRACT),
    run: async (input, options) =>
      (await import("../tasks/token_classification.ts")).tokenClassification(input, options),
    print: (output) =>
      rows(output.map((e) => ({
        entity: e.entity_group ?? e.entity ?? "",
        word: e.word,
        score: score(e.score),
        start: e.start ?? "",
        end: e.end ?? "",
      }))),
  }),
  defineTask<{ question: string; context: string }, unknown>({
    name: "question-answering",
    hubTask: "question-answering",
    method: "questionAnswering",
    description: "answer a question from a context (extractive)",
    input: {
      kind: "json",
      help: 'the question and its context, as JSON {"question", "context"}',
    },
    example: ["--param", "top_k=3", JSON.stringify({ question: "請問創始人是誰?", context: EP6_CONTEXT })],
    contract: () =>
      import("../tasks/_specs/question_answering.ts").then((m) => m.QUESTION_ANSWERING_CONTRACT),
    run: async (input, options) =>
      (await import("../tasks/question_answering.ts")).questionAnswering(input, options),
    print: (output) => {
      const answers = (Array.isArray(output) ? output : [output]) as {
        answer: string;
        score: number;
        start: number;
        end: number;
      }[];
      return rows(
        answers.map((a) => ({ answer: a.answer, score: score(a.score), start: a.start, end: a.end })),
      );
    },
  }),
  defineTask<{ query: string; table: Record<string, string[]> }, {
    answer: string;
    aggregator?: string;
    cells: string[];
    coordinates: number[][];
  }>({
    name: "table-question-answering",
    hubTask: "table-question-answering",
    method: "tableQuestionAnswering",
    description: "answer a question about a table",
    input: {
      kind: "json",
      help: 'the question and the table, as JSON {"query", "table": {column: [cells]}}',
    },
    example: [JSON.stringify({ query: "What is the population of Taichung?", table: CITIES })],
    contract: () =>
      import("../tasks/_specs/table_question_answering.ts").then((m) => m.TABLE_QUESTION_ANSWERING_CONTRACT),
    run: async (input, options) =>
      (await import("../tasks/table_question_answering.ts")).tableQuestionAnswering(input, options),
    print: (output) =>
      [
        output.answer,
        `aggregator: ${output.aggregator ?? "NONE"}; cells: ${output.cells.join(", ")}; coordinates: ${
          JSON.stringify(output.coordinates)
        }`,
      ].join("\n"),
  }),
  defineTask<string, { sequence: string; token_str?: string; score: number }[]>({
    name: "fill-mask",
    hubTask: "fill-mask",
    method: "fillMask",
    description: "fill in the masked word of a text ([MASK], or the model's own mask token)",
    input: { kind: "text", help: "the text, with the model's mask token" },
    example: ["今天的天氣很[MASK]。", "--model", "google-bert/bert-base-chinese", "--param", "top_k=3"],
    contract: () => import("../tasks/_specs/fill_mask.ts").then((m) => m.FILL_MASK_CONTRACT),
    run: async (input, options) => (await import("../tasks/fill_mask.ts")).fillMask(input, options),
    print: (output) =>
      rows(output.map((o) => ({ token: o.token_str ?? "", score: score(o.score), sequence: o.sequence }))),
  }),
  defineTask<string, { label: string; score: number }[]>({
    name: "text-classification",
    hubTask: "text-classification",
    method: "textClassification",
    description: "classify a text (default: sentiment, POSITIVE or NEGATIVE)",
    input: { kind: "text", help: "the text to classify" },
    example: [
      "--model",
      "distilbert/distilbert-base-uncased-finetuned-sst-2-english",
      "--param",
      "top_k=1",
      "The first half drags, but the ending is worth the wait.",
    ],
    contract: () =>
      import("../tasks/_specs/text_classification.ts").then((m) => m.TEXT_CLASSIFICATION_CONTRACT),
    run: async (input, options) =>
      (await import("../tasks/text_classification.ts")).textClassification(input, options),
    print: labelled,
  }),
  defineTask<string, { label: string; score: number }[]>({
    name: "zero-shot-classification",
    hubTask: "zero-shot-classification",
    method: "zeroShotClassification",
    description: "classify a text into labels you choose (--param candidate_labels=a,b,c)",
    input: { kind: "text", help: "the text to classify" },
    example: [
      "--model",
      "facebook/bart-large-mnli",
      "--param",
      "candidate_labels=technology,business,sports,cooking",
      "--param",
      "multi_label=true",
      "The new graphics card trains neural networks twice as fast, and the company's shares jumped 8% on the news.",
    ],
    contract: () =>
      import("../tasks/_specs/zero_shot_classification.ts").then((m) => m.ZERO_SHOT_CLASSIFICATION_CONTRACT),
    run: async (input, options) =>
      (await import("../tasks/zero_shot_classification.ts")).zeroShotClassification(
        input,
        options as unknown as Parameters<
          typeof import("../tasks/zero_shot_classification.ts").zeroShotClassification
        >[1],
      ),
    print: labelled,
  }),
  defineTask<string | string[], unknown>({
    name: "feature-extraction",
    hubTask: "feature-extraction",
    method: "featureExtraction",
    description: "turn a text into an embedding (a vector of numbers)",
    input: { kind: "text", help: "the text to embed" },
    example: ["--model", MULTILINGUAL_MINILM, "今天天氣很好，我們去公園散步吧。"],
    contract: () =>
      import("../tasks/_specs/feature_extraction.ts").then((m) => m.FEATURE_EXTRACTION_CONTRACT),
    run: async (input, options) =>
      (await import("../tasks/feature_extraction.ts")).featureExtraction(input, options),
    print: (output) => {
      const shape: number[] = [];
      let node: unknown = output;
      while (Array.isArray(node)) {
        shape.push(node.length);
        node = node[0];
      }
      const flat = (output as unknown[]).flat(Infinity) as number[];
      const head = flat.slice(0, 8).map((n) => n.toFixed(4)).join(", ");
      return `shape [${shape.join(", ")}]: [${head}${
        flat.length > 8 ? ", …" : ""
      }] (--json for every number)`;
    },
  }),
  defineTask<{ source_sentence: string; sentences: string[] }, number[]>({
    name: "sentence-similarity",
    hubTask: "sentence-similarity",
    method: "sentenceSimilarity",
    description: "score how close sentences are to a source sentence",
    input: {
      kind: "json",
      help: 'JSON {"source_sentence", "sentences": [...]}',
    },
    example: [
      "--model",
      MULTILINGUAL_MINILM,
      JSON.stringify({
        source_sentence: "我想退貨，請問要怎麼辦理？",
        sentences: ["如何申請退款？", "商品退換貨流程說明", "你們的營業時間是幾點到幾點？", "今天天氣很好。"],
      }),
    ],
    contract: () =>
      import("../tasks/_specs/sentence_similarity.ts").then((m) => m.SENTENCE_SIMILARITY_CONTRACT),
    run: async (input, options) =>
      (await import("../tasks/sentence_similarity.ts")).sentenceSimilarity(input, options),
    print: (output, input) =>
      rows(output.map((value, i) => ({ sentence: input.sentences[i] ?? "", score: score(value) }))),
  }),
  defineTask<unknown, { choices: { message: { content?: string | null } }[] }>({
    name: "chat-completion",
    hubTask: "conversational",
    method: "chatCompletion",
    description: "ask a chat model (a text, or a JSON array of messages)",
    input: {
      kind: "text",
      help: 'the message, or a JSON array [{"role", "content"}, ...]',
    },
    example: [
      "--model",
      "meta-llama/Llama-3.1-8B-Instruct",
      "--param",
      "max_tokens=300",
      "--param",
      "temperature=0.2",
      "--param",
      "seed=42",
      JSON.stringify(EP8_MESSAGES),
    ],
    contract: () => import("../tasks/_specs/chat_completion.ts").then((m) => m.CHAT_COMPLETION_CONTRACT),
    run: async (input, options) =>
      (await import("../tasks/chat_completion.ts")).chatCompletion(
        toMessages(input) as Parameters<typeof import("../tasks/chat_completion.ts").chatCompletion>[0],
        options,
      ),
    print: (output) => output.choices[0]?.message.content ?? "",
  }),
  defineTask<string, { generated_text: string }>({
    name: "text-generation",
    hubTask: "text-generation",
    method: "textGeneration",
    description: "continue a text",
    input: { kind: "text", help: "the beginning of the text" },
    example: [
      "--model",
      "openai-community/gpt2",
      "--param",
      "max_new_tokens=40",
      "--param",
      "temperature=0.7",
      "--param",
      "seed=42",
      "The answer to the universe is",
    ],
    contract: () => import("../tasks/_specs/text_generation.ts").then((m) => m.TEXT_GENERATION_CONTRACT),
    run: async (input, options) =>
      (await import("../tasks/text_generation.ts")).textGeneration(input, options),
    print: (output) => output.generated_text,
  }),
  defineTask<string, unknown>({
    name: "text-to-image",
    hubTask: "text-to-image",
    method: "textToImage",
    description: "draw an image from a prompt (saved with --output)",
    input: { kind: "text", help: "the prompt" },
    example: [
      "--model",
      "stable-diffusion-v1-5/stable-diffusion-v1-5",
      "--output",
      "apple.png",
      "An apple on the window.",
    ],
    output: "image",
    contract: () => import("../tasks/_specs/text_to_image.ts").then((m) => m.TEXT_TO_IMAGE_CONTRACT),
    run: async (input, options) => (await import("../tasks/text_to_image.ts")).textToImage(input, options),
    print: () => "",
  }),
  defineTask<string | Uint8Array, { label: string; score: number }[]>({
    name: "image-classification",
    hubTask: "image-classification",
    method: "imageClassification",
    description: "say what an image shows",
    input: { kind: "binary", help: "the image file (PNG, JPEG, ...)" },
    example: [PICTURE, "--model", "google/vit-base-patch16-224"],
    contract: () =>
      import("../tasks/_specs/image_classification.ts").then((m) => m.IMAGE_CLASSIFICATION_CONTRACT),
    run: async (input, options) =>
      (await import("../tasks/image_classification.ts")).imageClassification(input, options),
    print: labelled,
  }),
  defineTask<
    string | Uint8Array,
    { label: string; score: number; box: { xmin: number; ymin: number; xmax: number; ymax: number } }[]
  >({
    name: "object-detection",
    hubTask: "object-detection",
    method: "objectDetection",
    description: "find objects in an image, with their boxes",
    input: { kind: "binary", help: "the image file" },
    example: [PICTURE, "--model", "facebook/detr-resnet-50"],
    contract: () => import("../tasks/_specs/object_detection.ts").then((m) => m.OBJECT_DETECTION_CONTRACT),
    run: async (input, options) =>
      (await import("../tasks/object_detection.ts")).objectDetection(input, options),
    print: (output) =>
      rows(output.map((o) => ({
        label: o.label,
        score: score(o.score),
        box: `${o.box.xmin},${o.box.ymin} – ${o.box.xmax},${o.box.ymax}`,
      }))),
  }),
  defineTask<string | Uint8Array, { label: string; score?: number; mask: string }[]>({
    name: "image-segmentation",
    hubTask: "image-segmentation",
    method: "imageSegmentation",
    description: "split an image into labelled regions (masks with --json)",
    input: { kind: "binary", help: "the image file" },
    example: [PICTURE, "--model", "facebook/detr-resnet-50-panoptic"],
    contract: () =>
      import("../tasks/_specs/image_segmentation.ts").then((m) => m.IMAGE_SEGMENTATION_CONTRACT),
    run: async (input, options) =>
      (await import("../tasks/image_segmentation.ts")).imageSegmentation(input, options),
    print: (output) =>
      rows(output.map((o) => ({
        label: o.label,
        score: o.score === undefined ? "" : score(o.score),
        mask: `PNG, ${decodedSize(o.mask)} bytes`,
      }))),
  }),
  defineTask<string | Uint8Array, { text: string }>({
    name: "automatic-speech-recognition",
    hubTask: "automatic-speech-recognition",
    method: "automaticSpeechRecognition",
    description: "transcribe a recording",
    input: { kind: "binary", help: "the audio file (WAV, FLAC, MP3, ...)" },
    example: ["notebooks/assets/apple_zh.wav", "--model", "ydshieh/wav2vec2-large-xlsr-53-chinese-zh-cn-gpt"],
    contract: () =>
      import("../tasks/_specs/automatic_speech_recognition.ts").then((m) =>
        m.AUTOMATIC_SPEECH_RECOGNITION_CONTRACT
      ),
    run: async (input, options) =>
      (await import("../tasks/automatic_speech_recognition.ts")).automaticSpeechRecognition(input, options),
    print: (output) => output.text,
  }),
  defineTask<string | Uint8Array, { generated_text: string }>({
    name: "image-to-text",
    hubTask: "image-to-text",
    method: "imageToText",
    description: "caption an image",
    input: { kind: "binary", help: "the image file" },
    example: [PICTURE, "--model", "Salesforce/blip-image-captioning-base"],
    contract: () => import("../tasks/_specs/image_to_text.ts").then((m) => m.IMAGE_TO_TEXT_CONTRACT),
    run: async (input, options) => (await import("../tasks/image_to_text.ts")).imageToText(input, options),
    print: (output) => output.generated_text,
  }),
  defineTask<string | Uint8Array, { label: string; score: number }[]>({
    name: "zero-shot-image-classification",
    hubTask: "zero-shot-image-classification",
    method: "zeroShotImageClassification",
    description: "classify an image into labels you choose (--param candidate_labels=a,b,c)",
    input: { kind: "binary", help: "the image file" },
    example: [
      PICTURE,
      "--model",
      "openai/clip-vit-base-patch32",
      "--param",
      "candidate_labels=a cat on a sofa,an apple on a window,a city street at night",
    ],
    contract: () =>
      import("../tasks/_specs/zero_shot_image_classification.ts").then((m) =>
        m.ZERO_SHOT_IMAGE_CLASSIFICATION_CONTRACT
      ),
    run: async (input, options) =>
      (await import("../tasks/zero_shot_image_classification.ts")).zeroShotImageClassification(
        input,
        options as unknown as Parameters<
          typeof import("../tasks/zero_shot_image_classification.ts").zeroShotImageClassification
        >[1],
      ),
    print: labelled,
  }),
  // The tasks of notebooks 19-23: audio classification, questions about a picture, and tables of features.
  defineTask<string | Uint8Array, { label: string; score: number }[]>({
    name: "audio-classification",
    hubTask: "audio-classification",
    method: "audioClassification",
    description: "label a recording (emotion, language, sound)",
    input: { kind: "binary", help: "the audio file (WAV, FLAC, MP3, ...)" },
    example: ["notebooks/assets/upstream/sample1.flac", "--model", "superb/hubert-large-superb-er"],
    contract: () =>
      import("../tasks/_specs/audio_classification.ts").then((m) => m.AUDIO_CLASSIFICATION_CONTRACT),
    run: async (input, options) =>
      (await import("../tasks/audio_classification.ts")).audioClassification(input, options),
    print: labelled,
  }),
  defineTask<{ image: string; question: string }, { answer: string; score?: number }[]>({
    name: "document-question-answering",
    hubTask: "document-question-answering",
    method: "documentQuestionAnswering",
    description: "answer a question about a scanned document",
    input: {
      kind: "json",
      help: 'the document image\'s path and the question, as JSON {"image", "question"}',
    },
    example: [
      JSON.stringify({ image: "notebooks/assets/upstream/invoice.png", question: "Invoice number?" }),
    ],
    contract: () =>
      import("../tasks/_specs/document_question_answering.ts").then((m) =>
        m.DOCUMENT_QUESTION_ANSWERING_CONTRACT
      ),
    run: async (input, options) =>
      (await import("../tasks/document_question_answering.ts")).documentQuestionAnswering(input, options),
    print: (output) =>
      rows(output.map((a) => ({ answer: a.answer, score: a.score === undefined ? "" : score(a.score) }))),
  }),
  defineTask<{ image: string; question: string }, { answer: string; score: number }[]>({
    name: "visual-question-answering",
    hubTask: "visual-question-answering",
    method: "visualQuestionAnswering",
    description: "answer a question about a picture",
    input: { kind: "json", help: 'the image\'s path and the question, as JSON {"image", "question"}' },
    example: [
      JSON.stringify({
        image: "notebooks/assets/upstream/cats.png",
        question: "How many cats are lying down?",
      }),
    ],
    contract: () =>
      import("../tasks/_specs/visual_question_answering.ts").then((m) =>
        m.VISUAL_QUESTION_ANSWERING_CONTRACT
      ),
    run: async (input, options) =>
      (await import("../tasks/visual_question_answering.ts")).visualQuestionAnswering(input, options),
    print: (output) => rows(output.map((a) => ({ answer: a.answer, score: score(a.score) }))),
  }),
  defineTask<{ data: Record<string, (string | number)[]> }, number[]>({
    name: "tabular-classification",
    hubTask: "tabular-classification",
    method: "tabularClassification",
    description: "predict a class for each row of a table of features",
    input: { kind: "json", help: 'the columns, as JSON {"data": {"<column>": [values, one per row]}}' },
    example: [JSON.stringify({ data: WINES })],
    contract: () =>
      import("../tasks/_specs/tabular_classification.ts").then((m) => m.TABULAR_CLASSIFICATION_CONTRACT),
    run: async (input, options) =>
      (await import("../tasks/tabular_classification.ts")).tabularClassification(input as never, options),
    print: (output) => rows(output.map((value, row) => ({ row: row + 1, class: value }))),
  }),
  defineTask<{ data: Record<string, (string | number)[]> }, number[]>({
    name: "tabular-regression",
    hubTask: "tabular-regression",
    method: "tabularRegression",
    description: "predict a number for each row of a table of features",
    input: { kind: "json", help: 'the columns, as JSON {"data": {"<column>": [values, one per row]}}' },
    example: [JSON.stringify({ data: FISH })],
    contract: () =>
      import("../tasks/_specs/tabular_regression.ts").then((m) => m.TABULAR_REGRESSION_CONTRACT),
    run: async (input, options) =>
      (await import("../tasks/tabular_regression.ts")).tabularRegression(input as never, options),
    print: (output) => rows(output.map((value, row) => ({ row: row + 1, value }))),
  }),
  // The tasks providers serve (notebooks 24-31): queued jobs polled on the transport, media saved with --output.
  defineTask<string, unknown>({
    name: "text-to-speech",
    hubTask: "text-to-speech",
    method: "textToSpeech",
    description: "read a text aloud (saved with --output; served by providers such as fal-ai)",
    input: { kind: "text", help: "the text to read" },
    example: ["--model", "hexgrad/Kokoro-82M", "--output", "apple.wav", "An apple on the window."],
    output: "image",
    contract: () => import("../tasks/_specs/text_to_speech.ts").then((m) => m.TEXT_TO_SPEECH_CONTRACT),
    run: async (input, options) => (await import("../tasks/text_to_speech.ts")).textToSpeech(input, options),
    print: () => "",
  }),
  defineTask<string, unknown>({
    name: "text-to-audio",
    hubTask: "text-to-audio",
    method: "textToAudio",
    description: "generate music or a sound from a prompt (saved with --output; a queued job at fal-ai)",
    input: { kind: "text", help: "the prompt" },
    example: [
      "--model",
      "stabilityai/stable-audio-open-1.0",
      "--output",
      "bell.wav",
      "A bell ringing once in a quiet room",
    ],
    output: "image",
    contract: () => import("../tasks/_specs/text_to_audio.ts").then((m) => m.TEXT_TO_AUDIO_CONTRACT),
    run: async (input, options) => (await import("../tasks/text_to_audio.ts")).textToAudio(input, options),
    print: () => "",
  }),
  defineTask<string | Uint8Array, { label: string; "content-type": string; blob: string }[]>({
    name: "audio-to-audio",
    hubTask: "audio-to-audio",
    method: "audioToAudio",
    description: "turn a recording into others, e.g. speech apart from noise (--json: each as base64)",
    input: { kind: "binary", help: "the recording (WAV, FLAC, MP3, ...)" },
    example: ["notebooks/assets/apple_en.wav", "--model", "speechbrain/sepformer-wham"],
    contract: () => import("../tasks/_specs/audio_to_audio.ts").then((m) => m.AUDIO_TO_AUDIO_CONTRACT),
    run: async (input, options) => {
      const { audioToAudio } = await import("../tasks/audio_to_audio.ts");
      const { carryProvenance } = await import("../provenance.ts");
      const sources = await audioToAudio(input, options);
      const { toBase64 } = await import("../tasks/_media.ts");
      return carryProvenance(
        sources,
        sources.map((s) => ({ label: s.label, "content-type": s.mediaType, blob: toBase64(s.bytes) })),
      );
    },
    print: (output) =>
      rows(
        output.map((o) => ({
          label: o.label,
          "content-type": o["content-type"],
          bytes: decodedSize(o.blob),
        })),
      ),
  }),
  defineTask<string | Uint8Array, unknown>({
    name: "image-to-image",
    hubTask: "image-to-image",
    method: "imageToImage",
    description: "turn an image into another as a prompt says (--param prompt=...; saved with --output)",
    input: { kind: "binary", help: "the image file (PNG, JPEG, ...)" },
    example: [
      PICTURE,
      "--model",
      "black-forest-labs/FLUX.1-Kontext-dev",
      "--param",
      "prompt=Make it a warm autumn afternoon",
      "--output",
      "autumn.png",
    ],
    output: "image",
    contract: () => import("../tasks/_specs/image_to_image.ts").then((m) => m.IMAGE_TO_IMAGE_CONTRACT),
    run: async (input, options) => (await import("../tasks/image_to_image.ts")).imageToImage(input, options),
    print: () => "",
  }),
  defineTask<string, unknown>({
    name: "text-to-video",
    hubTask: "text-to-video",
    method: "textToVideo",
    description: "generate a short clip from a prompt (saved with --output; a queued job at a provider)",
    input: { kind: "text", help: "the prompt" },
    example: [
      "--model",
      "Lightricks/LTX-Video",
      "--output",
      "apple.mp4",
      "A red apple rolling on a wooden table",
    ],
    output: "image",
    contract: () => import("../tasks/_specs/text_to_video.ts").then((m) => m.TEXT_TO_VIDEO_CONTRACT),
    run: async (input, options) => (await import("../tasks/text_to_video.ts")).textToVideo(input, options),
    print: () => "",
  }),
  defineTask<string | Uint8Array, unknown>({
    name: "image-to-video",
    hubTask: "image-to-video",
    method: "imageToVideo",
    description:
      "set an image in motion (--param prompt=...; saved with --output; a queued job at a provider)",
    input: { kind: "binary", help: "the image file (PNG, JPEG, ...)" },
    example: [
      PICTURE,
      "--model",
      "Wan-AI/Wan2.1-I2V-14B-720P",
      "--param",
      "prompt=The camera slowly zooms in on the apple",
      "--output",
      "zoom.mp4",
    ],
    output: "image",
    contract: () => import("../tasks/_specs/image_to_video.ts").then((m) => m.IMAGE_TO_VIDEO_CONTRACT),
    run: async (input, options) => (await import("../tasks/image_to_video.ts")).imageToVideo(input, options),
    print: () => "",
  }),
  defineTask<string | Uint8Array, unknown>({
    name: "image-text-to-image",
    hubTask: "image-text-to-image",
    method: "imageTextToImage",
    description: "apply a prompt to an image (--param prompt=...; saved with --output; fal-ai, wavespeed)",
    input: { kind: "binary", help: "the image file (PNG, JPEG, ...)" },
    example: [
      PICTURE,
      "--model",
      "black-forest-labs/FLUX.2-dev",
      "--param",
      "prompt=Draw it as a pencil sketch",
      "--output",
      "sketch.png",
    ],
    output: "image",
    contract: () =>
      import("../tasks/_specs/image_text_to_image.ts").then((m) => m.IMAGE_TEXT_TO_IMAGE_CONTRACT),
    run: async (input, options) =>
      (await import("../tasks/image_text_to_image.ts")).imageTextToImage(...imageAndPrompt(input, options)),
    print: () => "",
  }),
  defineTask<string | Uint8Array, unknown>({
    name: "image-text-to-video",
    hubTask: "image-text-to-video",
    method: "imageTextToVideo",
    description: "set an image in motion as a prompt says (--param prompt=...; saved with --output)",
    input: { kind: "binary", help: "the image file (PNG, JPEG, ...)" },
    example: [
      PICTURE,
      "--model",
      "Wan-AI/Wan2.2-TI2V-5B",
      "--param",
      "prompt=The apple slowly turns on the window sill",
      "--output",
      "turn.mp4",
    ],
    output: "image",
    contract: () =>
      import("../tasks/_specs/image_text_to_video.ts").then((m) => m.IMAGE_TEXT_TO_VIDEO_CONTRACT),
    run: async (input, options) =>
      (await import("../tasks/image_text_to_video.ts")).imageTextToVideo(...imageAndPrompt(input, options)),
    print: () => "",
  }),
];

/**
 * An image-and-prompt task's arguments from the command line's: the file is the image, and `--param prompt=...`
 * is the input's prompt, not a parameter.
 */
function imageAndPrompt<O extends { parameters?: unknown }>(
  image: string | Uint8Array,
  options: O,
): [{ image: string | Uint8Array; prompt?: string }, O] {
  const { prompt, ...parameters } = (options.parameters ?? {}) as Record<string, unknown>;
  return [{ image, ...(prompt !== undefined ? { prompt: String(prompt) } : {}) }, { ...options, parameters }];
}

/** The entry of task `name` (its Hub name, its snake_case file name or its method name). */
export function findEntry<E extends { name: string; method: string }>(
  entries: readonly E[],
  name: string,
): E | undefined {
  const wanted = name.toLowerCase().replaceAll("_", "-");
  return entries.find((t) => t.name === wanted || t.method.toLowerCase() === name.toLowerCase());
}
