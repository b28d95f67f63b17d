/**
 * Error mapping: the service's own message out of every envelope (API.md's
 * bodies and every error body recorded in ../shared/reference/hf-recorded),
 * the kind and hint per status, and the retry classification.
 */
import assert from "node:assert/strict";
import {
  errorResponse,
  HfApiError,
  type HfErrorKind,
  HfNetworkError,
  HfNotServedError,
  HfOutputError,
  ReplayMissError,
  retryClassOfStatus,
  serviceMessage,
} from "../lib/errors.ts";
import {
  FAKE_TOKEN,
  HAS_REFERENCE,
  referenceApiDoc,
  type ReferenceInteraction,
  referenceInteractions,
} from "./_helpers.ts";

const URL_ = "https://router.huggingface.co/hf-inference/models/test-org/errors";
const JSON_TYPE = new Headers({ "content-type": "application/json" });

/** Every error body API.md lists, with the message the workbook must surface. */
const API_DOC_BODIES: { status: number; type: string | null; body: string; message: string }[] = [
  {
    status: 400,
    type: "application/json",
    body: '{"error":"Malformed soundfile"}',
    message: "Malformed soundfile",
  },
  {
    status: 400,
    type: "application/json",
    body: '{"error":["Error in `inputs`: Invalid image: {}"]}',
    message: "Error in `inputs`: Invalid image: {}",
  },
  {
    status: 400,
    type: "application/json",
    body:
      '{"error":{"message":"The requested model \'x/y\' is not supported by any provider you have enabled.","type":"invalid_request_error","code":"model_not_supported"}}',
    message:
      "The requested model 'x/y' is not supported by any provider you have enabled. (model_not_supported)",
  },
  {
    status: 401,
    type: "application/json",
    body: '{"error":"Invalid credentials in Authorization header"}',
    message: "Invalid credentials in Authorization header",
  },
  {
    status: 401,
    type: "application/json; charset=utf-8",
    body: '{"error":"Invalid username or password."}',
    message: "Invalid username or password.",
  },
  {
    status: 401,
    type: "text/plain; charset=utf-8",
    body: "Invalid username or password.",
    message: "Invalid username or password.",
  },
  {
    status: 402,
    type: "application/json",
    body:
      '{"error":"You have exceeded your monthly included credits for Inference Providers. Subscribe to PRO to get 20x more monthly included credits."}',
    message:
      "You have exceeded your monthly included credits for Inference Providers. Subscribe to PRO to get 20x more monthly included credits.",
  },
  {
    status: 403,
    type: "application/json",
    body:
      '{"error":"This authentication method does not have sufficient permissions to call Inference Providers on behalf of user someone"}',
    message:
      "This authentication method does not have sufficient permissions to call Inference Providers on behalf of user someone",
  },
  {
    status: 404,
    type: "application/json",
    body: '{"error":"Model X does not exist"}',
    message: "Model X does not exist",
  },
  {
    status: 404,
    type: "application/json",
    body: '{"error":"Repository not found"}',
    message: "Repository not found",
  },
  { status: 404, type: "text/plain; charset=utf-8", body: "Not Found", message: "Not Found" },
  {
    status: 410,
    type: "application/json",
    body:
      '{"error":"https://api-inference.huggingface.co is no longer supported. Please use https://router.huggingface.co instead."}',
    message:
      "https://api-inference.huggingface.co is no longer supported. Please use https://router.huggingface.co instead.",
  },
  {
    status: 413,
    type: "text/plain; charset=utf-8",
    body: "Failed to buffer the request body: length limit exceeded",
    message: "Failed to buffer the request body: length limit exceeded",
  },
  {
    status: 422,
    type: "application/json",
    body: '{"error":"Input validation error: `inputs` must be non-empty","error_type":"validation"}',
    message: "Input validation error: `inputs` must be non-empty",
  },
  {
    status: 422,
    type: "text/plain; charset=utf-8",
    body:
      "Failed to deserialize the JSON body into the target type: missing field `inputs` at line 1 column 158",
    message:
      "Failed to deserialize the JSON body into the target type: missing field `inputs` at line 1 column 158",
  },
  {
    status: 424,
    type: "application/json",
    body: '{"error":"Request failed during generation: Server error: boom","error_type":"generation"}',
    message: "Request failed during generation: Server error: boom",
  },
  {
    status: 429,
    type: "application/json",
    body: '{"error":"Rate limit reached. Please log in or use a HF access token"}',
    message: "Rate limit reached. Please log in or use a HF access token",
  },
  {
    status: 429,
    type: "application/json",
    body: '{"error":"Model is overloaded","error_type":"overloaded"}',
    message: "Model is overloaded",
  },
  {
    status: 500,
    type: "application/json",
    body: '{"error":"unknown error","warnings":["There was an inference error: unknown error"]}',
    message: "unknown error (warnings: There was an inference error: unknown error)",
  },
  {
    status: 500,
    type: "application/json",
    body: '{"error":"Model too busy, unable to get response in less than 120 second(s)"}',
    message: "Model too busy, unable to get response in less than 120 second(s)",
  },
  {
    status: 502,
    type: "text/html",
    body:
      "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n",
    message: "502 Bad Gateway",
  },
  {
    status: 504,
    type: "text/html",
    body: "<html><head><title>504 Gateway Time-out</title></head><body></body></html>",
    message: "504 Gateway Time-out",
  },
  {
    status: 503,
    type: "application/json",
    body: '{"error":"Model X is currently loading","estimated_time":20.0}',
    message: "Model X is currently loading",
  },
  {
    status: 503,
    type: "text/html",
    body: "<html><head><title>503 Service Temporarily Unavailable</title></head></html>",
    message: "503 Service Temporarily Unavailable",
  },
  { status: 503, type: "text/plain", body: "Service Unavailable", message: "Service Unavailable" },
];

