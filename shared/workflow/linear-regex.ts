/**
 * A regular-expression matcher whose running time is linear in the text (a Pike VM over a
 * Thompson NFA), for the `matches` condition: user patterns run inside the engine, and a
 * backtracking engine (JavaScript's RegExp) can take exponential time on patterns such as
 * `(a+)+$`. The syntax is the common subset: literals, `.`, classes `[a-z]` / `[^...]`,
 * `\d \w \s \D \W \S`, escapes, groups `( )` and `(?: )`, `|`, `* + ?`, `{n}`, `{n,}`, `{n,m}`,
 * and the anchors `^ $`. Backreferences and lookaround cannot run in linear time and are refused.
 */

export class PatternError extends Error {
  override name = 'PatternError';
}

/** Longest pattern accepted, and the largest program counted repetition may expand to. */
export const MAX_PATTERN_LENGTH = 1_000;
const MAX_PROGRAM = 20_000;

type Pred = (c: string) => boolean;
type Node =
  | { kind: 'char'; pred: Pred }
  | { kind: 'start' }
  | { kind: 'end' }
  | { kind: 'seq'; items: Node[] }
  | { kind: 'alt'; options: Node[] }
  | { kind: 'repeat'; node: Node; min: number; max: number | null };

type Inst =
  | { op: 'char'; pred: Pred }
  | { op: 'split'; a: number; b: number }
  | { op: 'jmp'; to: number }
  | { op: 'start' }
  | { op: 'end' }
  | { op: 'match' };

