// Sentences set inside other sentences. An unknown's `why` and a caught error's message are whole
// sentences with their own full stop; quoted after a colon or in parentheses, in a message that goes
// on, that stop would make "analysis.; the layers" or "(... analysis.)".

/** `sentence` without its closing full stop, to be one clause of a longer message. */
export function asClause(sentence: string): string {
  return sentence.trim().replace(/\.$/, "");
}
