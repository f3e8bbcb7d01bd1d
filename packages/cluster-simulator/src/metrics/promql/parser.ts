import { AGGS, Matcher, Node, parsePromDuration, PromQLError } from './types';

/** A recursive-descent parser for the PromQL subset. */
class Parser {
  private i = 0;
  constructor(private readonly src: string) {}

  private ws() {
    while (this.i < this.src.length && /\s/.test(this.src[this.i])) this.i++;
  }
  private peek(re: RegExp): RegExpExecArray | null {
    this.ws();
    re.lastIndex = this.i;
    const m = re.exec(this.src);
    return m && m.index === this.i ? m : null;
  }
  private eat(re: RegExp): RegExpExecArray | null {
    const m = this.peek(re);
    if (m) this.i += m[0].length;
    return m;
  }
  private expect(s: string) {
    this.ws();
    if (!this.src.startsWith(s, this.i))
      throw new PromQLError(
        `parse error at char ${this.i + 1}: expected "${s}"`,
      );
    this.i += s.length;
  }

  parse(): Node {
    const n = this.expr(0);
    this.ws();
    if (this.i < this.src.length)
      throw new PromQLError(
        `parse error at char ${this.i + 1}: unexpected "${this.src.slice(
          this.i,
          this.i + 10,
        )}"`,
      );
    return n;
  }

  private static PREC: Record<string, number> = {
    '==': 1,
    '!=': 1,
    '>': 1,
    '<': 1,
    '>=': 1,
    '<=': 1,
    '+': 2,
    '-': 2,
    '*': 3,
    '/': 3,
    '%': 3,
  };

  private expr(minPrec: number): Node {
    let left = this.unary();
    for (;;) {
      const m = this.peek(/==|!=|>=|<=|>|<|\+|-|\*|\/|%/y);
      if (!m) return left;
      const op = m[0];
      const prec = Parser.PREC[op];
      if (prec < minPrec || prec === undefined) return left;
      this.i += op.length;
      const bool = !!this.eat(/bool\b/y);
      let on: string[] | undefined;
      let ignoring: string[] | undefined;
      if (this.eat(/on\s*\(/y)) on = this.labelList();
      else if (this.eat(/ignoring\s*\(/y)) ignoring = this.labelList();
      const right = this.expr(prec + 1);
      left = { k: 'bin', op, l: left, r: right, on, ignoring, bool };
    }
  }

  private labelList(): string[] {
    const out: string[] = [];
    while (!this.eat(/\)/y)) {
      const m = this.eat(/[a-zA-Z_][a-zA-Z0-9_]*/y);
      if (!m)
        throw new PromQLError(
          `parse error at char ${this.i + 1}: expected label name`,
        );
      out.push(m[0]);
      this.eat(/,/y);
    }
    return out;
  }

  private unary(): Node {
    if (this.eat(/-/y)) return { k: 'neg', e: this.unary() };
    if (this.eat(/\+/y)) return this.unary();
    return this.postfix(this.primary());
  }

  private postfix(n: Node): Node {
    if (n.k === 'sel') {
      const r = this.eat(/\[([0-9a-z]+)\]/y);
      if (r) n.range = parsePromDuration(r[1]);
      const o = this.eat(/offset\s+([0-9a-z]+)/y);
      if (o) n.offset = parsePromDuration(o[1]);
    }
    return n;
  }

  private primary(): Node {
    const num = this.eat(/[0-9]+(\.[0-9]+)?(e[+-]?[0-9]+)?/iy);
    if (num) return { k: 'num', v: Number(num[0]) };
    if (this.eat(/\(/y)) {
      const e = this.expr(0);
      this.expect(')');
      return e;
    }
    if (this.peek(/\{/y))
      return { k: 'sel', matchers: this.matchers(), offset: 0 };
    const id = this.eat(/[a-zA-Z_:][a-zA-Z0-9_:]*/y);
    if (!id)
      throw new PromQLError(
        `parse error at char ${this.i + 1}: unexpected input`,
      );
    const name = id[0];
    if (AGGS.includes(name)) {
      let by: string[] | undefined;
      let without: string[] | undefined;
      if (this.eat(/by\s*\(/y)) by = this.labelList();
      else if (this.eat(/without\s*\(/y)) without = this.labelList();
      this.expect('(');
      let param: Node | undefined;
      let expr = this.expr(0);
      if (this.eat(/,/y)) {
        param = expr;
        expr = this.expr(0);
      }
      this.expect(')');
      if (this.eat(/by\s*\(/y)) by = this.labelList();
      else if (this.eat(/without\s*\(/y)) without = this.labelList();
      return { k: 'agg', op: name, by, without, param, expr };
    }
    if (this.peek(/\(/y)) {
      this.expect('(');
      const args: Node[] = [];
      while (!this.eat(/\)/y)) {
        args.push(this.expr(0));
        this.eat(/,/y);
      }
      return { k: 'call', fn: name, args };
    }
    return {
      k: 'sel',
      name,
      matchers: this.peek(/\{/y) ? this.matchers() : [],
      offset: 0,
    };
  }

  private matchers(): Matcher[] {
    this.expect('{');
    const out: Matcher[] = [];
    while (!this.eat(/\}/y)) {
      const m =
        this.eat(
          /([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"/y,
        ) ??
        this.eat(
          /([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*'((?:[^'\\]|\\.)*)'/y,
        );
      if (!m)
        throw new PromQLError(
          `parse error at char ${this.i + 1}: bad label matcher`,
        );
      out.push({
        name: m[1],
        op: m[2] as Matcher['op'],
        value: m[3].replace(/\\(.)/g, '$1'),
      });
      this.eat(/,/y);
    }
    return out;
  }
}

/** Parses a PromQL expression. */
export function parsePromQL(q: string): Node {
  return new Parser(q).parse();
}

/** Whether labels satisfy matchers (regexes are fully anchored, as in Prometheus). */
