// Recursive-descent parser: source text -> Script. No evaluation.

import type {
  Accessor, Argument, CommandElement, Expr, HashtableEntry, Pipeline, PipelineElement, Position, Script, Statement,
} from './ast.js';
import { IncompleteInputError, ParseError } from './errors.js';
import { Lexer, type LexMode, type Token } from './tokenize.js';

const COMMAND_NAME = /^[\p{L}\p{N}_?%][\p{L}\p{N}_?%-]*$/u;
type TokenType = Token['type'];
const VALUE_START = new Set<TokenType>(['value', 'word', 'lparen', 'subexpr', 'arrayexpr', 'hashtable']);
/** Tokens allowed to touch a value without whitespace in between. */
const BOUNDARY = new Set<TokenType>(['comma', 'pipe', 'newline', 'semicolon', 'rparen', 'rbrace', 'eof']);

export function parseScript(source: string): Script {
  return { statements: new Parser(source).script() };
}

/**
 * Name of the first command of the first statement (after an optional
 * `$x =`), or undefined. Only that prefix is lexed, so a command line with a
 * mistake further on still reports its command name and the caller can show
 * parseScript's error rather than treating the line as something else.
 */
export function firstCommandName(source: string): string | undefined {
  try {
    const lexer = new Lexer(source);
    let t = lexer.next('command');
    while (t.type === 'newline' || t.type === 'semicolon') t = lexer.next('command');
    if (t.type === 'value' && t.expr.kind === 'variable' && !t.expr.scope && !t.expr.path.length) {
      if (lexer.next('key').type !== 'equals') return undefined;
      do t = lexer.next('command');
      while (t.type === 'newline');
    }
    return t.type === 'word' && COMMAND_NAME.test(t.value) ? t.value : undefined;
  } catch {
    return undefined;
  }
}

class Parser {
  private readonly lexer: Lexer;
  /** Open brackets, innermost last: reaching the end inside one means "incomplete". */
  private readonly open: { closer: string; pos: Position }[] = [];
  /** End offset of the last consumed token, to cut out a statement's text. */
  private lastEnd = 0;
  /** Tokens by mode and offset; a token depends on nothing else. */
  private readonly cache: Record<LexMode, Map<number, Token>> = { command: new Map(), argument: new Map(), key: new Map() };

  constructor(private readonly source: string) {
    this.lexer = new Lexer(source, (pos) => ({ kind: 'subexpression', statements: this.grouped(pos), path: [], pos }));
  }

  script(): Statement[] {
    return this.statements('eof');
  }

  // Lexing a double-quoted string may parse a nested `$( )`, which moves
  // lastEnd; a peek must leave no trace, hence the save and restore. The
  // cache keeps nested strings from being re-parsed on every peek, which
  // would cost time exponential in the nesting depth.
  private peek(mode: LexMode = 'argument'): Token {
    const offset = this.lexer.offset;
    let token = this.cache[mode].get(offset);
    if (!token) {
      const lastEnd = this.lastEnd;
      token = this.lexer.next(mode);
      this.lexer.offset = offset;
      this.lastEnd = lastEnd;
      this.cache[mode].set(offset, token);
    }
    return token;
  }

  private take(t: Token): void {
    this.lexer.offset = this.lastEnd = t.end;
  }

  /** Consumes tokens of the given types; returns the first other token (not consumed). */
  private skip(types: TokenType[], mode: LexMode = 'argument'): Token {
    let t = this.peek(mode);
    while (types.includes(t.type)) {
      this.take(t);
      t = this.peek(mode);
    }
    return t;
  }

  private statements(closer: 'eof' | 'rparen'): Statement[] {
    const out: Statement[] = [];
    for (;;) {
      const t = this.skip(['newline', 'semicolon'], 'command');
      if (t.type === closer) return out;
      if (t.type === 'eof') throw this.unexpected(t);
      out.push(this.statement());
      const after = this.peek();
      if (after.type !== 'newline' && after.type !== 'semicolon' && after.type !== closer) throw this.unexpected(after);
    }
  }

