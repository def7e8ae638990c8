// One location type from the lexer to the builtins: a file and a byte offset into its text. Line and column are
// computed only when a message is rendered, so nodes stay small and the hot path never counts newlines.
export interface Span {
  /** Index of the file in the compilation's file table (see SourceFiles). */
  file: number;
  /** Offset of the first character (UTF-16 code units, as JavaScript strings index). */
  start: number;
  /** Offset just past the last character. */
  end: number;
}

export interface Position {
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based, counted in characters like OPA does. */
  col: number;
}

/** The texts of one compilation; resolves spans to `file:line:col`. */
export class SourceFiles {
  private readonly names: string[] = [];
  private readonly texts: string[] = [];
  private readonly lineStarts: (number[] | undefined)[] = [];

  add(name: string, text: string): number {
    this.names.push(name);
    this.texts.push(text);
    this.lineStarts.push(undefined);
    return this.names.length - 1;
  }

  name(file: number): string {
    return this.names[file] ?? '<unknown>';
  }

  text(file: number): string {
    return this.texts[file] ?? '';
  }

  get count(): number {
    return this.names.length;
  }

  position(span: Pick<Span, 'file' | 'start'>): Position {
    let starts = this.lineStarts[span.file];
    if (!starts) {
      starts = [0];
      const text = this.texts[span.file] ?? '';
      for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
      this.lineStarts[span.file] = starts;
    }
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= span.start) lo = mid;
      else hi = mid - 1;
    }
    return { file: this.name(span.file), line: lo + 1, col: span.start - starts[lo] + 1 };
  }
}