const DIGIT: Pred = (c) => c >= '0' && c <= '9';
const WORD: Pred = (c) => DIGIT(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_';
const SPACE: Pred = (c) =>
  c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v';

class Parser {
  private i = 0;
  constructor(private readonly src: string) {}

  parse(): Node {
    const node = this.alternation();
    if (this.i < this.src.length) this.fail(`unexpected "${this.src[this.i]}"`);
    return node;
  }

  private fail(message: string): never {
    throw new PatternError(`${message} at position ${this.i}`);
  }

  private alternation(): Node {
    const options = [this.sequence()];
    while (this.src[this.i] === '|') {
      this.i++;
      options.push(this.sequence());
    }
    return options.length === 1 ? options[0] : { kind: 'alt', options };
  }

  private sequence(): Node {
    const items: Node[] = [];
    while (this.i < this.src.length && this.src[this.i] !== '|' && this.src[this.i] !== ')') {
      items.push(this.quantified(this.atom()));
    }
    return { kind: 'seq', items };
  }

  private quantified(node: Node): Node {
    let result = node;
    for (;;) {
      const c = this.src[this.i];
      if (c === '*' || c === '+' || c === '?') {
        this.i++;
        result = {
          kind: 'repeat',
          node: result,
          min: c === '+' ? 1 : 0,
          max: c === '*' || c === '+' ? null : 1,
        };
      } else if (c === '{' && /^\{\d+(,\d*)?\}/.test(this.src.slice(this.i, this.i + 16))) {
        const close = this.src.indexOf('}', this.i);
        const [lo, hi] = this.src.slice(this.i + 1, close).split(',');
        const min = Number(lo);
        const max = hi === undefined ? min : hi === '' ? null : Number(hi);
        if (max !== null && max < min) this.fail('repetition {n,m} with m < n');
        if (min > 1000 || (max ?? 0) > 1000) this.fail('repetition count above 1000');
        this.i = close + 1;
        result = { kind: 'repeat', node: result, min, max };
      } else {
        return result;
      }
      // A lazy or possessive marker changes nothing about whether a match exists.
      if (this.src[this.i] === '?') this.i++;
    }
  }

  private atom(): Node {
    const c = this.src[this.i++];
    switch (c) {
      case '(': {
        if (this.src[this.i] === '?') {
          if (this.src[this.i + 1] !== ':')
            this.fail('lookaround and named groups are not supported');
          this.i += 2;
        }
        const inner = this.alternation();
        if (this.src[this.i] !== ')') this.fail('missing ")"');
        this.i++;
        return inner;
      }
      case '[':
        return { kind: 'char', pred: this.charClass() };
      case '.':
        return { kind: 'char', pred: (x) => x !== '\n' };
      case '^':
        return { kind: 'start' };
      case '$':
        return { kind: 'end' };
      case '\\':
        return { kind: 'char', pred: this.escape(false) };
      case '*':
      case '+':
      case '?':
        return this.fail(`nothing to repeat before "${c}"`);
      default:
        return { kind: 'char', pred: (x) => x === c };
    }
  }

  private escape(inClass: boolean): Pred {
    const c = this.src[this.i++];
    if (c === undefined) this.fail('pattern ends with "\\"');
    if (c >= '1' && c <= '9' && !inClass) this.fail('backreferences are not supported');
    switch (c) {
      case 'd':
        return DIGIT;
      case 'D':
        return (x) => !DIGIT(x);
      case 'w':
        return WORD;
      case 'W':
        return (x) => !WORD(x);
      case 's':
        return SPACE;
      case 'S':
        return (x) => !SPACE(x);
      case 'n':
        return (x) => x === '\n';
      case 't':
        return (x) => x === '\t';
      case 'r':
        return (x) => x === '\r';
      default:
        if (/[a-zA-Z0-9]/.test(c)) this.fail(`unsupported escape "\\${c}"`);
        return (x) => x === c;
    }
  }

  private charClass(): Pred {
    const negate = this.src[this.i] === '^';
    if (negate) this.i++;
    const parts: Pred[] = [];
    let first = true;
    while (this.i < this.src.length && (this.src[this.i] !== ']' || first)) {
      first = false;
      let pred: Pred;
      let low: string | undefined;
      if (this.src[this.i] === '\\') {
        this.i++;
        pred = this.escape(true);
      } else {
        low = this.src[this.i++];
        const l = low;
        pred = (x) => x === l;
      }
      if (
        low !== undefined &&
        this.src[this.i] === '-' &&
        this.src[this.i + 1] !== ']' &&
        this.i + 1 < this.src.length
      ) {
        const high = this.src[this.i + 1];
        if (high === '\\') this.fail('escaped range bounds are not supported');
        if (high < low) this.fail(`range ${low}-${high} is out of order`);
        this.i += 2;
        const l = low;
        pred = (x) => x >= l && x <= high;
      }
      parts.push(pred);
    }
    if (this.src[this.i] !== ']') this.fail('missing "]"');
    this.i++;
    return negate ? (x) => !parts.some((p) => p(x)) : (x) => parts.some((p) => p(x));
  }
}

function compile(node: Node): Inst[] {
  const prog: Inst[] = [];
  const emit = (inst: Inst): number => {
    if (prog.length >= MAX_PROGRAM)
      throw new PatternError('pattern expands to too large a program');
    prog.push(inst);
    return prog.length - 1;
  };
  const gen = (n: Node): void => {
    switch (n.kind) {
      case 'char':
        emit({ op: 'char', pred: n.pred });
        return;
      case 'start':
        emit({ op: 'start' });
        return;
      case 'end':
        emit({ op: 'end' });
        return;
      case 'seq':
        for (const item of n.items) gen(item);
        return;
      case 'alt': {
        const jumps: number[] = [];
        n.options.forEach((option, k) => {
          if (k < n.options.length - 1) {
            const split = emit({ op: 'split', a: 0, b: 0 });
            setSplit(prog, split, prog.length, -1);
            gen(option);
            jumps.push(emit({ op: 'jmp', to: -1 }));
            setSplit(prog, split, -1, prog.length);
          } else gen(option);
        });
        for (const j of jumps) prog[j] = { op: 'jmp', to: prog.length };
        return;
      }
      case 'repeat': {
        for (let k = 0; k < n.min; k++) gen(n.node);
        if (n.max === null) {
          const split = emit({ op: 'split', a: 0, b: 0 });
          gen(n.node);
          emit({ op: 'jmp', to: split });
          prog[split] = { op: 'split', a: split + 1, b: prog.length };
        } else {
          const splits: number[] = [];
          for (let k = n.min; k < n.max; k++) {
            splits.push(emit({ op: 'split', a: 0, b: 0 }));
            gen(n.node);
          }
          for (const s of splits) prog[s] = { op: 'split', a: s + 1, b: prog.length };
        }
        return;
      }
    }
  };
  gen(node);
  emit({ op: 'match' });
  return prog;
}

function setSplit(prog: Inst[], at: number, a: number, b: number): void {
  const inst = prog[at];
  if (inst.op !== 'split') throw new Error('internal: not a split');
  prog[at] = { op: 'split', a: a === -1 ? inst.a : a, b: b === -1 ? inst.b : b };
}

export interface LinearPattern {
  test(text: string): boolean;
}

/** Compiles once; `test` then costs O(text length × pattern size) whatever either contains. */
export function compilePattern(pattern: string): LinearPattern {
  if (pattern.length > MAX_PATTERN_LENGTH)
    throw new PatternError(`pattern is longer than ${MAX_PATTERN_LENGTH} characters`);
  const prog = compile(new Parser(pattern).parse());
  return { test: (text) => run(prog, text) };
}

function run(prog: Inst[], text: string): boolean {
  // `seen[pc] === generation` marks a thread already added at this position (the Pike VM's dedup).
  const seen = new Int32Array(prog.length).fill(-1);
  let current: number[] = [];
  let generation = 0;
  const add = (list: number[], pc: number, pos: number): boolean => {
    const stack = [pc];
    for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
      if (seen[next] === generation) continue;
      seen[next] = generation;
      const inst = prog[next];
      switch (inst.op) {
        case 'jmp':
          stack.push(inst.to);
          break;
        case 'split':
          stack.push(inst.b, inst.a);
          break;
        case 'start':
          if (pos === 0) stack.push(next + 1);
          break;
        case 'end':
          if (pos === text.length) stack.push(next + 1);
          break;
        case 'match':
          return true;
        case 'char':
          list.push(next);
          break;
      }
    }
    return false;
  };
  for (let pos = 0; pos <= text.length; pos++) {
    // Unanchored search: a new thread starts at every position.
    if (add(current, 0, pos)) return true;
    if (pos === text.length) return false;
    generation++;
    const next: number[] = [];
    const c = text[pos];
    for (const pc of current) {
      const inst = prog[pc];
      if (inst.op === 'char' && inst.pred(c) && add(next, pc + 1, pos + 1)) return true;
    }
    current = next;
  }
  return false;
}
