import assert from "node:assert/strict";
import {
  aggregateCells,
  HfApiError,
  table,
  TABLE_QUESTION_ANSWERING_MODEL,
  tableAnswerView,
  type TableData,
  tableQuestionAnswering,
} from "../lib/mod.ts";
import { CLEAN_ENV, countingFetch, HAS_REFERENCE, rejection, uniqueModel, withEnv } from "./_helpers.ts";
import {
  errorTexts,
  NO_WAIT,
  referenceErrors,
  referenceSuccesses,
  taskCalls,
  taskFetch,
} from "./_reference_tasks.ts";
import { startFakeHf } from "./fake_hf_server.ts";

const live = { mode: "live" as const, accessToken: "hf_test" };

/** Notebook 04's table. */
const CITIES: TableData = {
  City: ["Taipei", "New Taipei", "Taoyuan", "Taichung", "Tainan", "Kaohsiung"],
  "Population (thousands)": ["2495", "4004", "2303", "2850", "1859", "2735"],
  "Area (km²)": ["271.80", "2052.57", "1220.95", "2214.90", "2191.65", "2951.85"],
};

Deno.test("tableQuestionAnswering() replays notebook 04: one answer per aggregator, cells at their coordinates", async () => {
  const network = countingFetch();
  const answers = await withEnv(CLEAN_ENV, async () => {
    assert.equal(TABLE_QUESTION_ANSWERING_MODEL, "google/tapas-base-finetuned-wtq");
    const ask = (query: string) =>
      tableQuestionAnswering({ query, table: CITIES }, { mode: "replay", fetch: network.fetch });
    return [
      await ask("What is the population of Taichung?"),
      await ask("What is the total population of Taipei and New Taipei?"),
      await ask("How many cities are in the table?"),
      await ask("What is the average area of the cities?"),
    ];
  });
  assert.equal(network.calls.length, 0);
  assert.deepEqual(answers.map((a) => a.aggregator), ["NONE", "SUM", "COUNT", "AVERAGE"]);
  const columns = Object.keys(CITIES);
  for (const a of answers) {
    assert.deepEqual(a.cells, a.coordinates.map(([r, c]) => CITIES[columns[c!]!]![r!]));
  }
  assert.deepEqual(answers.map(aggregateCells), [
    "2850",
    6499,
    6,
    (271.8 + 2052.57 + 1220.95 + 2214.9 + 2191.65 + 2951.85) / 6,
  ]);
});

Deno.test("tableAnswerView() gives table() rows and highlights exactly the answer's cells", () => {
  const view = tableAnswerView(CITIES, {
    answer: "SUM > 2495, 4004",
    cells: ["2495", "4004"],
    coordinates: [[0, 1], [1, 1]],
    aggregator: "SUM",
  });
  assert.deepEqual(view.columns, ["City", "Population (thousands)", "Area (km²)"]);
  assert.equal(view.rows.length, 6);
  const plain = String(table(view.rows, { columns: view.columns, highlight: view.highlight })).split("\n");
  assert.match(plain[2]!, /^Taipei\s+\*2495\*\s+271\.80$/);
  assert.match(plain[3]!, /^New Taipei\s+\*4004\*\s+2052\.57$/);
  assert.ok(!plain.slice(4).some((line) => line.includes("*")));
  const plainView = tableAnswerView(CITIES);
  assert.ok(plainView.rows.every((row) => plainView.columns.every((c) => !plainView.highlight(row, c))));
});

Deno.test("aggregateCells() computes what the aggregator names, and refuses non-numbers", () => {
  const answer = (aggregator: string, cells: string[]) => ({
    answer: "",
    cells,
    coordinates: [],
    aggregator,
  });
  assert.equal(aggregateCells(answer("SUM", ["1,000", "2 500", "0.5"])), 3500.5);
  assert.equal(aggregateCells(answer("AVERAGE", ["2", "4"])), 3);
  assert.equal(aggregateCells(answer("COUNT", ["a", "b", "c"])), 3);
  assert.equal(aggregateCells(answer("NONE", ["a", "b"])), "a, b");
  assert.throws(
    () => aggregateCells(answer("SUM", ["12", "Python"])),
    /SUM needs numbers, got the cell "Python"/,
  );
  assert.throws(() => aggregateCells(answer("AVERAGE", [])), RangeError);
});

Deno.test("tableQuestionAnswering() sends the question as `query` (the name the service takes) and parameters", async () => {
  const network = taskFetch("table-question-answering", {
    answer: "Taipei",
    coordinates: [[0, 0]],
    cells: ["Taipei"],
    aggregator: "NONE",
  });
  await tableQuestionAnswering({ query: "Which city is the capital?", table: CITIES }, {
    ...live,
    model: uniqueModel("tapas"),
    fetch: network.fetch,
    parameters: { padding: "longest", sequential: false, truncation: true },
  });
  assert.deepEqual(taskCalls(network)[0]?.body, {
    inputs: { query: "Which city is the capital?", table: CITIES },
    parameters: { padding: "longest", sequential: false, truncation: true },
  });
});

