/** The GitHub Actions expressions the workflows and action.yml use (`${{ }}` values and `if:` conditions), evaluated as a runner does. */

/**
 * Fill in a `${{ … }}` value. Only the forms action.yml and the examples use are known; any other
 * expression throws, so that a test never runs a script with an expression left in it.
 */
export function resolve(value: string, ctx: Record<string, string>): string {
  return value.replace(/\$\{\{\s*(.+?)\s*\}\}/g, (_, expr: string) => {
    if (expr in ctx) return ctx[expr];
    // A step that wrote no such output (it was skipped, or exited early) reads as empty, as on GitHub.
    if (/^steps\.[\w-]+\.outputs\.[\w-]+$/.test(expr)) return '';
    throw new Error(`no value for the expression \${{ ${expr} }}`);
  });
}

type Value = string | boolean | null;

/** Evaluate one GitHub Actions expression (the text inside `${{ }}`, or an `if:`). */
export function evaluate(expr: string, ctx: Record<string, string>, status: 'success' | 'failure' | 'cancelled' = 'success'): Value {
  const tokens: string[] = [];
  const lexer = /\s*('(?:[^']|'')*'|&&|\|\||==|!=|!|\(|\)|[\w.*-]+)/y;
  let end = 0;
  for (let m = lexer.exec(expr); m !== null; m = lexer.exec(expr)) {
    tokens.push(m[1]);
    end = lexer.lastIndex;
  }
  if (expr.slice(end).trim() !== '') throw new Error(`cannot read the expression ${expr}`);
  let i = 0;
  const truthy = (v: Value) => v !== null && v !== false && v !== '';
  const peek = () => tokens[i];
  const take = (t?: string) => {
    const tok = tokens[i++];
    if (t !== undefined && tok !== t) throw new Error(`expected ${t} in ${expr}`);
    return tok;
  };
  const or = (): Value => {
    let v = and();
    while (peek() === '||') {
      take();
      const r = and();
      v = truthy(v) ? v : r;
    }
    return v;
  };
  const and = (): Value => {
    let v = cmp();
    while (peek() === '&&') {
      take();
      const r = cmp();
      v = truthy(v) ? r : v;
    }
    return v;
  };
  const cmp = (): Value => {
    const l = unary();
    if (peek() === '==' || peek() === '!=') {
      const op = take();
      const r = unary();
      const eq = String(l ?? '').toLowerCase() === String(r ?? '').toLowerCase();
      return op === '==' ? eq : !eq;
    }
    return l;
  };
  const unary = (): Value => {
    if (peek() === '!') {
      take();
      return !truthy(unary());
    }
    return primary();
  };
  const primary = (): Value => {
    const tok = take();
    if (tok === '(') {
      const v = or();
      take(')');
      return v;
    }
    if (tok.startsWith("'")) return tok.slice(1, -1).replace(/''/g, "'");
    if (tok === 'true' || tok === 'false') return tok === 'true';
    if (peek() === '(') {
      take('(');
      take(')');
      const fns: Record<string, boolean> = { success: status === 'success', failure: status === 'failure', cancelled: status === 'cancelled', always: true };
      if (!(tok in fns)) throw new Error(`unknown function ${tok}() in ${expr}`);
      return fns[tok];
    }
    if (tok in ctx) return ctx[tok];
    // Unset secrets, variables, inputs and outputs of steps that did not write them read as empty, as on GitHub.
    if (/^(secrets|vars|inputs|steps\.[\w-]+\.outputs)\.[\w-]+$/.test(tok)) return '';
    throw new Error(`no value for ${tok} in ${expr}`);
  };
  const v = or();
  if (i !== tokens.length) throw new Error(`cannot read the expression ${expr}`);
  return v;
}

/** A `${{ }}`-bearing value, filled in: a whole-value expression keeps its type, as text otherwise. */
export function fill(value: string, ctx: Record<string, string>): string {
  return value.replace(/\$\{\{\s*(.+?)\s*\}\}/g, (_, expr: string) => {
    const v = evaluate(expr, ctx);
    return v === null ? '' : String(v);
  });
}
