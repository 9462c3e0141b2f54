// `resgraph summary ... --json | head -3`: once head has read its lines it closes the pipe, and the
// next write fails with EPIPE, which node raises as an unhandled 'error' event (a stack trace and
// exit 1). A reader that stopped reading wants nothing more: end quietly, with the status a shell
// expects of a command whose output was cut short on purpose.

/** Makes a write to a closed pipe on `stream` end the process quietly (exit 0); other errors stay errors. */
export function endQuietlyOnClosedPipe(stream: NodeJS.WriteStream, exit: (code: number) => void = (code) => process.exit(code)): void {
  stream.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code === "EPIPE") exit(0);
    else throw e;
  });
}