  private statement(): Statement {
    const first = this.peek('command');
    let assign: string | undefined;
    if (first.type === 'value' && first.expr.kind === 'variable') {
      const eq = this.peekAt(first.end, 'key');
      if (eq.type === 'equals') {
        if (first.expr.scope !== undefined || first.expr.path.length) {
          const target = this.source.slice(first.start, first.end);
          throw new ParseError(`cannot assign to '${target}': only plain variables like $name can be assigned`, first.pos);
        }
        this.take(first);
        this.take(eq);
        const value = this.skip(['newline'], 'command');
        if (value.type === 'eof') throw this.unexpected(value, "a value after '='", true);
        assign = first.expr.name;
      }
    }
    const pipeline = this.pipeline();
    const text = this.source.slice(first.start, this.lastEnd);
    return assign === undefined ? { pipeline, text, pos: first.pos } : { assign, pipeline, text, pos: first.pos };
  }

  private peekAt(offset: number, mode: LexMode): Token {
    const saved = this.lexer.offset;
    this.lexer.offset = offset;
    try {
      return this.peek(mode);
    } finally {
      this.lexer.offset = saved;
    }
  }

  private pipeline(): Pipeline {
    const elements = [this.element(true)];
    while (this.peek().type === 'pipe') {
      this.take(this.peek());
      const t = this.skip(['newline'], 'command');
      if (t.type === 'eof') throw this.unexpected(t, "a command after '|'", true);
      elements.push(this.element(false));
    }
    return { elements };
  }

  private element(first: boolean): PipelineElement {
    const t = this.peek('command');
    if (t.type === 'word') return this.command(t);
    if (first && VALUE_START.has(t.type)) {
      const expr = this.value();
      return { kind: 'expression', expr, pos: expr.pos };
    }
    throw this.unexpected(t, first ? 'a command or expression' : "a command after '|'");
  }

  private command(nameToken: Extract<Token, { type: 'word' }>): CommandElement {
    this.take(nameToken);
    const name = nameToken.value;
    if (!COMMAND_NAME.test(name)) throw new ParseError(`'${name}' is not a valid command name`, nameToken.pos);
    const args: Argument[] = [];
    for (;;) {
      const t = this.peek();
      if (t.type === 'parameter') {
        this.take(t);
        if (!t.colon) {
          args.push({ kind: 'parameter', name: t.name, pos: t.pos });
          continue;
        }
        const v = this.peek();
        if (!VALUE_START.has(v.type)) throw this.unexpected(v, `a value after '-${t.name}:'`);
        args.push({ kind: 'parameter', name: t.name, value: this.value(), pos: t.pos });
      } else if (VALUE_START.has(t.type)) {
        const value = this.value();
        args.push({ kind: 'value', value, pos: value.pos });
      } else {
        return { kind: 'command', name, args, pos: nameToken.pos };
      }
    }
  }

  /** One value, or several separated by commas (which form one array). */
  private value(): Expr {
    const first = this.primary();
    const items = [first];
    while (this.peek().type === 'comma') {
      this.take(this.peek());
      const t = this.skip(['newline']);
      if (!VALUE_START.has(t.type)) throw this.unexpected(t, "a value after ','", true);
      items.push(this.primary());
    }
    return items.length === 1 ? first : { kind: 'array', items, pos: first.pos };
  }

  private primary(): Expr {
    const t = this.peek();
    this.take(t);
    let expr: Expr;
    switch (t.type) {
      case 'value':
        expr = t.expr;
        break;
      case 'word':
        expr = { kind: 'bareword', value: t.value, pos: t.pos };
        break;
      case 'lparen':
      case 'subexpr': {
        const statements = this.grouped(t.pos);
        if (t.type === 'lparen' && !statements.length) throw new ParseError("expected an expression after '('", t.pos);
        expr = { kind: 'subexpression', statements, path: this.accessors(), pos: t.pos };
        break;
      }
      case 'arrayexpr':
        expr = this.arrayExpression(t.pos);
        break;
      case 'hashtable':
        expr = this.hashtable(t.pos);
        break;
      default:
        throw this.unexpected(t, 'a value');
    }
    const next = this.peek();
    if (!next.spaceBefore && !BOUNDARY.has(next.type)) {
      throw new ParseError(`unexpected ${this.describe(next)} right after a value; separate arguments with a space`, next.pos);
    }
    return expr;
  }

