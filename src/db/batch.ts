/**
 * Coalesces calls into one call of `run` with all their inputs: calls made before the event loop's
 * next turn share one statement (DataLoader's idea, or PostgreSQL's group commit). Under load,
 * dozens of concurrent send jobs then cost one round trip and one commit instead of one each;
 * a call on its own waits only for that next turn. If `run` fails, every call of the batch fails
 * with its error (the jobs are retried). `run` returns one output per input, in order.
 */
export function batched<I, O>(run: (inputs: I[]) => Promise<O[]>, maxSize = 100): (input: I) => Promise<O> {
  type Call = { input: I; resolve: (output: O) => void; reject: (error: unknown) => void };
  let pending: Call[] = [];
  let scheduled = false;

  const flush = async () => {
    const calls = pending;
    pending = [];
    if (calls.length === 0) return;
    try {
      const outputs = await run(calls.map((c) => c.input));
      calls.forEach((c, i) => c.resolve(outputs[i]!));
    } catch (error) {
      calls.forEach((c) => c.reject(error));
    }
  };

  return (input) =>
    new Promise<O>((resolve, reject) => {
      pending.push({ input, resolve, reject });
      if (pending.length >= maxSize) {
        void flush();
      } else if (!scheduled) {
        scheduled = true;
        setImmediate(() => {
          scheduled = false;
          void flush();
        });
      }
    });
}