Deno.test({
  name:
    "tableQuestionAnswering() parses every real hf-inference table-question-answering answer of hf-recorded",
  ignore: !HAS_REFERENCE,
  fn: async () => {
    const cases = await referenceSuccesses("table-question-answering");
    assert.ok(cases.length > 0);
    let parsed = 0;
    for (const c of cases) {
      // The recorded input: `{inputs: {query, table}}`, or (one Hub cassette) the pair at the top level.
      const body = c.requestBody as { inputs?: unknown; query?: string; table?: TableData } | null;
      const pair = (body?.inputs ?? body) as { query?: string; table?: TableData } | null;
      const input = pair?.query && pair.table
        ? { query: pair.query, table: pair.table }
        : { query: "How many stars?", table: { Repository: ["stand-in"], Stars: ["1"] } };
      const network = taskFetch("table-question-answering", c.responseBody);
      const output = await tableQuestionAnswering(input, { ...live, model: c.model!, fetch: network.fetch });
      assert.deepEqual(output, c.responseBody, c.where);
      parsed++;
    }
    assert.equal(parsed, cases.length);
    console.log(`table-question-answering: parsed ${parsed} of ${cases.length} real hf-inference answers`);
  },
});

Deno.test({
  name:
    "tableQuestionAnswering() surfaces every real table-question-answering error of hf-recorded, through a fake server",
  ignore: !HAS_REFERENCE,
  fn: async () => {
    const errors = await referenceErrors("table-question-answering");
    assert.ok(errors.length > 0);
    await using fake = await startFakeHf();
    let surfaced = 0;
    for (const c of errors) {
      const model = uniqueModel("tapas");
      fake.setModelTask(model, "table-question-answering");
      fake.on(`/hf-inference/models/${model}`, {
        status: c.status,
        headers: { "content-type": "application/json" },
        text: c.responseBodyRaw!,
      });
      const error = await rejection(
        tableQuestionAnswering({ query: "How many cities?", table: CITIES }, {
          ...live,
          model,
          fetch: fake.fetch,
          retry: NO_WAIT,
        }),
      );
      assert.ok(error instanceof HfApiError, c.where);
      assert.equal(error.status, c.status);
      for (const text of errorTexts(c.responseBodyRaw!)) {
        assert.ok(error.serviceMessage.includes(text), c.where);
      }
      surfaced++;
    }
    assert.equal(surfaced, errors.length);
    console.log(`table-question-answering: surfaced ${surfaced} of ${errors.length} real error answers`);
  },
});

Deno.test("tableQuestionAnswering() shows a 400 with warnings in full", async () => {
  await using fake = await startFakeHf();
  const model = uniqueModel("tapas");
  fake.setModelTask(model, "table-question-answering");
  const message =
    "Invalid input. Keyword argument `table` should be either of type `dict` or `list`, but is " +
    "<class 'dict'>)";
  fake.on(`/hf-inference/models/${model}`, {
    status: 400,
    json: { error: message, warnings: [`There was an inference error: ${message}`] },
  });
  const error = await rejection(
    tableQuestionAnswering({ query: "How many cities?", table: CITIES }, {
      ...live,
      model,
      fetch: fake.fetch,
      retry: NO_WAIT,
    }),
  );
  assert.ok(error instanceof HfApiError);
  assert.equal(error.status, 400);
  assert.equal(error.serviceMessage, `${message} (warnings: There was an inference error: ${message})`);
  assert.equal(error.kind, "bad-request");
});

Deno.test("tableQuestionAnswering() checks the question and the table before any request", async () => {
  const network = countingFetch();
  const options = { ...live, model: uniqueModel(), fetch: network.fetch };
  const ask = (input: unknown, more = {}) => tableQuestionAnswering(input as never, { ...options, ...more });
  const bad: [() => Promise<unknown>, ErrorConstructor | RangeErrorConstructor, RegExp][] = [
    [() => ask({ query: "", table: CITIES }), TypeError, /"query" must be a non-empty string/],
    [() => ask({ question: "Who?", table: CITIES }), TypeError, /"input" has no parameter "question"/],
    [() => ask({ query: "Who?" }), TypeError, /"table" must be an object, got undefined/],
    [() => ask({ query: "Who?", table: [["a"]] }), TypeError, /"table" must be an object, got an array of 1/],
    [() => ask({ query: "Who?", table: {} }), RangeError, /"table" must have at least one column, got none/],
    [
      () => ask({ query: "Who?", table: { City: [] } }),
      RangeError,
      /column "City" must have at least one row, got 0/,
    ],
    [
      () => ask({ query: "Who?", table: { City: ["Taipei", "Tainan"], Population: ["2495"] } }),
      RangeError,
      /column "Population" has 1 rows, but column "City" has 2/,
    ],
    [
      () => ask({ query: "Who?", table: { City: ["Taipei"], Population: [2495] } }),
      TypeError,
      /column "Population" must hold strings \(write numbers as text\), got 2495 in row 0/,
    ],
    [
      () => ask({ query: "Who?", table: { City: "Taipei" } }),
      TypeError,
      /column "City" must be an array of strings/,
    ],
    [() => ask({ query: "Who?", table: { " ": ["x"] } }), RangeError, /column names must not be blank/],
    [
      () => ask({ query: "Who?", table: CITIES }, { parameters: { padding: "max" } }),
      RangeError,
      /"parameters.padding" must be one of do_not_pad, longest, max_length, got "max"/,
    ],
    [
      () => ask({ query: "Who?", table: CITIES }, { parameters: { truncate: true } }),
      TypeError,
      /"parameters" has no parameter "truncate"/,
    ],
  ];
  for (const [call, type, message] of bad) {
    const error = await rejection(call());
    assert.ok(error instanceof type, `${error.name}: ${error.message}`);
    assert.match(error.message, /^Cannot answer the table question: /);
    assert.match(error.message, message);
  }
  assert.equal(network.calls.length, 0);
});