  private accessors(): Accessor[] {
    const path = this.lexer.readAccessors();
    this.lastEnd = this.lexer.offset;
    return path;
  }

  /** Statements up to and including the `)` matching an already consumed opener. */
  private grouped(pos: Position): Statement[] {
    this.open.push({ closer: ')', pos });
    const statements = this.statements('rparen');
    this.take(this.peek());
    this.open.pop();
    return statements;
  }

  // `@( )` is an array of everything its statements output. When those are
  // plain values the items are known now (a top-level comma list is unrolled,
  // as the pipeline would do); otherwise the evaluator must collect them.
  private arrayExpression(pos: Position): Expr {
    const statements = this.grouped(pos);
    const path = this.accessors();
    const items: Expr[] = [];
    for (const s of statements) {
      const [element, ...rest] = s.pipeline.elements;
      const expr = element.kind === 'expression' && !rest.length && s.assign === undefined ? element.expr : undefined;
      if (!expr || expr.kind === 'variable' || expr.kind === 'subexpression' || path.length) {
        return { kind: 'subexpression', statements, path, array: true, pos };
      }
      items.push(...(expr.kind === 'array' ? expr.items : [expr]));
    }
    return { kind: 'array', items, pos };
  }

  private hashtable(pos: Position): Expr {
    this.open.push({ closer: '}', pos });
    const entries: HashtableEntry[] = [];
    const seen = new Set<string>();
    for (;;) {
      const t = this.skip(['newline', 'semicolon'], 'key');
      if (t.type === 'rbrace') break;
      let key: string;
      if (t.type === 'word') key = t.value;
      else if (t.type === 'value' && t.expr.kind === 'literal' && typeof t.expr.value !== 'boolean' && t.expr.value !== null) {
        key = String(t.expr.value);
      } else throw this.unexpected(t, 'a hashtable key');
      this.take(t);
      const eq = this.peek('key');
      if (eq.type !== 'equals') throw this.unexpected(eq, `'=' after hashtable key '${key}'`);
      this.take(eq);
      const v = this.skip(['newline']);
      if (!VALUE_START.has(v.type)) throw this.unexpected(v, `a value for hashtable key '${key}'`);
      if (seen.has(key.toLowerCase())) throw new ParseError(`duplicate hashtable key '${key}'`, t.pos);
      seen.add(key.toLowerCase());
      entries.push({ key, value: this.value(), pos: t.pos });
      const after = this.peek();
      if (!['newline', 'semicolon', 'rbrace'].includes(after.type)) {
        throw this.unexpected(after, "';' or a line break between hashtable entries");
      }
    }
    this.take(this.peek('key'));
    this.open.pop();
    return { kind: 'hashtable', entries, pos };
  }

  private unexpected(t: Token, expected?: string, incompleteAtEnd = false): ParseError {
    if (t.type === 'eof') {
      const open = this.open[this.open.length - 1];
      if (incompleteAtEnd && expected) return new IncompleteInputError(`expected ${expected}`, t.pos);
      if (open) return new IncompleteInputError(`missing closing '${open.closer}'`, open.pos);
    }
    const found = this.describe(t);
    return new ParseError(expected ? `expected ${expected}, found ${found}` : `unexpected ${found}`, t.pos);
  }

  private describe(t: Token): string {
    if (t.type === 'eof') return 'end of input';
    if (t.type === 'newline') return 'end of line';
    const text = this.source.slice(t.start, t.end);
    return `'${text.length > 30 ? `${text.slice(0, 27)}...` : text}'`;
  }
}