Deno.test("serviceMessage surfaces the message of every error body API.md lists", () => {
  for (const { status, type, body, message } of API_DOC_BODIES) {
    const response = errorResponse(status, new Headers(type ? { "content-type": type } : {}), body);
    assert.equal(response.message, message, `${status} ${body}`);
    assert.equal(response.status, status);
    assert.equal(response.body, body);
    const error = new HfApiError("POST", URL_, response);
    assert.equal(error.message, `Hugging Face answered ${status} to POST ${URL_}: ${message}`);
    assert.equal(error.serviceMessage, message);
  }
  assert.equal(API_DOC_BODIES.length, 25);
});

/** The backticked JSON bodies of API.md's error table that parse. */
function jsonBodiesOf(doc: string): { status: number; body: string }[] {
  const section = doc.split("## Errors the service sends")[1]?.split("\n## ")[0] ?? "";
  const out: { status: number; body: string }[] = [];
  for (const line of section.split("\n")) {
    const status = /^\| (\d{3})/.exec(line)?.[1];
    if (!status) continue;
    for (const span of line.matchAll(/`((?:\\`|[^`])*)`/g)) {
      const text = span[1]!.replaceAll("\\`", "`");
      try {
        JSON.parse(text);
        out.push({ status: Number(status), body: text });
      } catch {
        // not a whole JSON body (a header, or an elided one)
      }
    }
  }
  return out;
}

Deno.test({
  name: "serviceMessage surfaces the message of every JSON body in API.md's error table, read from the file",
  ignore: !HAS_REFERENCE,
  fn: async () => {
    const bodies = jsonBodiesOf(await referenceApiDoc());
    assert.ok(bodies.length >= 10, `found ${bodies.length}`);
    for (const { status, body } of bodies) {
      const value = JSON.parse(body) as { error: unknown };
      const { message } = errorResponse(status, JSON_TYPE, body);
      const expected = typeof value.error === "string"
        ? value.error
        : Array.isArray(value.error)
        ? value.error.join("; ")
        : String((value.error as { message?: unknown }).message);
      assert.ok(message.startsWith(expected), `${status} ${body}: ${message}`);
    }
  },
});

/** What a reader must find in the message: the text the service meant, however it was wrapped. */
function expectedParts(raw: string): string[] {
  try {
    const value = JSON.parse(raw) as Record<string, unknown>;
    const e = value.error ?? value.detail ?? value.message;
    if (typeof e === "string") return [e];
    if (Array.isArray(e)) {
      return e.map((x) => typeof x === "string" ? x : String((x as { msg?: unknown }).msg));
    }
    if (e && typeof e === "object") return [String((e as { message?: unknown }).message)];
    return [raw];
  } catch {
    const title = /<title>([^<]*)<\/title>/i.exec(raw)?.[1];
    return [title ?? raw.trim()];
  }
}

async function recordedErrors(): Promise<(ReferenceInteraction & { file: string })[]> {
  const out: (ReferenceInteraction & { file: string })[] = [];
  for (const file of ["interactions.json", "hub_cassettes.json"] as const) {
    for (const i of await referenceInteractions(file)) {
      if (i.responseBodyRaw !== undefined && i.status >= 400) out.push({ ...i, file });
    }
  }
  return out;
}

Deno.test({
  name: "every recorded hf-inference / router / Hub error body: the service's message is surfaced",
  ignore: !HAS_REFERENCE,
  fn: async () => {
    const all = await recordedErrors();
    const ours = all.filter((i) => i.provider === "hf-inference" || i.provider === "hub-api");
    let surfaced = 0;
    for (const i of ours) {
      const raw = i.responseBodyRaw!;
      const headers = new Headers(i.headers);
      const response = errorResponse(i.status, headers, raw);
      const error = new HfApiError(i.method, i.url, response);
      const parts = expectedParts(raw);
      const where = `${i.file} ${i.status} ${i.url}: ${raw.slice(0, 120)}`;
      for (const part of parts) {
        assert.ok(error.message.includes(part.trim().slice(0, 400)), `${where} → ${error.message}`);
      }
      assert.ok(!error.message.endsWith(": (empty body)"), where);
      assert.ok(!/"error"\s*:/.test(response.message), `an envelope leaked into the message: ${where}`);
      assert.equal(error.status, i.status);
      assert.ok(error.hint.length > 20, where);
      surfaced++;
    }
    assert.equal(surfaced, ours.length);
    assert.ok(ours.length >= 60, `expected the 66 recorded error bodies, found ${ours.length}`);

    // the other providers' bodies (OpenAI-style, FastAPI `detail`, `message`) surface their text too
    const others = all.filter((i) => !(i.provider === "hf-inference" || i.provider === "hub-api"));
    let otherSurfaced = 0;
    for (const i of others) {
      const { message } = errorResponse(i.status, new Headers(i.headers), i.responseBodyRaw!);
      const parts = expectedParts(i.responseBodyRaw!);
      if (parts.every((p) => message.includes(p.trim().slice(0, 400)))) otherSurfaced++;
    }
    assert.equal(otherSurfaced, others.length);
    console.log(
      `recorded error bodies surfaced: ${surfaced}/${ours.length} hf-inference/router/Hub, ` +
        `${otherSurfaced}/${others.length} other providers`,
    );
  },
});

Deno.test("FastAPI-style detail lists name the field of each message", () => {
  const body = JSON.stringify({
    detail: [
      { type: "missing", loc: ["body", "height"], msg: "Field required" },
      { type: "missing", loc: ["body", "model_name"], msg: "Field required" },
    ],
  });
  assert.equal(
    serviceMessage(body, "application/json").message,
    "body.height: Field required; body.model_name: Field required",
  );
});

Deno.test("serviceMessage: HTML title, then h1, then a generic phrase; empty bodies; long text is cut", () => {
  assert.equal(
    serviceMessage("<html><body><h1>Bad things</h1></body></html>", "text/html").message,
    "Bad things",
  );
  assert.equal(serviceMessage("<!DOCTYPE html><html><p>x</p></html>", null).message, "an HTML error page");
  assert.equal(serviceMessage("", "text/plain").message, "(empty body)");
  assert.equal(serviceMessage("   \n", null).message, "(empty body)");
  const long = "x".repeat(800);
  const cut = serviceMessage(long, "text/plain").message;
  assert.ok(cut.startsWith("x".repeat(500)) && cut.endsWith("(300 more characters)"), cut.slice(480));
  assert.equal(serviceMessage('"just a string"', "application/json").message, '"just a string"');
  assert.equal(serviceMessage("{not json", "application/json").message, "{not json");
  assert.deepEqual(serviceMessage('{"error":"x","error_type":"validation"}', null), {
    message: "x",
    errorType: "validation",
  });
  assert.deepEqual(serviceMessage('{"error":{"message":"m","type":"invalid_request_error"}}', null), {
    message: "m",
    errorType: "invalid_request_error",
  });
});

Deno.test("errorResponse keeps x-error-code and x-request-id, and cuts and redacts the body", () => {
  const headers = new Headers({
    "content-type": "application/json",
    "x-error-code": "GatedRepo",
    "x-request-id": "Root=1-abc",
  });
  const body = JSON.stringify({ error: `restricted for ${FAKE_TOKEN}`, pad: "y".repeat(3_000) });
  const r = errorResponse(403, headers, body);
  assert.equal(r.errorCode, "GatedRepo");
  assert.equal(r.requestId, "Root=1-abc");
  assert.equal(r.message, "restricted for hf_***");
  assert.ok(!r.body.includes(FAKE_TOKEN));
  assert.ok(r.body.length < 2_100 && r.body.includes("more characters"), String(r.body.length));
});

Deno.test("HfApiError: the kind and hint of every status", () => {
  const cases: [number, HfErrorKind, RegExp, Record<string, string>?, string?][] = [
    [400, "bad-request", /input or parameters/],
    [401, "unauthorized", /Set HF_TOKEN .*settings\/tokens/],
    [402, "out-of-credits", /credits .*billing/],
    [403, "forbidden", /"Make calls to Inference Providers" permission/],
    [403, "gated", /gated: accept its conditions/, { "x-error-code": "GatedRepo" }],
    [403, "gated", /gated/, {}, "This model is gated"],
    [404, "not-found", /renamed models answer 307/, { "x-error-code": "RepoNotFound" }],
    [404, "not-found", /Check the model id and the task's route/, {}, "No route for this path"],
    [404, "not-found", /renamed models answer 307/, {}, "Model X does not exist"],
    [408, "timeout", /./],
    [
      410,
      "gone",
      /api-inference\.huggingface\.co is gone/,
      {},
      "api-inference.huggingface.co is no longer supported",
    ],
    [410, "gone", /use https:\/\/router\.huggingface\.co/, {}, "Gone"],
    [413, "too-large", /smaller/],
    [415, "unsupported-media", /./],
    [422, "validation", /parameters/],
    [424, "generation", /Generation failed/],
    [429, "rate-limited", /slow down/],
    [500, "server", /try again later/],
    [502, "server", /try again later/],
    [503, "unavailable", /may not be served.*deno task hf check/],
    [504, "server", /try again later/],
  ];
  for (const [status, kind, hint, headers = {}, message = "message"] of cases) {
    const error = new HfApiError("POST", URL_, errorResponse(status, new Headers(headers), message));
    assert.equal(error.kind, kind, `${status} ${message}`);
    assert.match(error.hint, hint, `${status} ${kind}`);
    assert.equal(error.name, "HfApiError");
    assert.ok(error instanceof Error);
  }
  const retried = new HfApiError("POST", URL_, errorResponse(503, new Headers(), "x"), 3);
  assert.match(retried.message, /answered 503 to POST .* after 3 attempts: x$/);
});

/** API.md's retry table, for when ../shared is not there. */
const RETRY_TABLE: Record<string, number[]> = {
  retry: [408, 429, 500, 502, 504],
  "retry-few": [503, 424],
  fail: [400, 404, 410, 413, 415, 422],
  stop: [401, 402, 403],
};

Deno.test("retryClassOfStatus follows API.md's retry classification", async () => {
  let table = RETRY_TABLE;
  if (HAS_REFERENCE) {
    const doc = await referenceApiDoc();
    const row = doc.split("## Retry classification")[1]?.split("\n").find((l) => /^\| 408/.test(l));
    assert.ok(row, "API.md's retry table row");
    const columns = row.split("|").slice(1, 5).map((c) =>
      [...c.matchAll(/\b([1-5]\d\d)\b/g)].map((m) => Number(m[1]))
    );
    table = { retry: columns[0]!, "retry-few": columns[1]!, fail: columns[2]!, stop: columns[3]! };
    assert.deepEqual(table, RETRY_TABLE);
  }
  for (const [retryClass, statuses] of Object.entries(table)) {
    for (const status of statuses) assert.equal(retryClassOfStatus(status), retryClass, String(status));
  }
  assert.equal(retryClassOfStatus(418), "fail");
  assert.equal(new HfApiError("GET", URL_, errorResponse(429, new Headers(), "x")).retryClass, "retry");
  assert.equal(new HfNetworkError("GET", URL_, "refused", 1, false).retryClass, "retry");
  assert.equal(new HfOutputError("bad", "{}").retryClass, "fail");
});

Deno.test("no message, hint or body of any error class carries a token", () => {
  const url = `${URL_}?token=${FAKE_TOKEN}`;
  const errors = [
    new HfApiError(
      "POST",
      url,
      errorResponse(401, JSON_TYPE, JSON.stringify({ error: `bad ${FAKE_TOKEN}` })),
    ),
    new HfNetworkError("POST", url, `refused ${FAKE_TOKEN}`, 2, false),
    new HfNetworkError("POST", url, "slow", 2, true),
    new HfOutputError(`broken ${FAKE_TOKEN}`, `{"error":"${FAKE_TOKEN}"}`),
    new HfNotServedError("test-org/x", `no provider for ${FAKE_TOKEN}`),
    new ReplayMissError("POST", url, "sha256:0123456789ab", "/recordings"),
  ];
  for (const error of errors) {
    const text = [error.message, error.hint, JSON.stringify(error), Deno.inspect(error)].join("\n");
    assert.ok(!text.includes(FAKE_TOKEN), `${error.name}: ${text}`);
  }
  const network = errors[1] as HfNetworkError;
  assert.equal(network.kind, "network");
  assert.match(
    network.message,
    /^Cannot reach router\.huggingface\.co for POST .* after 2 attempts: refused hf_\*\*\*$/,
  );
  assert.equal((errors[2] as HfNetworkError).kind, "timeout");
  assert.match((errors[4] as HfNotServedError).hint, /inferenceProviderMapping/);
});
