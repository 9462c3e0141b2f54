// Maps UTF-16 offsets to 0-based line / character positions (VS Code's convention).

export interface Position {
  /** 0-based line. */
  line: number;
  /** 0-based UTF-16 code unit within the line. */
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/** Offsets stay below 2^26 (64 MiB of text), so `from * 2^26 + to` is an exact key. */
const RANGE_KEY_STRIDE = 2 ** 26;

/**
 * SourceTexts of the last few texts seen (a model and the files it imports): re-analysing unchanged
 * text reuses its line index and ranges.
 */
const recentSources = new Map<string, SourceText>();
const MAX_RECENT_SOURCES = 16;

export function sourceTextOf(text: string): SourceText {
  let src = recentSources.get(text);
  if (src) recentSources.delete(text);
  else src = new SourceText(text);
  recentSources.set(text, src);
  if (recentSources.size > MAX_RECENT_SOURCES) recentSources.delete(recentSources.keys().next().value as string);
  return src;
}

export class SourceText {
  private readonly lineStarts: number[];

  constructor(readonly text: string) {
    this.lineStarts = lineStartsOf(text);
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  position(offset: number): Position {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: offset - this.lineStarts[lo] };
  }

  /**
   * Ranges are shared per span: a loop or a block's `forward` applies hundreds of layers from the
   * same few calls. Treat the result as immutable.
   */
  range(from: number, to: number): Range {
    const key = from * RANGE_KEY_STRIDE + to;
    let r = this.ranges.get(key);
    if (r === undefined) {
      r = { start: this.position(from), end: this.position(to) };
      this.ranges.set(key, r);
    }
    return r;
  }

  private readonly ranges = new Map<number, Range>();

  offset(pos: Position): number {
    const start = this.lineStarts[Math.min(Math.max(pos.line, 0), this.lineStarts.length - 1)];
    return Math.min(start + pos.character, this.text.length);
  }
}

/**
 * Offsets where lines start (after \n, \r\n or a lone \r). indexOf runs natively: a cold process
 * would otherwise step through every character in V8's interpreter.
 */
function lineStartsOf(text: string): number[] {
  const starts = [0];
  if (text.indexOf("\r") < 0) {
    for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) starts.push(i + 1);
    return starts;
  }
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) starts.push(i + 1);
    else if (c === 13) {
      if (text.charCodeAt(i + 1) === 10) i++;
      starts.push(i + 1);
    }
  }
  return starts;
}
