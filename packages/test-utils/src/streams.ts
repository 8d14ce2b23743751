// A stream for the progress displays' tests: a seam with the two things a display reads
// (`isTTY`, `columns`) and a `write` that keeps what was written.

/** A writable stream that records its chunks and says whether it is a terminal. */
export interface RecordingStream {
  isTTY: boolean;
  columns: number;
  chunks: string[];
  /** Everything written so far. */
  text(): string;
  write(chunk: string): boolean;
}

/** A {@link RecordingStream}, a terminal or not, 200 columns wide. */
export function recordingStream(isTTY: boolean): RecordingStream {
  const chunks: string[] = [];
  return {
    isTTY,
    columns: 200,
    chunks,
    text: () => chunks.join(''),
    write: (chunk) => chunks.push(chunk) > 0,
  };
}
