// sys.argv as a script run with no arguments sees it: [the analysed file]. The real command line is not
// known, so argparse must tell `parse_args(sys.argv[1:])` (the unknown arguments, like `parse_args()`)
// from an explicit `parse_args([])` (the code asks for the defaults): the lists made here are remembered.

import { type PyList, type PySlice, type Value, list, str } from "./values";
import { sliceBounds } from "./sequences";

/** Every sys.argv made, one per analysis. */
const ARGV = new WeakSet<PyList>();
/** Slices `sys.argv[1:]` of an argv the code left as it was: the script's arguments, which the analyzer cannot see. */
const ARGUMENTS = new WeakSet<PyList>();

export function makeArgv(file: string): PyList {
  const argv = list([str(file)]);
  ARGV.add(argv);
  return argv;
}

/** Remembers `out`, the slice `s` of `from`, when it is `sys.argv[1:]`. */
export function noteArgvSlice(from: PyList, s: PySlice, out: PyList): void {
  if (!ARGV.has(from) || from.items.length !== 1) return;
  const [start, , step] = sliceBounds(s, 1);
  if (start === 1 && step === 1) ARGUMENTS.add(out);
}

/** Whether `v` is `sys.argv[1:]`: parse_args then takes the command line it cannot see, as with no argument. */
export const isCommandLineArguments = (v: Value): boolean => v.kind === "list" && ARGUMENTS.has(v);
