/**
 * The longest functions of a folder, measured with the TypeScript compiler's
 * own parser: every function declaration, method, accessor, constructor,
 * function expression and arrow function, from the line of its start (its
 * JSDoc excluded) to the line of its end. A function nested in another is
 * counted on its own and inside its parent.
 *
 * deno run --allow-read --allow-env tools/function_lengths.ts [folder=lib] [--top=15] [--over=60]
 *
 * Exits 1 when `--over` is given and some function is longer.
 *
 * @module
 */

import ts from "npm:typescript@^5.9.3";
import { join, relative } from "node:path";

/** One function and its length in lines. */
export interface FunctionLength {
  /** The file, relative to the working folder. */
  file: string;
  /** Its name (`Class.method`, `<arrow>` for an unnamed one, with the name it is assigned to when there is one). */
  name: string;
  /** The first line (1-based). */
  line: number;
  /** Lines from the first to the last, both counted. */
  lines: number;
}

/** Every function of a TypeScript source text, with its length. */
export function functionLengths(file: string, text: string): FunctionLength[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: FunctionLength[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isFunctionLike(node) && "body" in node && node.body !== undefined) {
      const start = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
      const end = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      found.push({ file, name: nameOf(node), line: start + 1, lines: end - start + 1 });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function nameOf(node: ts.Node): string {
  const own = (node as { name?: ts.Node }).name;
  const parent = node.parent;
  const owner = parent && (ts.isClassLike(parent) || ts.isObjectLiteralExpression(parent))
    ? (ts.isClassLike(parent) && parent.name ? `${parent.name.text}.` : "")
    : "";
  if (own && (ts.isIdentifier(own) || ts.isPrivateIdentifier(own) || ts.isStringLiteral(own))) {
    return owner + own.text;
  }
  if (ts.isConstructorDeclaration(node)) return `${owner}constructor`;
  if (parent && ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  if (parent && ts.isPropertyAssignment(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  if (parent && ts.isPropertyDeclaration(parent) && ts.isIdentifier(parent.name)) {
    return owner + parent.name.text;
  }
  return ts.isArrowFunction(node) ? "<arrow>" : "<function>";
}

async function* tsFiles(dir: string): AsyncGenerator<string> {
  for await (const entry of Deno.readDir(dir)) {
    const path = join(dir, entry.name);
    if (entry.isDirectory) yield* tsFiles(path);
    else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts")) yield path;
  }
}

if (import.meta.main) {
  const args = Deno.args.filter((a) => !a.startsWith("--"));
  const flag = (name: string) => Deno.args.find((a) => a.startsWith(`--${name}=`))?.split("=")[1];
  const dir = args[0] ?? "lib";
  const top = Number(flag("top") ?? 15);
  const over = flag("over") === undefined ? undefined : Number(flag("over"));
  const all: FunctionLength[] = [];
  for await (const path of tsFiles(dir)) {
    all.push(...functionLengths(relative(Deno.cwd(), path), await Deno.readTextFile(path)));
  }
  all.sort((a, b) => b.lines - a.lines || a.file.localeCompare(b.file));
  for (const f of all.slice(0, top)) {
    console.log(`${String(f.lines).padStart(4)}  ${f.file}:${f.line}  ${f.name}`);
  }
  const long = over === undefined ? [] : all.filter((f) => f.lines > over);
  console.log(`${all.length} functions${over === undefined ? "" : `, ${long.length} over ${over} lines`}`);
  if (long.length > 0) Deno.exit(1);
}
